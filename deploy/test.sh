#!/usr/bin/env bash
# The test suite against real servers: the static gate first (deploy/gate.sh), then makes sure the servers
# are up on loopback (infra.sh), then runs pytest.
#   deploy/test.sh                      everything
#   deploy/test.sh tests/unit -x        any pytest arguments
# When every path among the arguments is under tests/unit, no server is checked or started: the unit tests
# need none (only .venv). Exits with pytest's code, except that "no tests collected" (5) is a failure too.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source deploy/lib.sh  # exports the NETRA_* addresses infra.sh checks, so tests use the same servers

# only_unit_tests ARGS...: true when the arguments name paths (a test id's path before ::) and all of them
# are under tests/unit. With no path pytest runs its testpaths (pyproject.toml: tests), the whole suite.
only_unit_tests() {
    local argument path named=0 unit; unit=$(realpath tests/unit)/
    for argument in "$@"; do
        path=${argument%%::*}
        [[ $argument != -* && -e $path ]] || continue
        [[ $(realpath "$path")/ == "$unit"* ]] || return 1
        named=1
    done
    ((named))
}

bash deploy/infra.sh venv  # the gate and pytest run from .venv
bash deploy/gate.sh
if only_unit_tests "$@"; then
    say "unit tests only: no server is needed"
else
    bash deploy/infra.sh tests  # the servers, and the tools only the tests use
fi
status=0
.venv/bin/pytest -q -p no:cacheprovider --durations=30 "$@" || status=$?
if ((status == 5)); then
    say "pytest collected no tests"
    exit 1
fi
exit "$status"
