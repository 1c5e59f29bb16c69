"""The bus: one topic exchange, a quorum queue per consumer and purpose, a retry path and a parking lot.

Names follow one convention, declared here and nowhere else:
  netra.events          topic exchange; the routing key is the event name
  <queue>               quorum queue of one consumer, bound to the event names it reads
  <queue>.retry.<n>     delay queue n: holds a failed message for the n-th backoff, then dead-letters
                        it straight back into <queue> through the default exchange
  <queue>.parking       quorum queue of messages that failed too often or cannot be read
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from kombu import Connection, Exchange, Producer, Queue, binding

EVENTS = Exchange("netra.events", type="topic", durable=True)
PARKING = Exchange("netra.parking", type="direct", durable=True)
RETRY = Exchange("netra.retry", type="direct", durable=True)
SCHEMA_VERSION = 1
# A crash loop (a worker killed on every delivery) is stopped by the broker itself after this many
# deliveries: the quorum queue dead-letters the message into the parking lot.
DELIVERY_LIMIT = 20


def new_event(event_type: str, payload: dict, *, correlation_id: str, producer: str,
              event_id: str | None = None) -> dict:
    return {
        "event_id": event_id or str(uuid.uuid4()),
        "event_type": event_type,
        "schema_version": SCHEMA_VERSION,
        "occurred_at": datetime.now(timezone.utc).isoformat(),
        "correlation_id": correlation_id,
        "producer": producer,
        "payload": payload,
    }


def derived_event_id(event_type: str, business_key: str) -> str:
    """The same fact about the same thing always gets the same id, so consumers can drop repeats."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"netra:{event_type}:{business_key}"))


@dataclass(frozen=True)
class QueueSpec:
    name: str
    event_types: tuple[str, ...]
    retry_delays_ms: tuple[int, ...]

    def main(self) -> Queue:
        return Queue(
            self.name, bindings=[binding(EVENTS, routing_key=t) for t in self.event_types], durable=True,
            queue_arguments={"x-queue-type": "quorum", "x-delivery-limit": DELIVERY_LIMIT,
                             "x-dead-letter-exchange": PARKING.name,
                             "x-dead-letter-routing-key": self.name},
        )

    def parking(self) -> Queue:
        return Queue(f"{self.name}.parking", exchange=PARKING, routing_key=self.name, durable=True,
                     queue_arguments={"x-queue-type": "quorum"})

    def retry_key(self, attempt: int) -> str:
        level = min(attempt, len(self.retry_delays_ms)) - 1
        return f"{self.name}.retry.{level}"

    def retries(self) -> list[Queue]:
        return [
            Queue(f"{self.name}.retry.{n}", exchange=RETRY, routing_key=f"{self.name}.retry.{n}", durable=True,
                  queue_arguments={"x-message-ttl": delay, "x-dead-letter-exchange": "",
                                   "x-dead-letter-routing-key": self.name})
            for n, delay in enumerate(self.retry_delays_ms)
        ]

    def declare(self, channel) -> None:
        for queue in (self.main(), self.parking(), *self.retries()):
            queue.bind(channel).declare()


def connect(amqp_url: str) -> Connection:
    """A connection whose publishes wait for the broker's confirm: a publish that returns is durable."""
    return Connection(amqp_url, heartbeat=30, transport_options={"confirm_publish": True},
                      connect_timeout=5)


class Publisher:
    """Publishes persistent messages with publisher confirms; reconnects and retries on broker loss.

    Not thread-safe: each thread that publishes owns its own Publisher.
    """

    def __init__(self, connection: Connection, max_retries: int = 60):
        self._connection = connection
        self._producer = Producer(connection, exchange=EVENTS, auto_declare=True)
        self._publish = connection.ensure(self._producer, self._producer.publish, max_retries=max_retries,
                                          interval_start=0.2, interval_step=0.5, interval_max=2)

    def publish(self, event: dict) -> None:
        body = json.dumps(event, ensure_ascii=False).encode()
        self.send(body, EVENTS, event["event_type"], {}, event["event_id"])

    def send(self, body: bytes, exchange: Exchange, routing_key: str, headers: dict,
             message_id: str | None = None) -> None:
        self._publish(body, exchange=exchange, routing_key=routing_key, headers=headers,
                      content_type="application/json", content_encoding="utf-8",
                      delivery_mode=2, message_id=message_id)

    def close(self) -> None:
        self._connection.release()
