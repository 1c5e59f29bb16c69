#!/usr/bin/env bash
# The static gate, the first step of deploy/test.sh (so of CI), before any server is started:
#   ruff         the linter: pyflakes and a few bug-catching checks ([tool.ruff] in pyproject.toml)
#   vulture      dead code: what nothing calls or reads ([tool.vulture]; deploy/vulture_whitelist.py names
#                what only a library reads, one line per reason)
#   doc names    every file, module and command README.md and docs/ name exists (scripts/check_doc_names.py)
# Runs all three, prints what each found, and fails if any found something. Needs .venv (deploy/infra.sh venv).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source deploy/lib.sh

failed=()
.venv/bin/ruff check --quiet --output-format concise . || failed+=(ruff)
.venv/bin/vulture || failed+=(vulture)
.venv/bin/python scripts/check_doc_names.py || failed+=("doc names")
if ((${#failed[@]})); then
    die "the static gate found problems (${failed[*]}); fix them, or for vulture add a reasoned line to deploy/vulture_whitelist.py"
fi
say "ruff, vulture and the doc names: nothing found"
