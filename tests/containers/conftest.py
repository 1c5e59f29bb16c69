"""The stack of docker-compose.yml, built and started once for the module, in production mode, secrets as files.

deploy/containers.sh prepare makes sure of a Docker engine and every image (building what is missing);
release stops the engine only if prepare started it."""
import subprocess

import pytest

from tests.support import stack
from tests.support.system import ROOT


def script(action: str) -> None:
    subprocess.run(["bash", str(ROOT / "deploy" / "containers.sh"), action], check=True, timeout=1800)


@pytest.fixture(scope="session")
def engine():
    script("prepare")
    yield
    script("release")


@pytest.fixture(scope="module")
def running_stack(engine):
    """From a clean state (no container, no volume of the project), scaled as an operator would scale it."""
    subprocess.run([str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "deploy" / "make_secrets.py")], check=True)
    stack.write_routing_data()
    stack.compose("down", "-v", "--remove-orphans")
    stack.compose("up", "-d", "--no-build", "--scale", "evidence=3", "--scale", "notify=2", timeout=600)
    yield stack.wait_healthy()
    stack.compose("down", "-v", "--remove-orphans")
