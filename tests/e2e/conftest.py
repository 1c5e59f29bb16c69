import pytest

from tests.support.netra_system import netra_system


@pytest.fixture(scope="module")
def system():
    with netra_system() as running:
        yield running
