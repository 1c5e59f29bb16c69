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

Nothing here loses a message: see lot.py.
"""
from __future__ import annotations

import argparse
import logging
import sys

import pika
from pika.exceptions import AMQPConnectionError, ChannelClosedByBroker, NackError, UnroutableError

from services.common.brokers import broker_urls
from services.common.naming import parking_name
from services.common.settings import CommonSettings, load_operator_settings
from services.topology import all_queues

from .lot import QueueMissing, find, held_messages, origin_queue, republish
from .render import full_text, summary_line

OK, NOT_FOUND, USAGE = 0, 1, 2


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


def run(connection, args: argparse.Namespace, settings: CommonSettings) -> int:
    if args.command == "list":
        names = [args.queue] if args.queue else [spec.name for spec in all_queues(settings)]
        return cmd_list(connection, [parking_name(name) for name in names])
    queue = parking_name(args.queue)
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
    settings = load_operator_settings(CommonSettings)
    logging.getLogger("pika").setLevel(logging.CRITICAL)  # broker errors are reported below, once
    try:
        # pika tries each node of a comma-separated list in turn.
        connection = pika.BlockingConnection([pika.URLParameters(url) for url in broker_urls(settings.amqp_url)])
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
