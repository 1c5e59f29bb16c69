#!/usr/bin/env bash
# Backs up each service's database (pg_dump -Fc), the evidence bucket (every version, with its retention
# and legal hold) and the key material (the files the NETRA_*_FILE secrets name, NETRA_BACKUP_KEY_FILES)
# into DIR, a new folder, with manifest.json listing every file's SHA-256. See docs/operations.md.
#   deploy/backup.sh DIR
# Reads NETRA_<SERVICE>_DATABASE_URL (intake, routing, notify, desk), NETRA_S3_ENDPOINT,
# NETRA_S3_ROOT_USER/PASSWORD, NETRA_BACKUP_EVIDENCE_PREFIXES (default: the whole bucket).
set -euo pipefail
[[ $# == 1 ]] || { echo "usage: $0 DIR" >&2; exit 64; }
DIR=$(realpath -m "$1")  # before cd: DIR is relative to where the operator stands
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source deploy/lib.sh
umask 077  # dumps and keys are readable by the operator only
exec "${NETRA_PYTHON:-.venv/bin/python}" -m services.ops.backup backup "$DIR"
