"""Publishing to the broker: persistent messages, each confirmed by the broker before a publish returns.

`Publisher` publishes one message at a time and reconnects on broker loss; `BatchPublisher` keeps a whole
batch in flight and waits once for all its confirms (the outbox relay's hot path).
"""
from __future__ import annotations

import socket
import time

from kombu import Connection, Exchange, Producer
from kombu.exceptions import OperationalError

from .brokers import broker_urls
from .envelope import encode
from .naming import EVENTS


def connect(amqp_url: str) -> Connection:
    """A connection whose publishes wait for the broker's confirm: a publish that returns is durable.

    amqp_url may list a cluster's nodes, separated by commas: kombu connects to the first that answers
    and, when the connection is lost, tries the next (round-robin failover)."""
    return Connection(broker_urls(amqp_url), heartbeat=30, transport_options={"confirm_publish": True},
                      connect_timeout=5, failover_strategy="round-robin")


class Publisher:
    """Publishes persistent messages with publisher confirms; reconnects and retries on broker loss.

    Not thread-safe: each thread that publishes owns its own Publisher.
    """

    def __init__(self, connection: Connection, max_retries: int = 60, patience: float = 120):
        self._connection = connection
        self._patience = patience
        self._producer = Producer(connection, exchange=EVENTS, auto_declare=True)
        self._publish = connection.ensure(self._producer, self._producer.publish, max_retries=max_retries,
                                          interval_start=0.2, interval_step=0.5, interval_max=2)

    def publish(self, event: dict) -> None:
        self.send(encode(event), EVENTS, event["event_type"], {}, event["event_id"])

    def send(self, body: bytes, exchange: Exchange, routing_key: str, headers: dict,
             message_id: str | None = None) -> None:
        """Returns once the broker confirmed; waits out a broker outage for up to `patience` seconds.

        kombu's ensure() retries a lost connection, but not one it cannot open again while reopening the
        channel (it raises OperationalError then): that case is retried here, so a worker whose broker was
        killed mid-message waits for it instead of dying with the message in hand."""
        deadline, pause = time.monotonic() + self._patience, 0.2
        while True:
            try:
                self._publish(body, exchange=exchange, routing_key=routing_key, headers=headers,
                              content_type="application/json", content_encoding="utf-8",
                              delivery_mode=2, message_id=message_id)
                return
            except OperationalError:
                if time.monotonic() + pause > deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 2.0)

    def close(self) -> None:
        self._connection.release()


class PublishFailed(Exception):
    """The broker did not take every message of a batch: publish the whole batch again."""


class _Confirms:
    """The broker's answers to one batch, by delivery tag (an ack or nack may settle many at once)."""

    def __init__(self, tags: range):
        self.unsettled = set(tags)
        self.nacked = 0
        self.returned = 0

    def settle(self, tag: int, multiple: bool) -> int:
        done = {t for t in self.unsettled if t <= tag} if multiple else self.unsettled & {tag}
        self.unsettled -= done
        return len(done)


class BatchPublisher:
    """Publishes a batch of events with every message in flight at once, then one wait for the confirms.

    `publish(events)` returns only when the broker has confirmed every message; otherwise (nacked,
    unroutable, connection lost, no answer within confirm_timeout) it raises, and the caller publishes
    the whole batch again: consumers drop the repeats by event_id. After a failure the next call opens a
    new connection. Messages carry the same properties as Publisher's. Not thread-safe.
    """

    def __init__(self, amqp_url: str, confirm_timeout: float = 30):
        self._urls = broker_urls(amqp_url)
        self._confirm_timeout = confirm_timeout
        self._connection: Connection | None = None
        self._producer: Producer | None = None
        self._last_tag = 0
        self._confirms = _Confirms(range(0))

    def publish(self, events: list[dict]) -> None:
        if not events:
            return
        try:
            self._send_all(events)
            self._wait_for_confirms()
        except BaseException:
            self._abandon()
            raise

    def close(self) -> None:
        if self._connection is not None:
            self._connection.release()
        self._connection = self._producer = None

    def _open(self) -> Producer:
        if self._producer is None:
            # No heartbeats (the kombu default): an idle relay would otherwise be dropped by the broker
            # between batches; a dead peer still shows as a confirm timeout or a socket error.
            self._connection = Connection(list(self._urls), connect_timeout=5, failover_strategy="round-robin")
            # One attempt per node (kombu's failover moves to the next): the caller decides when to try again.
            self._connection.ensure_connection(max_retries=len(self._urls) - 1, reraise_as_library_errors=False)
            channel = self._connection.channel()
            channel.confirm_select()
            channel.events["basic_ack"].add(self._on_ack)
            channel.events["basic_nack"].add(self._on_nack)
            channel.events["basic_return"].add(self._on_return)
            self._producer = Producer(channel, exchange=EVENTS, auto_declare=True)
            self._last_tag = 0
        return self._producer

    def _send_all(self, events: list[dict]) -> None:
        producer = self._open()
        # Delivery tags count the channel's publishes from 1, so this batch's tags are known up front.
        self._confirms = _Confirms(range(self._last_tag + 1, self._last_tag + 1 + len(events)))
        for event in events:
            producer.publish(encode(event), routing_key=event["event_type"],
                             mandatory=True, headers={}, content_type="application/json",
                             content_encoding="utf-8", delivery_mode=2, message_id=event["event_id"])
            self._last_tag += 1

    def _wait_for_confirms(self) -> None:
        confirms, deadline = self._confirms, time.monotonic() + self._confirm_timeout
        while confirms.unsettled:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PublishFailed(f"{len(confirms.unsettled)} unconfirmed after {self._confirm_timeout}s")
            try:
                self._connection.drain_events(timeout=remaining)
            except socket.timeout:
                pass
        if confirms.nacked or confirms.returned:
            raise PublishFailed(f"{confirms.nacked} nacked, {confirms.returned} returned as unroutable")

    def _on_ack(self, tag: int, multiple: bool) -> None:
        self._confirms.settle(tag, multiple)

    def _on_nack(self, tag: int, multiple: bool) -> None:
        self._confirms.nacked += self._confirms.settle(tag, multiple)

    def _on_return(self, exc, exchange, routing_key, message) -> None:
        self._confirms.returned += 1  # the broker still acks it afterwards: only this tells it went nowhere

    def _abandon(self) -> None:
        """Drop the connection without talking to the broker: it may be gone, or its channel may be."""
        if self._connection is not None:
            try:
                self._connection.collect()
            except Exception:  # noqa: BLE001 - the connection is being thrown away anyway
                pass
        self._connection = self._producer = None
