"""One act reported by several citizens: the unit sees one group with its count, each reporter keeps a
tracking code. Through the whole system: intake, evidence (the perceptual hash), routing, notify, desk."""
import io
import json
import uuid
from email.header import decode_header, make_header

import requests
from PIL import Image, ImageDraw

from tests.support.complaints import complaint
from tests.support.servers import body_text
from tests.support.waiting import wait_until

GROUPED = "atas perbuatan yang sama"


def screenshot(size=(540, 960), seed: str = "") -> bytes:
    image = Image.new("RGB", (540, 960), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 540, 90), fill=(59, 89, 152))
    draw.ellipse((30, 140, 230, 340), fill=(200, 40, 40))
    for row in range(9):
        draw.rectangle((30, 380 + row * 55, 510 - (row * 41) % 180, 405 + row * 55), fill=(25, 25, 25))
    draw.text((260, 200), seed, fill=(250, 250, 250))  # invisible to pHash, changes every byte's hash
    out = io.BytesIO()
    image.resize(size).save(out, "PNG")
    return out.getvalue()


def submit(system, document, blob):
    answer = requests.post(f"{system.api}/complaints", data={"complaint": json.dumps(document)},
                           files=[("evidence", ("bukti.png", blob, "image/png"))], timeout=30)
    assert answer.status_code == 202, answer.text
    return answer.json()["tracking_code"]


def subject(mail) -> str:
    return " ".join(str(make_header(decode_header(mail["Subject"] or ""))).split())


def unit_mail(mailbox, code):
    """The mail to the case's own unit (not the copies, not the reporter's acknowledgment)."""
    def found():
        return next((m for m in mailbox.matching(code)
                     if code in subject(m) and not subject(m).startswith("[Netra] Tembusan")), None)
    return wait_until(found, f"the unit mail of {code}", timeout=60, interval=0.3)


def test_the_same_act_reported_three_times_reaches_the_unit_as_one_group(system, mailbox):
    marker = uuid.uuid4().hex[:8]
    post = f"https://www.facebook.com/camat.{marker}/posts/77"
    nip = None

    def report(url, blob, name):
        document = complaint(post_urls=[url])
        document["subject"].update(name=name, nip=nip)
        return submit(system, document, blob)
    first = report(post, screenshot(seed=marker), "Camat Pertama")
    assert GROUPED not in subject(unit_mail(mailbox, first))
    # another citizen, another screenshot of the same post, shared from the mobile app
    second = report(f"https://m.facebook.com/camat.{marker}/posts/77?mibextid=share", screenshot(seed=marker + "x"),
                    "Camat Pertama")
    # a third sends the first screenshot resized, and no link at all
    third = report(f"https://www.instagram.com/p/{marker}/", screenshot((360, 640), seed=marker), "Camat Pertama")
    second_mail, third_mail = unit_mail(mailbox, second), unit_mail(mailbox, third)
    assert "(laporan ke-2 atas perbuatan yang sama)" in subject(second_mail)
    assert "alamat unggahan yang sama" in body_text(second_mail) and first in body_text(second_mail)
    assert "(laporan ke-3 atas perbuatan yang sama)" in subject(third_mail)
    assert "tangkapan layar yang hampir sama" in body_text(third_mail) and first in body_text(third_mail)
    assert len({first, second, third}) == 3, "each reporter keeps their own tracking code"
