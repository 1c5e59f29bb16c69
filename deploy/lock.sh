#!/usr/bin/env bash
# Regenerates the lock files from pyproject.toml: every dependency pinned, with the hashes of its files.
#   requirements/runtime.lock   what the services need (the image installs this)
#   requirements/test.lock      the same plus the test extra (the local run and CI install this)
# Run it after changing a dependency in pyproject.toml, and commit both files.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
python3 -m venv "$tools" && "$tools/bin/pip" install --quiet --disable-pip-version-check pip-tools
compile() { "$tools/bin/pip-compile" --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url "$@" pyproject.toml; }
compile -o requirements/runtime.lock
compile --extra test -o requirements/test.lock
