"""Backup and restore of everything Netra cannot rebuild: each service's database, the evidence bucket
(every version, its retention and legal hold) and the key material. deploy/backup.sh and
deploy/restore.sh call this; docs/operations.md says what, how often and how to test a restore.

    python -m services.ops.backup backup DIR     writes DIR (must be new or empty) and DIR/manifest.json
    python -m services.ops.backup restore DIR    checks every checksum first, then restores into NEW
                                                 databases, a NEW bucket and NETRA_RESTORE_KEYS_DIR

There is no staging bucket: intake writes each original straight into netra-evidence.
"""
from __future__ import annotations

import os
import shutil
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import structlog

from services.common.logs import configure_logging
from services.common.settings import load_operator_settings
from services.common.storage import make_s3

from . import databases, evidence, manifest
from .settings import BackupSettings

log = structlog.get_logger("netra.backup")


def back_up(settings: BackupSettings, folder: Path) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise RuntimeError(f"{folder} is not empty: each backup goes into a new folder")
    (folder / "databases").mkdir()
    dumped = {}
    for service, url in settings.database_urls().items():
        databases.dump(url, folder / "databases" / f"{service}.dump")
        dumped[service] = f"databases/{service}.dump"
    s3 = make_s3(settings.s3_endpoint, settings.s3_root_user, settings.s3_root_password, settings.s3_region)
    described = evidence.back_up(s3, settings.evidence_bucket, settings.prefixes(), folder)
    keys = _copy_keys(settings.key_files(), folder / "keys")
    content = {"created_at": datetime.now(timezone.utc).isoformat(), "databases": dumped,
               "evidence": described, "keys": keys}
    manifest.write(folder, content)
    return content


def _copy_keys(files: dict[str, Path], target: Path) -> dict[str, str]:
    """Each NETRA_*_FILE (and NETRA_BACKUP_KEY_FILES) into keys/, readable by the owner only."""
    target.mkdir(mode=0o700)
    copied = {}
    for name, path in files.items():
        destination = target / name
        shutil.copyfile(path, destination)
        os.chmod(destination, 0o600)
        copied[name] = str(path)
    return copied


def restore(settings: BackupSettings, folder: Path) -> dict:
    content = manifest.verified(folder)  # nothing is written unless every file is as backed up
    for service, file in content["databases"].items():
        databases.restore(settings.database_urls()[service], folder / file)
    s3 = make_s3(settings.s3_endpoint, settings.s3_root_user, settings.s3_root_password, settings.s3_region)
    counts = evidence.restore(s3, content["evidence"], folder)
    if settings.restore_keys_dir:
        _restore_keys(folder / "keys", settings.restore_keys_dir, content["keys"])
    return counts


def _restore_keys(source: Path, target: Path, names: dict[str, str]) -> None:
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    for name in names:
        if (target / name).exists():
            raise RuntimeError(f"{target / name} exists: keys are never overwritten")
        shutil.copyfile(source / name, target / name)
        os.chmod(target / name, 0o600)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] not in ("backup", "restore"):
        print(__doc__, file=sys.stderr)
        return 64
    settings = load_operator_settings(BackupSettings)
    configure_logging("backup", settings.log_level, settings.log_format)
    started, folder = time.monotonic(), Path(args[1])
    try:
        result = back_up(settings, folder) if args[0] == "backup" else restore(settings, folder)
    except (manifest.DamagedBackup, RuntimeError) as exc:
        log.error(f"{args[0]}.refused", reason=str(exc))
        return 1
    summary = ({"versions": len(result["evidence"]["versions"]), "databases": sorted(result["databases"])}
               if args[0] == "backup" else result)
    log.info(f"{args[0]}.done", folder=str(folder), seconds=round(time.monotonic() - started, 1), **summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
