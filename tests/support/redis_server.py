"""A Redis of a test's own on a free loopback port, for tests that stop the abuse-limit store on purpose."""
from __future__ import annotations

import subprocess
from contextlib import contextmanager
from typing import Iterator

import redis

from .system import free_port
from .waiting import wait_until


class RedisProcess:
    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(self.port),
                                         "--save", "", "--appendonly", "no"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self.answers, "the test's Redis answering", timeout=20)

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_timeout=1)

    def answers(self) -> bool:
        try:
            return self.client().ping()
        except redis.RedisError:
            return False

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)


@contextmanager
def own_redis() -> Iterator[RedisProcess]:
    server = RedisProcess()
    try:
        yield server
    finally:
        if server.process.poll() is None:
            server.stop()
