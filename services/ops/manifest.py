"""The backup's manifest: every file of the backup with its SHA-256 and size, checked before a restore."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

NAME = "manifest.json"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def checksums(folder: Path) -> dict[str, dict]:
    return {str(path.relative_to(folder)): {"sha256": sha256_file(path), "bytes": path.stat().st_size}
            for path in sorted(folder.rglob("*")) if path.is_file() and path.name != NAME}


def write(folder: Path, content: dict) -> Path:
    path = folder / NAME
    path.write_text(json.dumps({**content, "files": checksums(folder)}, indent=2, sort_keys=True))
    return path


class DamagedBackup(Exception):
    """A file of the backup is missing or differs from its checksum: restore nothing."""


def verified(folder: Path) -> dict:
    """The manifest, once every file it lists is present with its checksum; else DamagedBackup."""
    try:
        content = json.loads((folder / NAME).read_text())
    except (OSError, ValueError) as exc:
        raise DamagedBackup(f"no readable {NAME} in {folder}: {exc}") from None
    problems = []
    for name, expected in content["files"].items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif sha256_file(path) != expected["sha256"]:
            problems.append(f"{name}: checksum differs")
    if problems:
        raise DamagedBackup("; ".join(problems))
    return content
