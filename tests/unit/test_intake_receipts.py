"""The receipt a citizen keeps: easy to read aloud and to type on a phone, and no weaker than before."""
import hashlib
import math
import re
import secrets

from services.intake.complaints.receipts import CROCKFORD, new_receipt, receipt_hash, receipt_matches

GROUPED = re.compile(rf"[{CROCKFORD}]{{5}}(?:-[{CROCKFORD}]{{5}}){{7}}")


def test_a_receipt_is_eight_groups_of_five_characters_without_look_alikes():
    receipts = {new_receipt() for _ in range(200)}
    assert len(receipts) == 200
    for receipt in receipts:
        assert GROUPED.fullmatch(receipt), receipt
        assert not set(receipt) & set("ILOU") and receipt == receipt.upper()
    assert 40 * math.log2(len(CROCKFORD)) >= 192  # the 32 URL-safe characters before held 192 bits


def test_a_receipt_typed_however_a_person_types_it_matches():
    receipt = "7K4MQ-2XPAB-0C1DE-FGH1J-KMNPQ-RSTVW-XYZ00-11AB3"
    stored = receipt_hash(receipt)
    for typed in (receipt, receipt.lower(), receipt.replace("-", ""), receipt.replace("-", " "),
                  receipt.replace("0", "O").replace("1", "l"), f"  {receipt.replace('1', 'I')} "):
        assert receipt_matches(typed, stored), typed
    for wrong in ("", None, receipt[:-1] + "4", receipt.replace("-", "")[:35]):
        assert not receipt_matches(wrong, stored), wrong


def test_a_receipt_issued_before_the_grouped_ones_still_matches_exactly_as_issued():
    old = secrets.token_urlsafe(24)
    stored = hashlib.sha256(old.encode()).hexdigest()
    assert receipt_matches(old, stored)
    assert not receipt_matches(old.swapcase(), stored) or old == old.swapcase()
