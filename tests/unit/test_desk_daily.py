"""The daily digest run with fakes: one mail per unit and day, a failed mail can go later, nothing on a day off."""
from datetime import date, datetime, timezone

from services.desk.reminders.daily import run_digest

TUESDAY, SUNDAY = date(2026, 11, 24), date(2026, 11, 22)
UNITS = {"bkpsdm-14.03": {"name": "BKPSDM Bengkalis", "email": "bengkalis@unit.example"},
         "bkpsdm-62.10": {"name": "BKPSDM Gunung Mas", "email": "gunungmas@unit.example"}}


class FakeCases:
    def with_due_date(self):
        return [{"case_id": f"c{n}", "tracking_code": f"NTR-{n}", "unit_id": unit, "status": "diterima",
                 "violation": {"category": "unggah_dukungan"}, "subject": {"region_code": "14.03"},
                 "received_at": datetime(2026, 11, 19, tzinfo=timezone.utc), "due_date": TUESDAY}
                for n, unit in enumerate(UNITS)]


class FakeDigestLog:
    def __init__(self):
        self.days = set()

    def claim(self, unit_id, day, cases):
        if (unit_id, day) in self.days:
            return False
        self.days.add((unit_id, day))
        return True

    def release(self, unit_id, day):
        self.days.discard((unit_id, day))


def run(sent_log, send, today=TUESDAY):
    return run_digest(FakeCases(), sent_log, send, units=UNITS, today=today, desk_url="https://meja.example",
                      mail_from="Netra <netra@example.go.id>", within=3)


def test_each_unit_gets_one_mail_and_a_rerun_sends_none():
    outbox, sent_log = [], FakeDigestLog()
    assert sorted(run(sent_log, outbox.append).sent) == sorted(UNITS)
    again = run(sent_log, outbox.append)
    assert again.sent == [] and sorted(again.already_sent) == sorted(UNITS) and again.failed == {}
    assert sorted(m["To"].addresses[0].addr_spec for m in outbox) == ["bengkalis@unit.example",
                                                                      "gunungmas@unit.example"]


def test_a_refused_mail_is_tried_again_by_the_next_run():
    def refuse_bengkalis(message):
        if "bengkalis" in str(message["To"]):
            raise ConnectionRefusedError()
        outbox.append(message)
    outbox, sent_log = [], FakeDigestLog()
    first = run(sent_log, refuse_bengkalis)
    assert first.failed == {"bkpsdm-14.03": "ConnectionRefusedError"} and first.sent == ["bkpsdm-62.10"]
    assert run(sent_log, outbox.append).sent == ["bkpsdm-14.03"] and len(outbox) == 2


def test_nothing_on_a_day_off():
    outbox, sent_log = [], FakeDigestLog()
    assert run(sent_log, outbox.append, today=SUNDAY).day_off and outbox == [] and sent_log.days == set()
