"""A soak: complaints stream in for minutes while, every few seconds, one server or Netra process is killed.

Clients behave like the form: each complaint is sent with its own Idempotency-Key and sent again with the
same key until it gets its 202. Every few seconds one target is chosen at random and killed: the broker
(SIGKILL), MinIO (SIGKILL), PostgreSQL (stop -m immediate), the SMTP relay (connections refused), or one
Netra process (SIGKILL; restarted as a container's restart policy would). A server comes back after a
few seconds. At the end every accepted complaint must be mailed to its unit exactly once.

CI runs it small; NETRA_SOAK_COMPLAINTS sets the size of a full run (deploy/faults.sh).
"""
import os
import random
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support import servers
from tests.support.complaints import complaint

SOAK_COMPLAINTS = int(os.environ.get("NETRA_SOAK_COMPLAINTS", "200"))
CLIENTS = 4
PER_CLIENT_PER_SECOND = 2.5  # 10 complaints a second in all
KILL_EVERY_S = (3, 6)
DOWN_FOR_S = (2, 8)
AT_LEAST_S = 45  # a small run is spread over this long, so that several kills land while complaints arrive
AT_LEAST_KILLS = 3  # and the chaos goes on after the stream until this many have happened
pytestmark = pytest.mark.timeout(600 + SOAK_COMPLAINTS)


class Chaos:
    """Kills one random target every few seconds until stopped, and brings servers back."""

    def __init__(self, pipeline, seed: int):
        self.pipeline, self.random = pipeline, random.Random(seed)
        self.minio = servers.MinioProcess()
        self.killed: Counter = Counter()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not (self.stopped.is_set() and sum(self.killed.values()) >= AT_LEAST_KILLS):
            time.sleep(self.random.uniform(*KILL_EVERY_S))
            target = self.random.choice(["rabbitmq", "minio", "postgresql", "smtp", "netra", "netra"])
            self.killed[self._kill(target)] += 1

    def _kill(self, target: str) -> str:
        system = self.pipeline.system
        if target == "netra":
            name = self.random.choice(sorted(system.processes))
            system.kill(name)  # pipeline.supervise() starts it again
            return name
        down, up = {"rabbitmq": (servers.kill_rabbitmq, servers.start_rabbitmq),
                    "minio": (lambda: self.minio.stop(9), self.minio.start),
                    "postgresql": (servers.crash_postgres, servers.start_postgres),
                    "smtp": (self.pipeline.smtp.down, self.pipeline.smtp.up)}[target]
        down()
        try:
            time.sleep(self.random.uniform(*DOWN_FOR_S))
        finally:
            up()
        return target

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join(300)


def send_until_accepted(pipeline, index: int, tries: list) -> None:
    """One citizen: the same document and Idempotency-Key again until a 202 (a refusal or a dropped
    connection while a server is down is answered by trying again, as the form's "Coba lagi" does)."""
    document, key = complaint(), {"Idempotency-Key": str(uuid.uuid4())}
    for attempt in range(1, 121):
        if pipeline.submit_one(index, key, document) is not None:
            tries.append(attempt)
            return
        time.sleep(1)
    tries.append(None)


def test_soak_random_servers_and_processes_killed_every_few_seconds(pipeline_factory):
    pipeline = pipeline_factory()
    pipeline.supervise()
    seed = int(os.environ.get("NETRA_SOAK_SEED", time.time_ns() % 100_000))
    started, tries = time.monotonic(), []
    with Chaos(pipeline, seed) as chaos, ThreadPoolExecutor(CLIENTS) as clients:
        for index in range(SOAK_COMPLAINTS):
            clients.submit(send_until_accepted, pipeline, index, tries)
            time.sleep(max(1 / (CLIENTS * PER_CLIENT_PER_SECOND), AT_LEAST_S / SOAK_COMPLAINTS))
        clients.shutdown(wait=True)
    streamed_s = round(time.monotonic() - started, 1)
    pipeline.refusals.clear()  # each was answered by a retry with the same key; `tries` counts them
    outcome = pipeline.settle_and_check("soak: a random server or process killed every 3-6 s", time.monotonic(),
                                        timeout=600, seed=seed, streamed_s=streamed_s, kills=dict(chaos.killed),
                                        sends_per_complaint=round(sum(t or 0 for t in tries) / len(tries), 2))
    assert None not in tries, f"{tries.count(None)} complaints never got a 202 in two minutes of retries"
    assert outcome.accepted == SOAK_COMPLAINTS + 1  # and the sentinel
    assert sum(chaos.killed.values()) >= AT_LEAST_KILLS, "the soak ran under fire"
