"""Distributed MinIO: four nodes, one drive each, erasure-coded; one node is SIGKILLed mid-stream and comes back.

The nodes are containers of the local MinIO image (deploy/containers.sh makes it) on a network of their
own, because a MinIO that finds itself in a container (this machine's /.dockerenv counts) refuses
endpoints that resolve to loopback; only the first node is published, on 127.0.0.1, and the services
reach the cluster through it (a load balancer in front of every node is the production set-up,
docs/deployment.md); the node killed is another one. Netra runs as processes against the shared broker
(a vhost of its own) and PostgreSQL (databases of its own). Every accepted complaint must be archived,
sanitised, routed and mailed once, and every manifest and every locked object version must read back,
whole and still locked, once the node is back.
"""
import hashlib
import json
import secrets
import subprocess
import time
import uuid

import pytest
import requests
from minio import Minio

from services.common.storage import EVIDENCE_BUCKET
from tests.support.fault_pipeline import COMPLAINTS, REPORT
from tests.support.checker import report_line
from tests.support.stack import docker
from tests.support.system import ROOT, free_port

pytestmark = pytest.mark.timeout(900)
NODES = 4
IMAGE = "netra-local/minio:local"
ROOT_USER = "netra-dist-root"
KILLED = 3  # not the node the services talk to


class Cluster:
    """Four MinIO containers, each given every node's drive, as a distributed deployment is."""

    def __init__(self):
        self.name = f"netra-minio-{uuid.uuid4().hex[:8]}"
        self.password = secrets.token_urlsafe(18)
        self.port = free_port()
        docker("network", "create", self.name)
        drives = f"http://{self.name}-{{0...{NODES - 1}}}/data"
        self.containers = [self._run(node, drives) for node in range(NODES)]

    def _run(self, node: int, drives: str) -> str:
        published = ["-p", f"127.0.0.1:{self.port}:9000"] if node == 0 else []
        return docker("run", "-d", "--name", f"{self.name}-{node}", "--hostname", f"{self.name}-{node}",
                      "--network", self.name, "-v", "/data", *published, "-e", f"MINIO_ROOT_USER={ROOT_USER}",
                      "-e", f"MINIO_ROOT_PASSWORD={self.password}", IMAGE, "server", drives).strip()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self, node: int) -> None:
        docker("kill", "--signal", "KILL", self.containers[node])

    def start(self, node: int) -> None:
        docker("start", self.containers[node])

    def healthy(self, node: int = 0) -> bool:
        """The node answers and the cluster has its write quorum (asked inside the node's container)."""
        if node == 0:
            try:
                return requests.get(f"{self.endpoint}/minio/health/cluster", timeout=2).ok
            except requests.ConnectionError:
                return False
        found = docker("exec", self.containers[node], "mc", "ready", "local", check=False, timeout=30)
        return "is ready" in found

    def wait_healthy(self, node: int = 0, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while not self.healthy(node):
            logs = "" if time.monotonic() < deadline else docker("logs", "--tail", "30", self.containers[node])
            assert not logs, f"node {node} not healthy:\n{logs}"
            time.sleep(1)

    def stop(self) -> None:
        docker("rm", "-f", "-v", *self.containers, check=False)
        docker("network", "rm", self.name, check=False)

    def client(self) -> Minio:
        return Minio(self.endpoint.removeprefix("http://"), access_key=ROOT_USER, secret_key=self.password,
                     secure=False)


@pytest.fixture
def cluster():
    subprocess.run(["bash", str(ROOT / "deploy" / "containers.sh"), "prepare"], check=True, timeout=1800)
    made = Cluster()
    try:
        made.wait_healthy()
        yield made
    finally:
        made.stop()
        subprocess.run(["bash", str(ROOT / "deploy" / "containers.sh"), "release"], check=True, timeout=120)


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
