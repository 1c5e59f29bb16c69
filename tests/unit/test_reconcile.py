"""The reconciler's reasoning with a fake of intake's records: which step a complaint waits for, when it is
overdue, what a re-drive sends, and what an operator reads (never anything about the reporter)."""
from datetime import datetime, timedelta, timezone

import pytest

from services.ops.overdue import Waiting, count_by_step, duration, find_overdue, next_step
from services.ops.reconcile import Reconciler, reconcile, report

NOW = datetime(2026, 11, 3, 3, 0, tzinfo=timezone.utc)
DUE = {"evidence_archived": timedelta(minutes=5), "routed": timedelta(minutes=5),
       "unit_notified": timedelta(minutes=5)}


def ago(minutes: float) -> datetime:
    return NOW - timedelta(minutes=minutes)


@pytest.mark.parametrize("statuses, waits_for", [
    (["received"], "evidence_archived"),
    (["received", "evidence_rejected"], "evidence_archived"),  # rejected comes beside archived, not instead
    (["received", "evidence_archived"], "routed"),
    (["received", "evidence_archived", "evidence_rejected"], "routed"),
    (["received", "evidence_archived", "routed"], "unit_notified"),
    (["received", "evidence_archived", "routed", "unit_notified"], None),
    (["received", "evidence_archived", "routed", "notification_failed"], None),  # parked, shown as failed
    (["received", "evidence_archived", "routed", "diproses"], None),  # the unit works it: it knows
    (["received", "evidence_archived", "routed", "unit_notified", "dialihkan", "routed"], "unit_notified"),
])
def test_the_step_a_complaint_waits_for_follows_its_timeline(statuses, waits_for):
    entries = [(status, ago(10 - index)) for index, status in enumerate(statuses)]
    waiting = next_step(entries)
    assert (waiting[0] if waiting else None) == waits_for
    if waiting:
        assert waiting[1] == max(at for status, at in entries if status != "evidence_rejected")


def test_a_complaint_is_overdue_only_past_its_steps_time_and_the_longest_waiting_comes_first():
    complaints = [Waiting("c-fresh", "NTR-AAAA-AAAA", (("received", ago(4)),)),
                  Waiting("c-late", "NTR-BBBB-BBBB", (("received", ago(20)), ("evidence_archived", ago(19)),
                                                      ("routed", ago(7)))),
                  Waiting("c-later", "NTR-CCCC-CCCC", (("received", ago(9)),))]
    overdue = find_overdue(complaints, DUE, NOW)
    assert [(o.complaint_id, o.step, o.late) for o in overdue] == [
        ("c-later", "evidence_archived", timedelta(minutes=4)), ("c-late", "unit_notified", timedelta(minutes=2))]
    assert count_by_step(overdue) == {"evidence_archived": 1, "routed": 0, "unit_notified": 1}


def test_durations_read_short():
    assert [duration(timedelta(seconds=s)) for s in (65, 7265, 3 * 86400 + 4 * 3600)] == ["1m05s", "2h01m", "3d04h"]


class FakeRecords:
    """intake's records: complaints on their way, the events intake saved, what a re-drive wrote."""

    def __init__(self, waiting, saved, locked=False):
        self.waiting_now, self.saved, self.locked, self.outbox = waiting, saved, locked, []

    def waiting(self):
        return self.waiting_now

    def submitted_event(self, complaint_id):
        return self.saved.get(complaint_id)

    def redrive(self, events):
        if self.locked:
            return False
        self.outbox.extend(events)
        return True


def submitted(complaint_id: str) -> dict:
    return {"event_id": f"first-{complaint_id}", "event_type": "complaint.submitted", "correlation_id": complaint_id,
            "occurred_at": ago(30).isoformat(), "producer": "intake", "schema_version": 1,
            "payload": {"complaint_id": complaint_id, "tracking_code": "NTR-LOST-0001",
                        "reporter_contact": "sealed-token-of-siti@example.org"}}


def lost_one() -> list[Waiting]:
    return [Waiting("c-lost", "NTR-LOST-0001", (("received", ago(30)), ("evidence_archived", ago(29)),
                                                ("routed", ago(28))))]


def test_a_redrive_sends_complaint_submitted_again_under_a_new_id_for_the_same_complaint(capsys):
    records = FakeRecords(lost_one(), {"c-lost": submitted("c-lost")})
    outcome = reconcile(Reconciler(records, DUE, lambda: NOW), redrive=True)
    [event] = records.outbox
    assert event["event_id"] != "first-c-lost" and event["correlation_id"] == "c-lost"
    assert event["payload"] == submitted("c-lost")["payload"] and event["occurred_at"] > ago(1).isoformat()
    assert [item.complaint_id for item in outcome.redriven] == ["c-lost"]
    report(outcome)
    printed = capsys.readouterr().out
    assert "NTR-LOST-0001  c-lost  waits for unit_notified  overdue 23m00s (waiting 28m00s)" in printed
    assert "redriven NTR-LOST-0001" in printed and "siti" not in printed and "sealed" not in printed


def test_without_redrive_nothing_is_sent_and_a_held_lock_sends_nothing_either(capsys):
    records = FakeRecords(lost_one(), {"c-lost": submitted("c-lost")})
    assert reconcile(Reconciler(records, DUE, lambda: NOW), redrive=False).redriven == [] and records.outbox == []
    locked = FakeRecords(lost_one(), {"c-lost": submitted("c-lost")}, locked=True)
    outcome = reconcile(Reconciler(locked, DUE, lambda: NOW), redrive=True)
    assert outcome.locked and outcome.redriven == [] and locked.outbox == []
    report(outcome)
    assert "another reconciler is re-driving right now" in capsys.readouterr().out


def test_a_complaint_whose_event_is_not_in_the_outbox_is_named_not_skipped(capsys):
    records = FakeRecords(lost_one(), {})
    outcome = reconcile(Reconciler(records, DUE, lambda: NOW), redrive=True)
    assert [item.complaint_id for item in outcome.not_found] == ["c-lost"] and records.outbox == []
    report(outcome)
    assert "cannot redrive NTR-LOST-0001" in capsys.readouterr().out
