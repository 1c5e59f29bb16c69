"""A database made by an earlier version is named at start-up instead of failing on the first message."""
from sqlalchemy import text

from services.common.db import make_engine
from services.notify import repository as notify_repository
from services.routing import repository as routing_repository


def test_fresh_tables_are_up_to_date(tmp_path):
    for repository in (routing_repository, notify_repository):
        engine = make_engine(f"sqlite:///{tmp_path}/{repository.__name__}.db")
        repository.metadata.create_all(engine)
        assert repository.outdated_tables(engine) == []


def test_earlier_tables_are_named(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/old.db")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE cases (case_id VARCHAR PRIMARY KEY, complaint_id VARCHAR NOT NULL, "
                          "routed_event JSON NOT NULL)"))
        conn.execute(text("CREATE TABLE reporter_contacts (complaint_id VARCHAR PRIMARY KEY, "
                          "tracking_code VARCHAR NOT NULL, sealed_contact TEXT, received_at TIMESTAMP NOT NULL)"))
    routing_repository.metadata.create_all(engine)
    notify_repository.metadata.create_all(engine)
    [cases] = routing_repository.outdated_tables(engine)
    assert cases.startswith("cases: missing ['dossier'") and "routed_event" in cases
    [contacts] = notify_repository.outdated_tables(engine)
    assert contacts == "reporter_contacts: missing -, no longer written ['tracking_code']"
