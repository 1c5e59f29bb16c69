"""netra-parking: list, show, replay and purge the messages parked in `<queue>.parking`.

    netra-parking list [QUEUE]            netra-parking replay QUEUE ID | --all
    netra-parking show QUEUE ID           netra-parking purge QUEUE [--yes]

QUEUE is a consumer queue (`routing.route`) or its parking queue (`routing.route.parking`); ID is a
message_id / event_id, or the position that `list` prints. Exit codes: 0 ok, 1 not found or nothing
done, 2 usage.

Written with pika rather than kombu: this is one short synchronous session that needs the bare AMQP
verbs, and pika gives each of them as one blocking call with the broker's answer: basic_get without
ack, queue_purge with its count, and a mandatory publish on a confirming channel that raises
UnroutableError or NackError on the call itself. kombu would wrap the same verbs in SimpleQueue,
Producer and on_return callbacks and add nothing this tool needs.

Nothing here loses a message. Browsing fetches every parked message with basic_get and holds it
unacked; closing the channel hands them all back to the queue in their original order. A replayed
message is acked in the parking queue only after the broker confirmed its copy in the main queue, so
an interruption leaves it in both places at worst, never in neither (consumers drop the repeat by
event_id).
"""
from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

import pika
from pika.exceptions import AMQPConnectionError, ChannelClosedByBroker, NackError, UnroutableError

from services.common.settings import Settings
from services.topology import all_queues

OK, NOT_FOUND, USAGE = 0, 1, 2
PARKING_SUFFIX = ".parking"
SEALED_FIELD = "reporter_contact"
# Headers that describe the failed life of a message; a replay starts a fresh one without them.
FAILURE_HEADERS = ("x-netra-attempt", "x-netra-reason", "x-netra-queue", "x-netra-parked-at", "x-death",
                   "x-delivery-count",
                   "x-first-death-exchange", "x-first-death-queue", "x-first-death-reason",
                   "x-last-death-exchange", "x-last-death-queue", "x-last-death-reason")
PREVIEW_BYTES = 2000
REASON_WIDTH = 120
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


def parking_queue(queue: str) -> str:
    return queue if queue.endswith(PARKING_SUFFIX) else queue + PARKING_SUFFIX


def origin_queue(queue: str) -> str:
    return parking_queue(queue).removesuffix(PARKING_SUFFIX)


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


def death_entry(message: Parked, queue: str) -> dict | None:
    """The broker's record of the dead-lettering that brought the message here (most recent first)."""
    deaths = [d for d in message.headers.get("x-death") or [] if isinstance(d, dict)]
    return next((d for d in deaths if d.get("queue") == queue), deaths[0] if deaths else None)


def reason_of(message: Parked, origin: str) -> str:
    if "x-netra-reason" in message.headers:
        return str(message.headers["x-netra-reason"])
    death = death_entry(message, origin)
    return f"{death.get('reason')} (dead-lettered by {death.get('queue')})" if death else "-"


def parked_at(message: Parked, origin: str) -> str:
    if "x-netra-parked-at" in message.headers:
        return str(message.headers["x-netra-parked-at"])
    death = death_entry(message, origin) if "x-netra-reason" not in message.headers else None
    when = death.get("time") if death else None
    return when.isoformat() if hasattr(when, "isoformat") else "-"


def summary_line(message: Parked, origin: str) -> str:
    event = message.event or {}
    reason = reason_of(message, origin).replace("\n", " ")
    return (f"  {message.position:>3}  id={message.ident}  type={event.get('event_type', '-')}"
            f"  complaint={event.get('correlation_id', '-')}"
            f"  attempts={message.headers.get('x-netra-attempt', '-')}"
            f"  parked={parked_at(message, origin)}  reason={reason[:REASON_WIDTH]}")


def sealed(value):
    """A copy of a decoded body or header value with every reporter_contact replaced by [sealed]."""
    if isinstance(value, dict):
        return {k: "[sealed]" if k == SEALED_FIELD else sealed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [sealed(v) for v in value]
    return value


def _as_json(value) -> str:
    return json.dumps(sealed(value), ensure_ascii=False, default=str)


def body_text(body: bytes) -> str:
    try:
        return json.dumps(sealed(json.loads(body)), ensure_ascii=False, indent=2, default=str)
    except ValueError:
        preview = repr(body[:PREVIEW_BYTES])
        preview = re.sub(rf'("{SEALED_FIELD}"\s*:\s*)"[^"]*"', r'\1"[sealed]"', preview)
        return f"(not JSON, {len(body)} bytes; escaped preview)\n{preview}"


def full_text(message: Parked, queue: str) -> str:
    props = message.properties
    lines = [f"queue: {queue}", f"position: {message.position}", f"message_id: {props.message_id}",
             f"content_type: {props.content_type}", f"delivery_mode: {props.delivery_mode}", "headers:"]
    lines += [f"  {name}: {_as_json(value)}" for name, value in sorted(message.headers.items())]
    return "\n".join([*lines, "body:", body_text(message.body)])


def republish(channel, origin: str, message: Parked) -> None:
    """Back into the main queue with a fresh set of attempts; the parked copy goes after the confirm."""
    properties = message.properties
    properties.headers = {k: v for k, v in message.headers.items() if k not in FAILURE_HEADERS}
    properties.delivery_mode = pika.DeliveryMode.Persistent.value
    channel.basic_publish("", origin, message.body, properties, mandatory=True)
    channel.basic_ack(message.delivery_tag)
    message.acked = True


def cmd_list(connection, queues: list[str]) -> int:
    status = OK
    for queue in queues:
        try:
            with held_messages(connection, queue) as (_, messages):
                print(f"{queue}: {len(messages)} parked")
                for message in messages:
                    print(summary_line(message, origin_queue(queue)))
        except QueueMissing:
            print(f"{queue}: not declared")
            status = NOT_FOUND
    return status


def cmd_show(connection, queue: str, wanted: str) -> int:
    with held_messages(connection, queue) as (_, messages):
        message = find(messages, wanted)
        if message is None:
            return _missing(f"no parked message {wanted} in {queue}")
        print(full_text(message, queue))
    return OK


def cmd_replay(connection, queue: str, wanted: str | None) -> int:
    origin = origin_queue(queue)
    with held_messages(connection, queue) as (channel, messages):
        chosen = messages if wanted is None else [m for m in [find(messages, wanted)] if m]
        if wanted is not None and not chosen:
            return _missing(f"no parked message {wanted} in {queue}")
        channel.confirm_delivery()
        for count, message in enumerate(chosen, start=1):
            try:
                republish(channel, origin, message)
            except (UnroutableError, NackError) as exc:
                return _missing(f"replayed {count - 1}; {origin} did not take {message.ident}: {exc}")
            print(f"replayed {message.ident} -> {origin}")
    print(f"{len(chosen)} replayed, {len(messages) - len(chosen)} still parked in {queue}")
    return OK


def cmd_purge(connection, queue: str, confirmed: bool) -> int:
    channel = connection.channel()
    try:
        waiting = channel.queue_declare(queue, passive=True).method.message_count
        if not confirmed and not _confirm(f"Remove {waiting} parked message(s) from {queue}? [y/N] "):
            return _missing("nothing removed")
        print(f"removed {channel.queue_purge(queue).method.message_count} message(s) from {queue}")
        return OK
    except ChannelClosedByBroker as exc:
        if exc.reply_code == 404:
            return _missing(f"{queue}: not declared")
        raise
    finally:
        if channel.is_open:
            channel.close()


def _confirm(question: str) -> bool:
    try:
        return input(question).strip().lower() in {"y", "yes"}
    except EOFError:
        return False


def _missing(text: str) -> int:
    print(text, file=sys.stderr)
    return NOT_FOUND


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="netra-parking", description="Inspect and replay parked messages.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="count and summarise parked messages").add_argument("queue", nargs="?")
    show = commands.add_parser("show", help="one whole message")
    show.add_argument("queue")
    show.add_argument("id")
    replay = commands.add_parser("replay", help="move messages back to their queue, attempts reset")
    replay.add_argument("queue")
    which = replay.add_mutually_exclusive_group(required=True)
    which.add_argument("id", nargs="?")
    which.add_argument("--all", action="store_true")
    purge = commands.add_parser("purge", help="delete every parked message of a queue")
    purge.add_argument("queue")
    purge.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    return parser.parse_args(argv)


def run(connection, args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "list":
        names = [args.queue] if args.queue else [spec.name for spec in all_queues(settings)]
        return cmd_list(connection, [parking_queue(name) for name in names])
    queue = parking_queue(args.queue)
    if args.command == "show":
        return cmd_show(connection, queue, args.id)
    if args.command == "replay":
        return cmd_replay(connection, queue, None if args.all else args.id)
    return cmd_purge(connection, queue, args.yes)


def main(argv: list[str] | None = None) -> int:
    try:
        args = parse_args(argv)
    except SystemExit as exc:
        return USAGE if exc.code else OK
    settings = Settings.from_env("parking")
    logging.getLogger("pika").setLevel(logging.CRITICAL)  # broker errors are reported below, once
    try:
        connection = pika.BlockingConnection(pika.URLParameters(settings.amqp_url))
    except AMQPConnectionError as exc:
        return _missing(f"cannot reach the broker: {exc!r}")
    try:
        return run(connection, args, settings)
    except QueueMissing as exc:
        return _missing(f"{exc}: not declared")
    finally:
        if connection.is_open:
            connection.close()


if __name__ == "__main__":
    sys.exit(main())
