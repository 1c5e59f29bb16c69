#!/usr/bin/env bash
# The fault suite at full size, with the delivery settings that ship: every scenario of tests/faults with
# NETRA_FAULT_COMPLAINTS complaints (default 500) and the soak with NETRA_SOAK_COMPLAINTS (default 3500),
# over 10,000 complaints in all. It kills and restarts the loopback RabbitMQ, MinIO and PostgreSQL: run it
# alone. Prints the reliability table (scenario, complaints, lost, duplicated, settle time) at the end;
# the raw lines are in var/log/faults-report.jsonl.
#   deploy/faults.sh                       everything
#   deploy/faults.sh -k soak               any pytest arguments
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export NETRA_FAULT_COMPLAINTS=${NETRA_FAULT_COMPLAINTS:-500}
export NETRA_SOAK_COMPLAINTS=${NETRA_SOAK_COMPLAINTS:-3500}
rm -f var/log/faults-report.jsonl
status=0
bash deploy/test.sh tests/faults "$@" || status=$?
.venv/bin/python scripts/fault_table.py var/log/faults-report.jsonl
exit "$status"
