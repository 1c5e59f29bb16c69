"""Each service's subscriptions (services/<service>/queues.py) are the one place its wiring is read from: every
event type a queue is bound to has an example in docs/events/, a reader in the service's events.py that
reads that example, and a handler; the bindings and the worker's routes are derived from the same table."""
import inspect

import pytest

from services.common.envelope import Tolerant, read_payload
from services.common.settings import CommonSettings
from services.common.subscriptions import Subscription, Subscriptions, bind, routes
from services.desk import queues as desk
from services.evidence import queues as evidence
from services.intake import queues as intake
from services.notify import queues as notify
from services.routing import queues as routing
from services.topology import all_queues
from tests.support.contracts import example, example_names

SERVICES = {"intake": intake, "evidence": evidence, "routing": routing, "notify": notify, "desk": desk}
BOUND = [(service, queue, subscription) for service, module in SERVICES.items()
         for queue in module.SUBSCRIPTIONS for subscription in queue.subscriptions]


def ids(bound) -> str:
    return f"{bound[1].queue}:{bound[2].event_type}"


@pytest.mark.parametrize("bound", BOUND, ids=ids)
def test_every_bound_event_type_has_a_documented_example(bound):
    _, _, subscription = bound
    assert example_names(subscription.event_type), f"no docs/events/{subscription.event_type}.json"


@pytest.mark.parametrize("bound", BOUND, ids=ids)
def test_every_bound_event_type_has_a_reader_in_the_services_events_module_that_reads_its_examples(bound):
    service, _, subscription = bound
    reader = subscription.reader
    assert issubclass(reader, Tolerant) and reader.__module__ == f"services.{service}.events"
    for name in example_names(subscription.event_type):
        assert read_payload(reader, example(name))


@pytest.mark.parametrize("bound", BOUND, ids=ids)
def test_every_bound_event_type_has_a_handler_of_the_service_taking_the_event_first(bound):
    service, _, subscription = bound
    handler = subscription.handler
    assert handler.__module__.startswith(f"services.{service}.")
    assert next(iter(inspect.signature(handler).parameters)) == "event"


@pytest.mark.parametrize("service", SERVICES)
def test_the_declared_bindings_are_the_subscriptions(service):
    declared = {spec.name: set(spec.event_types) for spec in all_queues(CommonSettings())
                if spec.name.startswith(service + ".")}
    table = {queue.queue: set(queue.event_types) for queue in SERVICES[service].SUBSCRIPTIONS}
    assert declared == table
    assert all(len(queue.event_types) == len(set(queue.event_types)) for queue in SERVICES[service].SUBSCRIPTIONS)


def test_routes_cover_every_queue_and_hand_each_event_type_to_its_own_handler():
    seen = []

    def first(event, cases):
        seen.append(("first", event["event_type"], cases))

    def second(event, cases):
        seen.append(("second", event["event_type"], cases))

    table = (Subscriptions("desk.test", (Subscription("a.happened", first, Tolerant),
                                         Subscription("b.happened", second, Tolerant))),)
    [route] = routes(table, CommonSettings(), cases="the cases", unused="ignored")
    assert route.spec.name == "desk.test" and route.spec.event_types == ("a.happened", "b.happened")
    for event_type in ("b.happened", "a.happened", "c.happened"):
        route.handler({"event_type": event_type})
    assert seen == [("second", "b.happened", "the cases"), ("first", "a.happened", "the cases")]


def test_a_handler_whose_dependency_the_worker_did_not_build_fails_at_start_up():
    def handler(event, mailer):
        pass
    with pytest.raises(TypeError, match="mailer"):
        bind(handler, {"cases": object()})

