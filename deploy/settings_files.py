"""Writes a file of NETRA_* settings that every process and command-line tool of this checkout reads
(services/common/settings.py, `settings_files`); deploy/run-local.sh calls it with what it starts the services with.

  python deploy/settings_files.py var/netra.env
      every NETRA_* variable of the environment, except what differs per process or is not for services
  python deploy/settings_files.py var/netra-desk.env NETRA_DATABASE_URL=... NETRA_S3_ACCESS_KEY=...
      exactly the settings given (one process's own)
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

# Per process (its own file has them), or only for the scripts that provision the servers and the tests.
NOT_SHARED = {"NETRA_DATABASE_URL", "NETRA_S3_ACCESS_KEY", "NETRA_S3_SECRET_KEY", "NETRA_HEALTH_BIND",
              "NETRA_S3_ROOT_USER", "NETRA_S3_ROOT_PASSWORD", "NETRA_TEST_PG_URL", "NETRA_SETTINGS_DIR"}
HEADER = "# Written by deploy/run-local.sh at each start: the settings of the local run. Edit the environment\n" \
         "# and start again rather than this file.\n"


def shared(environ: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in sorted(environ.items())
            if name.startswith("NETRA_") and name not in NOT_SHARED and not name.endswith("_DATABASE_URL")}


def write(path: Path, settings: dict[str, str]) -> None:
    """KEY="value" lines (JSON string quoting, which dotenv reads back the same), readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = HEADER + "".join(f"{name}={json.dumps(value)}\n" for name, value in settings.items())
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.chmod(0o600)  # database passwords in it
    temporary.replace(path)


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    given = dict(assignment.split("=", 1) for assignment in argv[1:])
    write(Path(argv[0]), given if given else shared(dict(os.environ)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
