"""Damaged variants of the hostile corpus (bytes flipped, cut out, inserted; a fixed seed, so the same
variants every run): each is either refused with a known code or sanitised with nothing planted left in
it. No variant may raise anything else, since that would send the whole complaint to retries."""
import random

import pytest

from services.common.media import sniff
from services.evidence import sanitise as sanitising
from services.evidence.sanitise import REASONS, Refused, sanitise
from tests.support import hostile

VARIANTS = 80
TRACES = (b"/JavaScript", b"/OpenAction", b"/Launch", b"/EmbeddedFile", b"netra-js", b"<script")


def variants(data: bytes, seed: int):
    rng = random.Random(seed)
    for _ in range(VARIANTS):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            at, roll = rng.randrange(12, len(damaged)), rng.random()
            if roll < 0.6:
                damaged[at] = rng.randrange(256)
            elif roll < 0.8:
                del damaged[at:at + rng.randint(1, 50)]
            else:
                damaged[at:at] = rng.randbytes(rng.randint(1, 50))
        yield bytes(damaged)


@pytest.mark.parametrize("name", ["gps_jpeg", "author_png", "exif_webp", "commented_gif", "js_pdf"])
def test_damaged_variants_are_refused_by_code_or_come_out_clean(name, monkeypatch):
    tripped = []
    monkeypatch.setattr(sanitising.log, "warning", lambda event, **kw: tripped.append(kw))
    outcomes = {"clean": 0}
    for data in variants(hostile.CORPUS[name][0](), seed=sum(name.encode())):
        kind = sniff(data)
        try:
            copy = sanitise(data, kind[0])
        except Refused as refused:
            assert refused.reason in REASONS
            outcomes[refused.reason] = outcomes.get(refused.reason, 0) + 1
            continue
        outcomes["clean"] += 1
        assert [value for value in hostile.PLANTED if value.encode() in copy] == []
        assert [trace for trace in TRACES if trace in copy] == []
    assert tripped == [], f"a sanitiser raised something other than Refused: {tripped}"
    assert sum(outcomes.values()) == VARIANTS
