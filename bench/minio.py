"""A MinIO server of the run's own, on an empty data directory, shared by both systems.

The long-lived MinIO of a development machine holds every object earlier runs and tests locked away, and
its background scanner walks them all the time: on this machine 25 000 objects cost 12 % of a core with
no load at all, billed to whichever system ran longer. An empty server makes runs comparable with each
other and with a fresh machine. `--shared-minio` measures against the running one instead.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import requests

from tests.support.system import free_port

from .raw import shared_s3_keys


def minio_binary() -> str:
    gopath = subprocess.run(["go", "env", "GOPATH"], capture_output=True, text=True, check=True,
                            env={**os.environ, "PATH": os.environ["PATH"] + ":/usr/local/go/bin"}).stdout.strip()
    return f"{gopath}/bin/minio"


@contextmanager
def fresh_minio(data_dir: Path, log: Path, timeout: float = 60):
    """Starts MinIO on data_dir with the shared server's keys, points NETRA_S3_ENDPOINT at it for the
    block, then stops it and removes the directory (its log stays)."""
    user, password = shared_s3_keys()
    port, console = free_port(), free_port()
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        process = subprocess.Popen([minio_binary(), "server", str(data_dir), "--address", f"127.0.0.1:{port}",
                                    "--console-address", f"127.0.0.1:{console}"],
                                   env={**os.environ, "MINIO_ROOT_USER": user, "MINIO_ROOT_PASSWORD": password},
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    endpoint, before = f"http://127.0.0.1:{port}", os.environ.get("NETRA_S3_ENDPOINT")
    try:
        wait_live(endpoint, process, timeout, log)
        os.environ["NETRA_S3_ENDPOINT"] = endpoint
        yield endpoint
    finally:
        if before is None:
            os.environ.pop("NETRA_S3_ENDPOINT", None)
        else:
            os.environ["NETRA_S3_ENDPOINT"] = before
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(data_dir, ignore_errors=True)


def wait_live(endpoint: str, process: subprocess.Popen, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"MinIO exited with {process.returncode}; see {log}")
        try:
            if requests.get(f"{endpoint}/minio/health/live", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"MinIO at {endpoint} not live after {timeout}s")
