import pytest

from services.common.db import make_engine


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
