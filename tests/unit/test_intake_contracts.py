"""intake's side of the event contract: it reads every example it consumes, and emits what is documented."""
import pytest

from services.common.envelope import Permanent, read_payload
from services.intake.app import create_app
from services.intake.events import READERS
from services.intake.queues import SUBSCRIPTIONS, TIMELINE
from services.intake.settings import IntakeSettings
from services.intake.tracking.status import record_timeline
from tests.support.complaints import complaint
from tests.support.contracts import assert_matches_example, example, example_names
from tests.support.intake_fakes import FakeRepository, FakeStore

TIMELINE_EVENTS = next(queue.event_types for queue in SUBSCRIPTIONS if queue.queue == TIMELINE)
CONSUMED = [name for event_type in TIMELINE_EVENTS for name in example_names(event_type)]
EXPECTED = {
    "evidence.archived": ("evidence_archived", "1 berkas bukti diarsipkan"),
    "evidence.rejected": ("evidence_rejected", "1 berkas bukti ditolak"),
    "case.routed": ("routed", "BKPSDM Kabupaten Bengkalis (nomor kasus NTR-2026-1403-00123); laporan Anda adalah laporan ke-3 atas perbuatan yang sama dan ditangani bersama laporan lainnya"),
    "case.routed.transfer": ("routed", "Badan Kepegawaian Daerah Provinsi Riau (nomor kasus NTR-2026-1403-00123); laporan Anda adalah laporan ke-3 atas perbuatan yang sama dan ditangani bersama laporan lainnya"),
    "notification.sent.case": ("unit_notified", None),
    "notification.failed.case": ("notification_failed", None),
    "case.status_changed": ("dalam_pemeriksaan", "Laporan sedang diperiksa oleh BKPSDM."),
    "case.step_opened": ("step_handed_on", "Bawaslu Kabupaten Bengkalis selesai memeriksa dan meneruskan rekomendasi "
                                           "ke Kantor Regional XII BKN Pekanbaru"),
}


def test_intake_consumes_the_examples_it_is_meant_to():
    assert set(EXPECTED) <= set(CONSUMED)
    assert "notification.sent.ack" in CONSUMED


@pytest.mark.parametrize("name", CONSUMED)
def test_each_consumed_example_reads_with_intakes_tolerant_schema(name):
    event = example(name)
    payload = read_payload(READERS[event["event_type"]], event)
    assert payload["complaint_id"] == event["payload"]["complaint_id"]


@pytest.mark.parametrize("name", CONSUMED)
def test_each_consumed_example_adds_what_the_timeline_shows(name):
    repository, event = FakeRepository(), example(name)
    record_timeline(event, repository)
    entries = repository.timelines.get(event["payload"]["complaint_id"], [])
    assert [(e["status"], e["detail"]) for e in entries] == ([EXPECTED[name]] if name in EXPECTED else [])


def test_an_example_missing_a_field_intake_needs_is_parked_not_guessed():
    event = example("case.routed")
    del event["payload"]["units"]
    with pytest.raises(Permanent):
        record_timeline(event, FakeRepository())


def test_the_complaint_submitted_that_intake_emits_matches_the_documented_example():
    repository = FakeRepository()
    app = create_app(IntakeSettings(database_url="sqlite://", rate_limits_enabled=False), repository=repository,
                     store=FakeStore())
    assert app.test_client().post("/api/v1/complaints", json=complaint()).status_code == 202
    (emitted,) = repository.events
    assert_matches_example(emitted, "complaint.submitted")


@pytest.mark.parametrize("reporter, named", [
    ({"name": "Siti Rahmawati", "email": "siti.pelapor@example.org"}, True),
    ({"name": "Siti Rahmawati", "phone": "+62 812 7777 0001"}, True),
    ({"name": "Siti Rahmawati", "email": "siti.pelapor@example.org", "anonymous": True}, False),
    ({"email": "siti.pelapor@example.org"}, False),   # no name: Bawaslu cannot register it
    ({"name": "Siti Rahmawati"}, False),              # no way to reach the reporter
    (None, False),
])
def test_complaint_submitted_says_whether_the_reporter_is_named_and_never_who(reporter, named):
    repository = FakeRepository()
    app = create_app(IntakeSettings(database_url="sqlite://", rate_limits_enabled=False), repository=repository,
                     store=FakeStore())
    assert app.test_client().post("/api/v1/complaints", json={**complaint(), "reporter": reporter}).status_code == 202
    (emitted,) = repository.events
    assert emitted["payload"]["reporter_named"] is named
    text = str(emitted)
    assert "Siti" not in text and "siti.pelapor" not in text and "7777" not in text
