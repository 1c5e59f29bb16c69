"""One unit of work: a state change and the events it causes, committed once, in the same shape everywhere.

    with repository.transaction() as tx:     # tx: the service's writes on one open transaction
        ...read and write through tx...
        tx.emit(event)                        # an event this change causes
    # leaving the block commits once; a block that raises commits nothing and sends nothing

Where the events go is the service's choice, made once where its repository is built:
- `outbox`: the events are rows of the same transaction and the outbox relay publishes them
  (services/common/outbox.py). intake and the desk: a web request must be answered whether or not the broker
  is up, and their workers write beside them into the same table.
- `after_commit`: each event is published once the transaction has committed. routing: its worker holds the
  message until the handler returns, so a crash between commit and publish redelivers the message, and the
  handler, idempotent, publishes the same event again; no table and no relay are needed for that.
notify and evidence change one record per message (a delivery row; an object written once in the bucket)
and publish after it, in that order, the same publish-after-commit with nothing to collect.

Why a context rather than one save method per action: the services had three shapes (routing's
`transaction()`, the desk's `apply(Change)`, intake's `save(Accepted, also=...)`). A method per action could
not take a second writer's rows (a team's finding had to come in as a callback) and hid where the events
went; a context takes any number of writes and events, from any repository that accepts `tx`, and commits
them together. It is cosmicpython's UnitOfWork with `collect_new_events`, and eShop's outbox, cut to the
two deliveries Netra uses.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator, TypeVar

from sqlalchemy import Table
from sqlalchemy.engine import Connection, Engine

from .outbox import add_to_outbox


class Transaction:
    """An open transaction (`conn`) and the events emitted in it, in order."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.events: list[dict] = []

    def emit(self, *events: dict) -> None:
        self.events.extend(events)


T = TypeVar("T", bound=Transaction)


@contextmanager
def unit_of_work(engine: Engine, make: Callable[[Connection], T] = Transaction, *, outbox: Table | None = None,
                 after_commit: Callable[[dict], None] | None = None) -> Iterator[T]:
    """`make(conn)` is what the block writes through; its events go to `outbox` (same transaction) or to
    `after_commit` (one by one, after the commit). With neither, emitting an event is a mistake."""
    with engine.begin() as conn:
        tx = make(conn)
        yield tx
        if outbox is not None:
            add_to_outbox(conn, outbox, tx.events)
        elif tx.events and after_commit is None:
            raise RuntimeError("events emitted in a unit of work that has nowhere to send them")
    if after_commit is not None:
        for event in tx.events:
            after_commit(event)
