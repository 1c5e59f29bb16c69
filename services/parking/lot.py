"""The parking lots on the broker: browse `<queue>.parking` without losing a message, and replay.

Browsing fetches every parked message with basic_get and holds it unacked; closing the channel hands
them all back to the queue in their original order. A replayed message is acked in the parking queue only
after the broker confirmed its copy in the main queue, so an interruption leaves it in both places at
worst, never in neither (consumers drop the repeat by event_id).
"""
from __future__ import annotations

import json
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

import pika
from pika.exceptions import ChannelClosedByBroker

from services.common.naming import BROKER_DEATH_HEADERS, NETRA_HEADERS, PARKING_SUFFIX, parking_name

# Headers that describe the failed life of a message; a replay starts a fresh one without them.
FAILURE_HEADERS = (*NETRA_HEADERS, *BROKER_DEATH_HEADERS)
RETURN_WAIT_SECONDS = 5


class QueueMissing(Exception):
    """The queue is not declared on the broker."""


@dataclass
class Parked:
    position: int
    delivery_tag: int
    properties: pika.BasicProperties
    body: bytes
    acked: bool = False

    @property
    def headers(self) -> dict:
        return self.properties.headers or {}

    @cached_property
    def event(self) -> dict | None:
        try:
            event = json.loads(self.body)
        except ValueError:
            return None
        return event if isinstance(event, dict) else None

    @property
    def ident(self) -> str:
        return self.properties.message_id or str((self.event or {}).get("event_id", "-"))


def origin_queue(queue: str) -> str:
    return parking_name(queue).removesuffix(PARKING_SUFFIX)


@contextmanager
def held_messages(connection, queue: str):
    """Every message of the queue, held unacked on a channel; the ones not acked go back on exit."""
    channel = connection.channel()
    messages: list[Parked] = []
    try:
        messages.extend(_fetch_all(channel, queue))
        yield channel, messages
    except ChannelClosedByBroker as exc:
        if exc.reply_code == 404:
            raise QueueMissing(queue) from None
        raise
    finally:
        if channel.is_open:
            channel.close()
            _await_return(connection, queue, sum(not message.acked for message in messages))


def _await_return(connection, queue: str, held: int) -> None:
    """A quorum queue takes returned messages back a moment after the channel closed: wait (a little)
    for them, so that the next command, and the operator's next `list`, sees every one of them."""
    channel = connection.channel()
    deadline = time.monotonic() + RETURN_WAIT_SECONDS
    while channel.queue_declare(queue, passive=True).method.message_count < held:
        if time.monotonic() > deadline:
            break
        connection.sleep(0.05)
    channel.close()


def _fetch_all(channel, queue: str):
    position = 0
    while True:
        method, properties, body = channel.basic_get(queue, auto_ack=False)
        if method is None:
            return
        position += 1
        yield Parked(position, method.delivery_tag, properties, body)


def find(messages: list[Parked], wanted: str) -> Parked | None:
    for message in messages:
        if wanted in (message.ident, str((message.event or {}).get("event_id"))):
            return message
    if wanted.isdigit() and 1 <= int(wanted) <= len(messages):
        return messages[int(wanted) - 1]
    return None


def republish(channel, origin: str, message: Parked) -> None:
    """Back into the main queue with a fresh set of attempts; the parked copy goes after the confirm."""
    properties = message.properties
    properties.headers = {k: v for k, v in message.headers.items() if k not in FAILURE_HEADERS}
    properties.delivery_mode = pika.DeliveryMode.Persistent.value
    channel.basic_publish("", origin, message.body, properties, mandatory=True)
    channel.basic_ack(message.delivery_tag)
    message.acked = True

