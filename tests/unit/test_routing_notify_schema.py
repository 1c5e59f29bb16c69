"""A database made by an earlier version is named at start-up instead of failing on the first message."""
from sqlalchemy import text

from services.common.db import make_engine, outdated_tables
from services.notify import repository as notify_repository
from services.routing import repository as routing_repository


def test_fresh_tables_are_up_to_date(tmp_path):
    for repository in (routing_repository, notify_repository):
        engine = make_engine(f"sqlite:///{tmp_path}/{repository.__name__}.db")
        repository.metadata.create_all(engine)
        assert outdated_tables(engine, repository.metadata) == []


def test_earlier_tables_are_named(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/old.db")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE cases (case_id VARCHAR PRIMARY KEY, complaint_id VARCHAR NOT NULL, "
                          "routed_event JSON NOT NULL)"))
        conn.execute(text("CREATE TABLE reporter_contacts (complaint_id VARCHAR PRIMARY KEY, "
                          "tracking_code VARCHAR NOT NULL, sealed_contact TEXT, received_at TIMESTAMP NOT NULL)"))
    routing_repository.metadata.create_all(engine)
    notify_repository.metadata.create_all(engine)
    [cases] = outdated_tables(engine, routing_repository.metadata)
    assert cases.startswith("cases: missing ['dossier'") and "routed_event" in cases
    [contacts] = outdated_tables(engine, notify_repository.metadata)
    assert contacts == "reporter_contacts: missing -, no longer written ['tracking_code']"
