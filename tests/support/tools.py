"""Command-line tools some unit tests run (docker-compose, kustomize, promtool). `deploy/infra.sh tests`
installs them; a developer who ran only `deploy/infra.sh venv` may lack them, CI (CI=true) never does."""
import os

import pytest


def require(tool: str, path: str | None, how: str) -> str:
    """`path` when the tool was found; otherwise the test skips with the reason, or fails in CI."""
    if path:
        return path
    reason = f"{tool} is missing: {how}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI requires it")
    pytest.skip(reason)
