"""Delivery owns its claim states: who may send a mail now, and the key its notification is derived from."""
from datetime import datetime, timedelta, timezone

import pytest

from services.notify.delivery import ALREADY_SENT, BUSY, CLAIMED, CLAIM_LEASE, Delivery

NOW = datetime(2026, 11, 10, 3, 0, tzinfo=timezone.utc)


def delivery(**state) -> Delivery:
    return Delivery("c-1", "unit", "case", "<case-k@netra>", case_id="k", unit_id="bkd-14", **state)


@pytest.mark.parametrize("state, outcome", [
    ({}, CLAIMED),
    ({"status": "sending", "attempted_at": NOW - timedelta(seconds=5)}, BUSY),
    ({"status": "sending", "attempted_at": NOW - CLAIM_LEASE - timedelta(seconds=1)}, CLAIMED),
    ({"status": "sending", "attempted_at": None}, CLAIMED),  # released after a transient failure
    ({"status": "failed"}, CLAIMED),  # an operator replays the parked message: one more try
    ({"status": "sent"}, ALREADY_SENT),
])
def test_who_may_send_now(state, outcome):
    mail = delivery(**state)
    assert mail.claim(NOW) == outcome
    if outcome == CLAIMED:
        assert mail.status == "sending" and mail.attempted_at == NOW


def test_sent_failed_and_released_end_the_claim():
    mail = delivery()
    mail.claim(NOW)
    mail.release("smtp temporary refusal: [451]")
    assert (mail.status, mail.attempted_at, mail.error) == ("sending", None, "smtp temporary refusal: [451]")
    mail.claim(NOW)
    mail.failed("smtp 550")
    assert (mail.status, mail.attempted_at) == ("failed", None)
    mail.claim(NOW)
    mail.sent(NOW)
    assert (mail.status, mail.sent_at, mail.error) == ("sent", NOW, None)


@pytest.mark.parametrize("kind, purpose, ref, key", [
    ("unit", "case", "", "c-1:unit"),
    ("unit", "case", "t-1", "c-1:unit:case:t-1"),
    ("reporter", "ack", "", "c-1:reporter"),
    ("reporter", "evidence_rejected", "", "c-1:reporter:evidence_rejected"),
    ("reporter", "status_changed", "k:3", "c-1:reporter:status_changed:k:3"),
    ("reporter", "question", "q-1", "c-1:reporter:question:q-1"),
])
def test_notification_keys_keep_the_contracts_first_notices_and_tell_later_ones_apart(kind, purpose, ref, key):
    assert Delivery("c-1", kind, purpose, "<m@netra>", ref=ref).notification_key == key
