"""One PostgreSQL advisory lock per scheduled job, taken in the database the job works on: two schedulers
(two replicas, or a CronJob next to the scheduler) never run the same job at once. The one that does not
get the lock skips that run; every job is also safe to run twice in a row (each claims or checks its work
in its own database)."""
from __future__ import annotations

import hashlib
from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool


def lock_key(job: str) -> int:
    """A stable signed 64-bit key per job name."""
    return int.from_bytes(hashlib.sha256(f"netra.schedule.{job}".encode()).digest()[:8], "big", signed=True)


@contextmanager
def job_lock(database_url: str, job: str) -> Iterator[bool]:
    """True while this process holds the job's lock, False when another holds it."""
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            held = conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": lock_key(job)}).scalar()
            conn.commit()
            try:
                yield bool(held)
            finally:
                if held:
                    conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": lock_key(job)})
                    conn.commit()
    finally:
        engine.dispose()


class Leadership:
    """The scheduler's own lock: of several scheduler replicas only the one holding it schedules anything,
    so each job runs once per fire time; the others stand by and take over when its session ends."""

    KEY = lock_key("scheduler")

    def __init__(self, database_url: str):
        self.engine = create_engine(database_url, poolclass=NullPool)
        self.conn = None

    def try_acquire(self) -> bool:
        conn = self.engine.connect()
        won = conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.KEY}).scalar()
        conn.commit()
        if won:
            self.conn = conn
        else:
            conn.close()
        return bool(won)

    def held(self) -> bool:
        """The session that holds the lock still answers (a session lock lasts as long as its session)."""
        try:
            self.conn.execute(text("SELECT 1"))
            self.conn.commit()
            return True
        except Exception:  # noqa: BLE001 - any database error: the lock may be gone, so this replica stops leading
            return False

    def release(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.engine.dispose()
