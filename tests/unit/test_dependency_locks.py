"""The lock files pin, with hashes, a version of every dependency pyproject.toml asks for, within its range."""
import re
import tomllib

import pytest
from packaging.requirements import Requirement

from tests.support.system import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)", re.M)


def pins(lock: str) -> dict[str, str]:
    text = (ROOT / "requirements" / lock).read_text()
    return {normalise(name): version for name, version in PIN.findall(text)}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@pytest.mark.parametrize("lock, requirements", [
    ("runtime.lock", PYPROJECT["dependencies"]),
    ("test.lock", PYPROJECT["dependencies"] + PYPROJECT["optional-dependencies"]["test"]),
])
def test_every_dependency_is_pinned_within_its_range(lock, requirements):
    pinned = pins(lock)
    for text in requirements:
        requirement = Requirement(text)
        name = normalise(requirement.name)
        assert name in pinned, f"{name} is not in requirements/{lock}: run deploy/lock.sh"
        assert requirement.specifier.contains(pinned[name], prereleases=True), \
            f"{name}=={pinned[name]} in {lock} is outside {requirement.specifier}: run deploy/lock.sh"


@pytest.mark.parametrize("lock", ["runtime.lock", "test.lock"])
def test_every_pin_carries_a_hash(lock):
    entries = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / "requirements" / lock).read_text())
    pinned = [entry for entry in entries if PIN.match(entry)]
    assert pinned and all("--hash=sha256:" in entry for entry in pinned)
