"""A MinIO server of the run's own, on an empty data directory, shared by both systems.

The long-lived MinIO of a development machine holds every object earlier runs and tests locked away, and
its background scanner walks them all the time: on this machine 25 000 objects cost 12 % of a core with
no load at all, billed to whichever system ran longer. An empty server makes runs comparable with each
other and with a fresh machine. `--shared-minio` measures against the running one instead.
"""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

from tests.support.servers import own_minio

from .raw import shared_s3_keys


@contextmanager
def fresh_minio(data_dir: Path, log: Path):
    """Starts MinIO on an empty data_dir with the shared server's keys, points NETRA_S3_ENDPOINT at it for
    the block, then stops it and removes the directory (its log stays)."""
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    before = os.environ.get("NETRA_S3_ENDPOINT")
    try:
        # Its request counters readable without a token: the benchmark counts each system's requests.
        with own_minio(data_dir, log, *shared_s3_keys(), env={"MINIO_PROMETHEUS_AUTH_TYPE": "public"}) as endpoint:
            os.environ["NETRA_S3_ENDPOINT"] = endpoint
            yield endpoint
    finally:
        if before is None:
            os.environ.pop("NETRA_S3_ENDPOINT", None)
        else:
            os.environ["NETRA_S3_ENDPOINT"] = before
        shutil.rmtree(data_dir, ignore_errors=True)
