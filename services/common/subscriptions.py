"""Each event's wiring, read in one place: which event types a queue reads, which handler takes each, and
the schema the payload is read with.

A service's `queues.py` holds its table (a tuple of `Subscriptions`). The queue bindings (`queue_specs`, which
services/topology.py declares) and the worker's routes (`routes`) are both derived from it, so subscribing
to an event is one line there, beside the handler, the reader in the service's events.py and the example in
docs/events/ (tests/unit/test_subscriptions.py checks that all four exist for every bound type).

Handlers are plain functions `handler(event, **dependencies)`; `routes` hands each the dependencies its
signature names, from what the worker's main() built (cosmicpython's bootstrap does the same).
"""
from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import structlog
from marshmallow import Schema

from .naming import QueueSpec
from .worker import Route

log = structlog.get_logger("netra.worker")


@dataclass(frozen=True)
class Subscription:
    event_type: str
    handler: Callable[..., None]
    reader: type[Schema]  # the service's own tolerant schema of the payload (its events.py)


@dataclass(frozen=True)
class Subscriptions:
    """One queue and the event types it reads."""
    queue: str
    subscriptions: tuple[Subscription, ...]

    @property
    def event_types(self) -> tuple[str, ...]:
        return tuple(s.event_type for s in self.subscriptions)

    def spec(self, retry_delays_ms: tuple[int, ...]) -> QueueSpec:
        return QueueSpec(self.queue, self.event_types, retry_delays_ms)

    def handler(self, dependencies: dict[str, Any]) -> Callable[[dict], None]:
        handlers = {s.event_type: bind(s.handler, dependencies) for s in self.subscriptions}
        return functools.partial(dispatch_by_type, handlers)


def bind(handler: Callable[..., None], dependencies: dict[str, Any]) -> Callable[[dict], None]:
    """The handler with the dependencies its parameters name; a missing one fails at start-up, not mid-message."""
    wanted = [name for name in inspect.signature(handler).parameters if name != "event"]
    missing = [name for name in wanted if name not in dependencies]
    if missing:
        raise TypeError(f"{handler.__qualname__} needs {', '.join(missing)}, which the worker did not build")
    return functools.partial(handler, **{name: dependencies[name] for name in wanted})


def dispatch_by_type(handlers: dict[str, Callable[[dict], None]], event: dict) -> None:
    """Each event type to its own handler. A type no handler takes was bound to this queue by an older
    release (declaring a queue adds bindings, never removes one): nothing for this release to do."""
    handler = handlers.get(event["event_type"])
    if handler is None:
        log.info("event.not_subscribed", event_type=event["event_type"])
        return
    handler(event)


def queue_specs(topology: Iterable[Subscriptions], settings) -> list[QueueSpec]:
    return [queue.spec(settings.retry_delays_ms) for queue in topology]


def routes(topology: Iterable[Subscriptions], settings, **dependencies: Any) -> list[Route]:
    return [Route(queue.spec(settings.retry_delays_ms), queue.handler(dependencies)) for queue in topology]
