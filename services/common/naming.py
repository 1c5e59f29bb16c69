"""The broker's layout, declared here and nowhere else: exchanges, queue names, suffixes and headers.

  netra.events          topic exchange; the routing key is the event name
  <queue>               quorum queue of one consumer, bound to the event names it reads
  <queue>.retry.<n>     delay queue n: holds a failed message for the n-th backoff, then dead-letters
                        it straight back into <queue> through the default exchange
  <queue>.parking       quorum queue of messages that failed too often or cannot be read
  <queue>.defer.<ms>    only for a queue with defer_ms: a first delivery waits here for <ms>, one bucket
                        picked at random, before it is handled (e.g. a random delay before a unit's mail)
"""
from __future__ import annotations

from dataclasses import dataclass

from kombu import Exchange, Queue, binding

EVENTS = Exchange("netra.events", type="topic", durable=True)
PARKING = Exchange("netra.parking", type="direct", durable=True)
RETRY = Exchange("netra.retry", type="direct", durable=True)
EXCHANGES = (EVENTS, PARKING, RETRY)

PARKING_SUFFIX = ".parking"
RETRY_INFIX = ".retry."
DEFER_INFIX = ".defer."
# A crash loop (a worker killed on every delivery) is stopped by the broker itself after this many
# deliveries: the quorum queue dead-letters the message into the parking lot.
DELIVERY_LIMIT = 20

# Headers the worker writes on a message it retries or parks.
ATTEMPT_HEADER = "x-netra-attempt"
REASON_HEADER = "x-netra-reason"
QUEUE_HEADER = "x-netra-queue"
PARKED_AT_HEADER = "x-netra-parked-at"
DEFERRED_HEADER = "x-netra-deferred"  # the delay in ms a deferred message has waited
NETRA_HEADERS = (ATTEMPT_HEADER, REASON_HEADER, QUEUE_HEADER, PARKED_AT_HEADER)
# Headers the broker writes when it dead-letters a message.
BROKER_DEATH_HEADERS = ("x-death", "x-delivery-count", "x-first-death-exchange", "x-first-death-queue",
                        "x-first-death-reason", "x-last-death-exchange", "x-last-death-queue",
                        "x-last-death-reason")


def parking_name(queue: str) -> str:
    return queue if queue.endswith(PARKING_SUFFIX) else queue + PARKING_SUFFIX


def retry_name(queue: str, level: int) -> str:
    return f"{queue}{RETRY_INFIX}{level}"


def defer_name(queue: str, delay_ms: int) -> str:
    return f"{queue}{DEFER_INFIX}{delay_ms}"


# Delay queues are classic (one node) by default; on a cluster they are quorum queues, replicated like the
# others, and dead-letter at least once (consumers drop a repeat by event_id), which needs reject-publish.
DELAY_QUEUE_ARGS = {"classic": {}, "quorum": {"x-queue-type": "quorum", "x-overflow": "reject-publish",
                                              "x-dead-letter-strategy": "at-least-once"}}


@dataclass(frozen=True)
class QueueSpec:
    name: str
    event_types: tuple[str, ...]
    retry_delays_ms: tuple[int, ...]
    defer_ms: tuple[int, ...] = ()  # delay buckets for a first delivery; empty: handled at once

    def main(self) -> Queue:
        return Queue(
            self.name, bindings=[binding(EVENTS, routing_key=t) for t in self.event_types], durable=True,
            queue_arguments={"x-queue-type": "quorum", "x-delivery-limit": DELIVERY_LIMIT,
                             "x-dead-letter-exchange": PARKING.name,
                             "x-dead-letter-routing-key": self.name},
        )

    def parking(self) -> Queue:
        return Queue(parking_name(self.name), exchange=PARKING, routing_key=self.name, durable=True,
                     queue_arguments={"x-queue-type": "quorum"})

    def retry_key(self, attempt: int) -> str:
        return retry_name(self.name, min(attempt, len(self.retry_delays_ms)) - 1)

    def retries(self, queue_type: str = "classic") -> list[Queue]:
        return [
            Queue(retry_name(self.name, n), exchange=RETRY, routing_key=retry_name(self.name, n), durable=True,
                  queue_arguments={"x-message-ttl": delay, "x-dead-letter-exchange": "",
                                   "x-dead-letter-routing-key": self.name, **DELAY_QUEUE_ARGS[queue_type]})
            for n, delay in enumerate(self.retry_delays_ms)
        ]

    def deferrals(self, queue_type: str = "classic") -> list[Queue]:
        return [
            Queue(defer_name(self.name, delay), exchange=RETRY, routing_key=defer_name(self.name, delay),
                  durable=True, queue_arguments={"x-message-ttl": delay, "x-dead-letter-exchange": "",
                                                 "x-dead-letter-routing-key": self.name,
                                                 **DELAY_QUEUE_ARGS[queue_type]})
            for delay in self.defer_ms
        ]

    def declare(self, channel, delay_queue_type: str = "classic") -> None:
        """delay_queue_type "quorum" (NETRA_DELAY_QUEUE_TYPE, for a cluster) replicates the delay queues too."""
        for queue in (self.main(), self.parking(), *self.retries(delay_queue_type),
                      *self.deferrals(delay_queue_type)):
            queue.bind(channel).declare()
