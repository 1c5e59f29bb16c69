"""The outbox relay with a fake broker: rows are marked sent only once their whole batch is confirmed."""
import json

import pytest
from sqlalchemy import func, insert, select

from services.common.envelope import new_event
from services.common.publishers import PublishFailed
from services.common.db import make_engine
from services.common.outbox import BATCH, relay_once
from services.intake.tables import metadata, outbox


class FakeBroker:
    """Takes whole batches; while it holds one it notes how many outbox rows were still pending."""

    def __init__(self, engine, refuse: bool = False):
        self.engine = engine
        self.refuse = refuse
        self.batches: list[list[dict]] = []
        self.pending_while_publishing: list[int] = []

    def publish(self, events: list[dict]) -> None:
        self.pending_while_publishing.append(pending(self.engine))
        if self.refuse:
            raise PublishFailed("2 nacked, 0 returned as unroutable")
        self.batches.append(events)


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/intake.db")
    metadata.create_all(engine)
    return engine


def add_events(engine, n: int) -> list[str]:
    made = [new_event("complaint.submitted", {"n": i}, correlation_id=f"c-{i}", producer="intake")
            for i in range(n)]
    with engine.begin() as conn:
        conn.execute(insert(outbox), [{"event_id": e["event_id"], "event_type": e["event_type"],
                                       "body": json.dumps(e)} for e in made])
    return [e["event_id"] for e in made]


def pending(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).where(outbox.c.published_at.is_(None))).scalar()


def test_a_batch_is_marked_sent_only_after_it_is_confirmed(engine):
    ids = add_events(engine, 3)
    broker = FakeBroker(engine)
    assert relay_once(engine, outbox, broker.publish) == 3
    assert [[e["event_id"] for e in batch] for batch in broker.batches] == [ids]
    assert broker.pending_while_publishing == [3]
    assert pending(engine) == 0
    assert relay_once(engine, outbox, broker.publish) == 0 and len(broker.batches) == 1


def test_a_refused_batch_leaves_every_row_pending_for_the_next_try(engine):
    ids = add_events(engine, 3)
    with pytest.raises(PublishFailed):
        relay_once(engine, outbox, FakeBroker(engine, refuse=True).publish)
    assert pending(engine) == 3
    broker = FakeBroker(engine)
    assert relay_once(engine, outbox, broker.publish) == 3
    assert [e["event_id"] for e in broker.batches[0]] == ids and pending(engine) == 0


def test_a_long_backlog_goes_out_in_batches_in_order(engine):
    ids = add_events(engine, BATCH + 20)
    broker = FakeBroker(engine)
    assert relay_once(engine, outbox, broker.publish) == BATCH
    assert relay_once(engine, outbox, broker.publish) == 20
    assert [e["event_id"] for batch in broker.batches for e in batch] == ids
    assert broker.pending_while_publishing == [BATCH + 20, 20]
