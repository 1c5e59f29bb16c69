import threading

import pytest

from services.common.db import make_engine
from tests.support.waiting import wait_until


@pytest.fixture
def engine(database_url):
    """An engine on the test's database (a module migrates it with `database_url = migrated_database(...)`)."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def router():
    """Routing's planner on the shipped directory, rules and statutes."""
    from services.routing.directory import load_directory
    from services.routing.legal_facts import Statutes
    from services.routing.planning import Router
    from services.routing.rules import load_rules
    from services.reference.files import UNITS_FILE
    from services.routing.settings import DATA
    directory = load_directory(UNITS_FILE)
    return Router(directory, load_rules(DATA / "rules.yaml", directory), Statutes.load(None))


@pytest.fixture
def routing_worker(vhost_url, engine):
    """The routing worker as its main() wires it, in a thread, on the test's vhost and database."""
    from services.common.publishers import Publisher, connect
    from services.common.worker import EventWorker
    from services.routing.repository import SqlCases
    from services.routing.settings import RoutingSettings
    from services.routing.worker import build_routes, load_routing_data
    settings = RoutingSettings(amqp_url=vhost_url, retry_delays_ms=(200,))
    publisher = Publisher(connect(vhost_url))
    worker = EventWorker(connect(vhost_url), build_routes(settings, load_routing_data(settings), SqlCases(engine),
                                                          publisher), publisher, max_attempts=2, prefetch=10)
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    wait_until(lambda: worker.connected)
    yield worker
    worker.should_stop = True
    thread.join(timeout=10)
    publisher.close()
