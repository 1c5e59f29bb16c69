#!/usr/bin/env bash
# Warns while the units file still has placeholder addresses (*.netra.invalid): cases are routed, but no
# real unit receives them. The full report (regions that fall back, placeholder units) goes to
# var/log/unit-contacts.log. Replace the addresses with `python -m services.routing.contacts import`
# (docs/routing-law.md). Exit status 0 either way: a warning, not a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
source deploy/lib.sh
mkdir -p var/log
units="${NETRA_UNITS_FILE:-services/reference/data/units.yaml}"
if ! python -m services.routing.contacts report --units "$units" --fail-on-placeholders --limit 3 >var/log/unit-contacts.log 2>&1; then
    say "WARNING: $(grep -h '^placeholder' var/log/unit-contacts.log || echo 'the units file could not be read') - see var/log/unit-contacts.log and docs/routing-law.md"
fi
