"""docker-compose.yml, deploy/Dockerfile and the images run for real (deploy/containers.sh): the set-up order,
health, a complaint to the unit's mailbox, scaled workers, a killed container, volumes, and the restrictions
every Netra container runs under. Ordered: the last test takes the stack down."""
import json
import os
import signal
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from urllib.parse import urlsplit

import pytest
import requests

from tests.support import stack
from tests.support.complaints import complaint, png_bytes
from tests.support.waiting import wait_until

pytestmark = pytest.mark.timeout(900)
NETRA_SERVICES = {"intake", "intake-worker", "evidence", "routing", "notify", "desk", "desk-worker", "reconciler",
                  "scheduler"}
SERVERS = {"rabbitmq", "minio", "postgres", "redis", "mailpit"}


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text[:26].rstrip("Z") if "." in text else text.rstrip("Z"))


def submit(seed: int) -> dict:
    """One complaint with one screenshot, resent with its Idempotency-Key until intake accepts it."""
    key = str(uuid.uuid4())
    for _ in range(60):
        answer = requests.post(f"{stack.INTAKE}/api/v1/complaints", headers={"Idempotency-Key": key},
                               data={"complaint": json.dumps(complaint())},
                               files=[("evidence", (f"bukti-{seed}.png", png_bytes(seed), "image/png"))],
                               timeout=30)
        if answer.status_code == 202:
            return answer.json()
        assert answer.status_code in (429, 503), answer.text
        time.sleep(1)
    raise AssertionError(f"complaint {seed} never accepted")


def mailed_once(codes: list[str], timeout: float = 240) -> list[str]:
    def every_one():
        subjects = stack.mail_subjects()
        return subjects if all(stack.unit_mails(code, subjects) for code in codes) else None
    return wait_until(every_one, f"the unit mail of {len(codes)} complaints", timeout=timeout, interval=1)


def test_the_one_shots_finish_before_any_service_starts_and_every_service_is_healthy(running_stack):
    everything = stack.containers(everything=True)
    one_shots = {stack.service_of(c): c["State"] for c in everything if stack.service_of(c) in stack.ONE_SHOTS}
    assert set(one_shots) == set(stack.ONE_SHOTS)
    assert all(state["ExitCode"] == 0 for state in one_shots.values()), one_shots
    last_set_up = max(moment(state["FinishedAt"]) for state in one_shots.values())
    netra = [c for c in everything if stack.service_of(c) in NETRA_SERVICES]
    assert {stack.service_of(c) for c in netra} == NETRA_SERVICES
    for container in netra:
        assert moment(container["State"]["StartedAt"]) > last_set_up, container["Name"]
    healthy = {stack.service_of(c) for c in running_stack}
    assert healthy == NETRA_SERVICES | SERVERS
    assert len(stack.containers("evidence")) == 3 and len(stack.containers("notify")) == 2


def test_every_published_port_is_on_loopback_only(running_stack):
    published = [(c["Name"], binding["HostIp"]) for c in running_stack
                 for bindings in (c["NetworkSettings"]["Ports"] or {}).values() for binding in bindings or []]
    assert published and all(ip == "127.0.0.1" for _, ip in published), published


def test_a_complaint_reaches_the_unit_through_the_published_port_and_the_desk_answers(running_stack):
    accepted = submit(1)
    assert accepted["status_url"].startswith("https://netra.localhost/api/v1/complaints/")
    subjects = mailed_once([accepted["tracking_code"]], timeout=120)
    assert stack.unit_mails(accepted["tracking_code"], subjects) == 1
    home = requests.get(f"{stack.DESK}/desk/", allow_redirects=False, timeout=10)
    assert home.status_code == 302 and "/desk/masuk" in home.headers["Location"], home.headers
    sign_in = urlsplit(home.headers["Location"])  # the public https address: asked here on the published port
    login = requests.get(f"{stack.DESK}{sign_in.path}?{sign_in.query}", timeout=10)
    assert login.status_code == 200 and "<form" in login.text, login.text[:300]


def test_scaled_workers_share_the_work(running_stack):
    before = {c["Id"]: stack.handled(c).get("evidence.archive", 0) for c in stack.containers("evidence")}
    mails_before = {c["Id"]: stack.handled(c).get("notify.unit_mail", 0) for c in stack.containers("notify")}
    with ThreadPoolExecutor(4) as pool:
        codes = [answer["tracking_code"] for answer in pool.map(submit, range(100, 118))]
    mailed_once(codes)
    archived = {c["Name"]: stack.handled(c).get("evidence.archive", 0) - before[c["Id"]]
                for c in stack.containers("evidence")}
    mailed = {c["Name"]: stack.handled(c).get("notify.unit_mail", 0) - mails_before[c["Id"]]
              for c in stack.containers("notify")}
    assert sum(archived.values()) >= 18 and all(count > 0 for count in archived.values()), archived
    assert all(count > 0 for count in mailed.values()), mailed


def test_a_container_killed_mid_stream_loses_nothing(running_stack):
    """`docker kill` of a notify (Docker then leaves it stopped: a manual stop) and, as a crash would, SIGKILL
    to an evidence container's process (Docker restarts it: restart unless-stopped), both mid-stream."""
    killed = stack.containers("notify")[0]
    crashed = stack.containers("evidence")[0]
    with ThreadPoolExecutor(4) as pool:
        pending = [pool.submit(submit, seed) for seed in range(200, 230)]
        wait_until(lambda: sum(f.done() for f in pending) >= 6, "the first accepted complaints", timeout=120)
        stack.docker("kill", killed["Id"])
        os.kill(crashed["State"]["Pid"], signal.SIGKILL)
        codes = [future.result()["tracking_code"] for future in pending]
    mailed_once(codes)
    sentinel = submit(299)["tracking_code"]  # mailed after everything before it was handled
    subjects = mailed_once([sentinel])
    counts = {code: stack.unit_mails(code, subjects) for code in codes}
    assert all(count == 1 for count in counts.values()), counts
    assert stack.inspect(crashed["Id"])["RestartCount"] >= 1
    assert not stack.inspect(killed["Id"])["State"]["Running"]
    stack.docker("start", killed["Id"])
    assert len(stack.wait_healthy()) == len(running_stack)


def test_intake_starts_in_seconds(running_stack):
    """From `docker restart` to intake answering /readyz on its published port."""
    intake = stack.containers("intake")[0]
    started = time.monotonic()
    stack.docker("restart", intake["Id"])

    def ready():
        try:
            return requests.get(f"{stack.INTAKE}/readyz", timeout=2).status_code == 200
        except requests.ConnectionError:
            return False
    wait_until(ready, "intake's /readyz after a restart", timeout=60, interval=0.2)
    seconds = round(time.monotonic() - started, 1)
    stack.record("intake_restart_to_ready_s", seconds)
    assert seconds < 30


def test_netra_containers_keep_a_read_only_root_uid_10001_and_no_capabilities(running_stack):
    for container in stack.containers():
        if stack.service_of(container) not in NETRA_SERVICES:
            continue
        host = container["HostConfig"]
        assert host["ReadonlyRootfs"] and host["CapDrop"] == ["ALL"], container["Name"]
        assert "no-new-privileges:true" in host["SecurityOpt"], container["Name"]
        inside = json.loads(stack.in_container(container, READ_FROM_INSIDE))
        assert inside == {"uid": 10001, "gid": 10001, "root_writable": False, "app_writable": False,
                          "tmp_writable": True, "capabilities": 0}, (container["Name"], inside)


READ_FROM_INSIDE = """
import json, os
def writable(path):
    try:
        with open(os.path.join(path, '.probe'), 'w'):
            pass
        os.remove(os.path.join(path, '.probe'))
        return True
    except OSError:
        return False
status = dict(line.split(':\\t', 1) for line in open('/proc/1/status').read().splitlines() if ':\\t' in line)
print(json.dumps({'uid': os.getuid(), 'gid': os.getgid(), 'root_writable': writable('/'),
                  'app_writable': writable('/app'), 'tmp_writable': writable('/tmp'),
                  'capabilities': int(status['CapEff'], 16) | int(status['CapPrm'], 16)}))
"""


def test_down_and_up_keep_every_case_and_evidence_object_and_down_v_removes_them(running_stack):
    accepted = submit(300)
    mailed_once([accepted["tracking_code"]])
    objects = evidence_objects()
    assert objects
    stack.compose("down")
    stack.compose("up", "-d", "--no-build", timeout=600)
    stack.wait_healthy()
    timeline = requests.get(accepted["status_url"].replace("https://netra.localhost", stack.INTAKE),
                            headers={"X-Receipt": accepted["receipt"]}, timeout=10)
    assert timeline.status_code == 200, timeline.text
    assert evidence_objects() == objects
    stack.compose("down", "-v")
    assert not stack.docker("volume", "ls", "-q", "--filter", f"label=com.docker.compose.project={stack.PROJECT}")


def evidence_objects() -> set[str]:
    """Every version of every object in the evidence bucket, listed inside the minio container as its root."""
    listing = stack.compose("exec", "-T", "minio", "sh", "-c",
                            'mc alias set here http://127.0.0.1:9000 netra-root "$(cat /run/secrets/s3_root_password)"'
                            ' >/dev/null && mc ls --recursive --versions --json here/netra-evidence')
    return {f"{row['key']}@{row.get('versionId')}" for row in map(json.loads, listing.splitlines())}
