import pytest
from sqlalchemy import func, select

from services.common.envelope import derived_event_id, new_event
from services.common.db import make_engine
from services.routing.settings import DATA as ROUTING_DATA
from services.common.worker import Permanent
from services.routing.cases import case_status_history, cases, metadata
from services.routing.directory import load_directory
from services.routing.handlers import record_notification, route_case
from services.routing.rules import load_rules

COMPLAINT = "5b1f0c3e-0000-4000-8000-000000000001"


@pytest.fixture(scope="module")
def directory():
    return load_directory(ROUTING_DATA / "units.yaml")


@pytest.fixture(scope="module")
def rules(directory):
    return load_rules(ROUTING_DATA / "rules.yaml", directory)


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/routing.db")
    metadata.create_all(engine)
    return engine


@pytest.fixture
def route(directory, rules, engine):
    published = []

    def handle(event):
        route_case(event, directory, rules, engine, published.append)
    handle.published = published
    return handle


def archived(complaint_id=COMPLAINT, region="14.03", level="kabupaten_kota", category="unggah_dukungan"):
    payload = {
        "complaint_id": complaint_id, "tracking_code": "NTR-7K4M-Q2XP",
        "subject": {"name": "Budi", "nip": None, "position": "Guru", "agency": "Dinas Pendidikan",
                    "employer_level": level, "region_code": region, "added_later": "ignored"},
        "violation": {"category": category, "platform": "facebook", "post_urls": ["https://fb.example/1"],
                      "occurred_on": "2026-11-02", "location": None, "description": "Mengunggah dukungan"},
        "files": [{"index": 0, "key": f"complaints/{complaint_id}/ab.png", "sha256": "ab", "size": 10,
                   "media_type": "image/png"}],
        "manifest_key": f"complaints/{complaint_id}/manifest.json", "rejected": [],
    }
    return new_event("evidence.archived", payload, correlation_id=complaint_id, producer="evidence",
                     event_id=derived_event_id("evidence.archived", complaint_id))


def notification(kind="sent", recipient="unit", complaint_id=COMPLAINT):
    extra = {"message_id": "<1@netra>"} if kind == "sent" else {"reason": "550 mailbox unavailable"}
    payload = {"complaint_id": complaint_id, "case_id": None, "recipient_kind": recipient,
               "unit_id": "bkpsdm-14.03", **extra}
    event_type = f"notification.{kind}"
    return new_event(event_type, payload, correlation_id=complaint_id, producer="notify",
                     event_id=derived_event_id(event_type, f"{complaint_id}:{recipient}"))


def stored_cases(engine):
    with engine.connect() as conn:
        return conn.execute(select(cases)).all()


def history(engine):
    with engine.connect() as conn:
        return [row.status for row in conn.execute(select(case_status_history).order_by(case_status_history.c.id))]


def test_an_archived_complaint_becomes_one_routed_case(route, engine):
    route(archived())
    [case] = stored_cases(engine)
    [event] = route.published
    assert event["event_type"] == "case.routed"
    assert event["event_id"] == derived_event_id("case.routed", COMPLAINT)
    assert event["correlation_id"] == COMPLAINT
    payload = event["payload"]
    assert payload["case_id"] == case.case_id
    assert payload["units"]["primary"] == {"unit_id": "bkpsdm-14.03", "kind": "bkd",
                                           "name": "BKPSDM Kabupaten Bengkalis",
                                           "email": "bkpsdm-14.03@unit.netra.invalid", "region_code": "14.03"}
    assert [u["unit_id"] for u in payload["units"]["copies"]] == ["bawaslu-14.03", "kesbangpol-14.03"]
    assert payload["files"][0]["sha256"] == "ab" and payload["manifest_key"].endswith("manifest.json")
    assert "added_later" not in payload["subject"]
    assert case.primary_unit_id == "bkpsdm-14.03" and case.status == "routed"
    assert case.copies == ["bawaslu-14.03", "kesbangpol-14.03"]
    assert history(engine) == ["routed"]


def test_a_redelivery_republishes_the_same_event_and_changes_nothing(route, engine):
    route(archived())
    route(archived())
    assert len(stored_cases(engine)) == 1
    first, second = route.published
    assert first == second
    assert history(engine) == ["routed"]


def test_the_fallback_is_recorded_on_the_case(route, engine):
    route(archived(region="31.71"))
    [case] = stored_cases(engine)
    assert case.primary_unit_id == "bkd-31"
    assert case.fallback[0] == {"wanted": "bkd@31.71", "used": "bkd@31", "reason": "no unit in region"}
    assert route.published[0]["payload"]["fallback"] == case.fallback


@pytest.mark.parametrize("event, reason", [
    (archived(region="99.99"), "unknown region code"),
    (archived(level="desa"), "payload is invalid"),
])
def test_unroutable_complaints_are_permanent_failures_and_store_nothing(route, engine, event, reason):
    with pytest.raises(Permanent, match=reason):
        route(event)
    assert stored_cases(engine) == [] and route.published == []


def test_no_matching_rule_is_a_permanent_failure(directory, engine, tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n- {id: riau, match: {regions: ['14']}, primary: bkd@region}\n")
    published = []
    with pytest.raises(Permanent, match="no routing rule matches"):
        route_case(archived(region="62.10"), directory, load_rules(path, directory), engine, published.append)
    assert stored_cases(engine) == [] and published == []


def test_a_unit_notification_moves_the_case_once(route, engine):
    route(archived())
    record_notification(notification("sent"), engine)
    record_notification(notification("sent"), engine)
    assert stored_cases(engine)[0].status == "unit_notified"
    assert history(engine) == ["routed", "unit_notified"]


def test_a_late_failure_does_not_undo_a_delivery_but_a_later_delivery_fixes_a_failure(route, engine):
    route(archived())
    record_notification(notification("failed"), engine)
    assert stored_cases(engine)[0].status == "notification_failed"
    record_notification(notification("sent"), engine)
    assert stored_cases(engine)[0].status == "unit_notified"
    record_notification(new_event("notification.failed", notification("failed")["payload"],
                                  correlation_id=COMPLAINT, producer="notify"), engine)
    assert stored_cases(engine)[0].status == "unit_notified"
    assert history(engine) == ["routed", "notification_failed", "unit_notified"]


def test_reporter_notifications_leave_the_case_alone(route, engine):
    route(archived())
    record_notification(notification("sent", recipient="reporter"), engine)
    assert stored_cases(engine)[0].status == "routed"


def test_a_notification_for_an_unknown_complaint_is_permanent(engine):
    with pytest.raises(Permanent, match="no case"):
        record_notification(notification("sent", complaint_id="unknown"), engine)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(cases)).scalar() == 0
