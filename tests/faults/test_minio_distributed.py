"""Distributed MinIO: four nodes on loopback ports, one drive each, erasure-coded; one node is SIGKILLed
mid-stream and comes back.

Uses only its own MinIO (ports and drives of its own, its own root user) and its own Netra processes; never
the shared MinIO on 9000. The services reach the cluster through its first node (a load balancer in front
of every node is the production set-up, docs/deployment.md); the node killed is another one. Every accepted
complaint must be archived, sanitised, routed and mailed once, and every manifest and every locked object
version must read back, whole and still locked, once the node is back.
"""
import hashlib
import json
import os
import secrets
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests
from minio import Minio

from services.common.storage import EVIDENCE_BUCKET
from tests.faults.conftest import COMPLAINTS, REPORT
from tests.support.checker import report_line
from tests.support.system import free_port

pytestmark = pytest.mark.timeout(900)
NODES = 4
ROOT_USER = "netra-dist-root"
KILLED = 3  # not the node the services talk to


def minio_binary() -> str:
    gopath = subprocess.run(["go", "env", "GOPATH"], capture_output=True, text=True).stdout.strip()
    path = Path(gopath or Path.home() / "go") / "bin" / "minio"
    assert path.exists(), f"{path} is missing: deploy/infra.sh builds MinIO"
    return str(path)


class Cluster:
    """Four `minio server` processes, each given every node's drive, as a distributed deployment is."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.password = secrets.token_urlsafe(18)
        self.ports = [free_port() for _ in range(NODES)]
        self.drives = [f"http://127.0.0.1:{port}{folder}/drive{n}" for n, port in enumerate(self.ports)]
        self.processes: dict[int, subprocess.Popen] = {}

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.ports[0]}"

    def start(self, node: int) -> None:
        env = {**os.environ, "MINIO_ROOT_USER": ROOT_USER, "MINIO_ROOT_PASSWORD": self.password}
        log = (self.folder / f"node{node}.log").open("a")
        self.processes[node] = subprocess.Popen(
            [minio_binary(), "server", "--address", f"127.0.0.1:{self.ports[node]}",
             "--console-address", f"127.0.0.1:{free_port()}", *self.drives],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def kill(self, node: int) -> None:
        self.processes[node].send_signal(signal.SIGKILL)
        self.processes[node].wait(30)

    def healthy(self, node: int = 0) -> bool:
        """The node answers and the cluster has its write quorum."""
        try:
            return requests.get(f"http://127.0.0.1:{self.ports[node]}/minio/health/cluster", timeout=2).ok
        except requests.ConnectionError:
            return False

    def wait_healthy(self, node: int = 0, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not self.healthy(node):
            assert time.monotonic() < deadline, f"node {node} not healthy; see {self.folder}/node{node}.log"
            time.sleep(0.5)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()

    def client(self) -> Minio:
        return Minio(self.endpoint.removeprefix("http://"), access_key=ROOT_USER, secret_key=self.password,
                     secure=False)


@pytest.fixture
def cluster(tmp_path):
    made = Cluster(tmp_path / "minio")
    for node in range(NODES):
        (made.folder / f"drive{node}").mkdir(parents=True)
        made.start(node)
    made.wait_healthy()
    yield made
    made.stop()


def manifests(s3: Minio) -> dict[str, dict]:
    """Every manifest in the evidence bucket, by tracking code."""
    found = {}
    for item in s3.list_objects(EVIDENCE_BUCKET, prefix="complaints/", recursive=True):
        if item.object_name.endswith("/manifest.json"):
            manifest = json.loads(s3.get_object(EVIDENCE_BUCKET, item.object_name).read())
            found[manifest["tracking_code"]] = manifest
    return found


def read_back(s3: Minio, key: str, sha256: str) -> list[str]:
    """What is wrong with every version of `key`: missing, not whole, or not locked."""
    versions = [v for v in s3.list_objects(EVIDENCE_BUCKET, prefix=key, include_version=True)
                if v.object_name == key]
    if not versions:
        return [f"{key}: missing"]
    problems = []
    for version in versions:
        data = s3.get_object(EVIDENCE_BUCKET, key, version_id=version.version_id).read()
        if hashlib.sha256(data).hexdigest() != sha256:
            problems.append(f"{key}@{version.version_id}: not whole")
        retention = s3.get_object_retention(EVIDENCE_BUCKET, key, version_id=version.version_id)
        if retention is None or retention.mode is None:
            problems.append(f"{key}@{version.version_id}: not locked")
    return problems


def test_a_node_is_killed_mid_stream_and_every_object_reads_back_after_it_returns(cluster, pipeline_factory):
    pipeline = pipeline_factory(NETRA_S3_ENDPOINT=cluster.endpoint, NETRA_S3_ROOT_USER=ROOT_USER,
                                NETRA_S3_ROOT_PASSWORD=cluster.password)
    stream = pipeline.stream(per_second=5)
    deadline = time.monotonic() + 120
    while len(pipeline.checker.accepted) < COMPLAINTS // 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    cluster.kill(KILLED)
    killed = time.monotonic()
    stream.join()
    during = pipeline.checker.settle(killed, 240)  # three drives of four: reads and writes keep their quorum
    cluster.start(KILLED)
    cluster.wait_healthy(KILLED)
    back = time.monotonic()
    pipeline.stream(count=10, per_second=5).join()
    outcome = pipeline.checker.settle(back, 240, sentinel=pipeline.sentinel)
    pipeline.checker_done.set()

    s3 = cluster.client()
    found = manifests(s3)
    unarchived = sorted(pipeline.checker.accepted - set(found))
    problems = []
    for manifest in found.values():
        key = f"complaints/{manifest['complaint_id']}/manifest.json"
        problems += read_back(s3, key, hashlib.sha256(s3.get_object(EVIDENCE_BUCKET, key).read()).hexdigest())
        for entry in manifest["files"]:
            problems += read_back(s3, entry["key"], entry["sha256"])
            problems += read_back(s3, entry["sanitised"]["key"], entry["sanitised"]["sha256"])
    unsanitised = sorted(code for code, m in found.items() if code in pipeline.checker.accepted and not m["files"])
    line = report_line("minio: one node of four SIGKILLed", outcome, refused=pipeline.refused,
                       node_down_s=round(back - killed, 1), lost_while_down=len(during.lost),
                       manifests=len(found), unreadable=len(problems))
    print(line)
    with REPORT.open("a") as report:
        report.write(line + "\n")
    assert during.lost == [], f"not delivered while the node was down: {during.lost}"
    assert outcome.lost == [], f"lost: {outcome.lost}"
    assert outcome.duplicated == {}, f"duplicated: {outcome.duplicated}"
    assert unarchived == [] and unsanitised == [], (unarchived, unsanitised)
    assert problems == [], problems[:20]
    assert outcome.accepted >= (COMPLAINTS + 10) * 0.9, f"{outcome.accepted} accepted, {pipeline.refused} refused"
    assert pipeline.system.dead() == [], "every service reconnected by itself"
