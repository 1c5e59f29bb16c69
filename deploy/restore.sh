#!/usr/bin/env bash
# Restores a backup made by deploy/backup.sh into NEW servers: checks every checksum of DIR/manifest.json
# first (nothing is written if one differs), then pg_restore into each NETRA_<SERVICE>_DATABASE_URL (the
# database is created; one that already holds tables is refused), then the evidence bucket on
# NETRA_S3_ENDPOINT (must not exist yet: it is created with object lock, each version with its retention
# and legal hold), then the key files into NETRA_RESTORE_KEYS_DIR (mode 0600) if that is set.
#   deploy/restore.sh DIR
set -euo pipefail
[[ $# == 1 ]] || { echo "usage: $0 DIR" >&2; exit 64; }
DIR=$(realpath -m "$1")  # before cd: DIR is relative to where the operator stands
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source deploy/lib.sh
umask 077
exec "${NETRA_PYTHON:-.venv/bin/python}" -m services.ops.backup restore "$DIR"
