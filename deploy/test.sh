#!/usr/bin/env bash
# The test suite against real servers: makes sure they are up on loopback (infra.sh), then runs pytest.
#   deploy/test.sh                      everything
#   deploy/test.sh tests/unit -x        any pytest arguments
# Exits with pytest's code, except that "no tests collected" (5) is a failure too.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source deploy/lib.sh  # exports the NETRA_* addresses infra.sh checks, so tests use the same servers

bash deploy/infra.sh tests  # the servers, and the tools only the tests use
# With no path among the arguments pytest runs its testpaths (pyproject.toml: tests), so extra
# arguments narrow the run instead of adding to the whole suite.
status=0
.venv/bin/pytest -q -p no:cacheprovider --durations=30 "$@" || status=$?
if ((status == 5)); then
    say "pytest collected no tests"
    exit 1
fi
exit "$status"
