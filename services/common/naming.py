"""The broker's layout, declared here and nowhere else: exchanges, queue names, suffixes and headers.

  netra.events          topic exchange; the routing key is the event name
  <queue>               quorum queue of one consumer, bound to the event names it reads
  <queue>.retry.<n>     quorum delay queue n: holds a failed message for the n-th backoff, then dead-letters
                        it straight back into <queue> through the default exchange
  <queue>.parking       quorum queue of messages that failed too often or cannot be read

Every queue is a quorum queue, and every queue that dead-letters does so at least once
(`x-dead-letter-strategy: at-least-once`, which the broker honours only with `x-overflow: reject-publish`):
the message stays in its queue until the queue it moves to has confirmed it. Classic-queue dead-lettering
is at most once: a node killed while a message moves loses it (a TTL hop on a classic queue lost complaints
that way). A repeat that at-least-once allows is dropped by the consumer (event_id, idempotent handlers).
"""
from __future__ import annotations

from dataclasses import dataclass

from kombu import Exchange, Queue, binding

EVENTS = Exchange("netra.events", type="topic", durable=True)
PARKING = Exchange("netra.parking", type="direct", durable=True)
RETRY = Exchange("netra.retry", type="direct", durable=True)

PARKING_SUFFIX = ".parking"
RETRY_INFIX = ".retry."
# A crash loop (a worker killed on every delivery) is stopped by the broker itself after this many
# deliveries: the quorum queue dead-letters the message into the parking lot.
DELIVERY_LIMIT = 20

# Headers the worker writes on a message it retries or parks.
ATTEMPT_HEADER = "x-netra-attempt"
REASON_HEADER = "x-netra-reason"
QUEUE_HEADER = "x-netra-queue"
PARKED_AT_HEADER = "x-netra-parked-at"
NETRA_HEADERS = (ATTEMPT_HEADER, REASON_HEADER, QUEUE_HEADER, PARKED_AT_HEADER)
# Headers the broker writes when it dead-letters a message.
BROKER_DEATH_HEADERS = ("x-death", "x-delivery-count", "x-first-death-exchange", "x-first-death-queue",
                        "x-first-death-reason", "x-last-death-exchange", "x-last-death-queue",
                        "x-last-death-reason")


def parking_name(queue: str) -> str:
    return queue if queue.endswith(PARKING_SUFFIX) else queue + PARKING_SUFFIX


def retry_name(queue: str, level: int) -> str:
    return f"{queue}{RETRY_INFIX}{level}"


QUORUM = {"x-queue-type": "quorum"}
AT_LEAST_ONCE = {**QUORUM, "x-overflow": "reject-publish", "x-dead-letter-strategy": "at-least-once"}


@dataclass(frozen=True)
class QueueSpec:
    name: str
    event_types: tuple[str, ...]
    retry_delays_ms: tuple[int, ...]

    def main(self) -> Queue:
        return Queue(
            self.name, bindings=[binding(EVENTS, routing_key=t) for t in self.event_types], durable=True,
            queue_arguments={**AT_LEAST_ONCE, "x-delivery-limit": DELIVERY_LIMIT,
                             "x-dead-letter-exchange": PARKING.name,
                             "x-dead-letter-routing-key": self.name},
        )

    def parking(self) -> Queue:
        return Queue(parking_name(self.name), exchange=PARKING, routing_key=self.name, durable=True,
                     queue_arguments=QUORUM)

    def retry_key(self, attempt: int) -> str:
        return retry_name(self.name, min(attempt, len(self.retry_delays_ms)) - 1)

    def retries(self) -> list[Queue]:
        return [
            Queue(retry_name(self.name, n), exchange=RETRY, routing_key=retry_name(self.name, n), durable=True,
                  queue_arguments={**AT_LEAST_ONCE, "x-message-ttl": delay, "x-dead-letter-exchange": "",
                                   "x-dead-letter-routing-key": self.name})
            for n, delay in enumerate(self.retry_delays_ms)
        ]

    def declare(self, channel) -> None:
        for queue in (self.main(), self.parking(), *self.retries()):
            queue.bind(channel).declare()
