"""A three-node RabbitMQ cluster loses the node that leads the queues mid-stream, and gets it back.

Uses only its own cluster (deploy/rabbitmq-cluster.sh, ports 5681-5683, a fresh vhost) and its own Netra
processes; never the shared broker on 5672. Every accepted complaint must reach its unit exactly once.
"""
import json
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path
from collections import Counter

import pytest

from services.common.settings import CommonSettings
from services.topology import all_queues
from tests.support.fault_pipeline import COMPLAINTS, REPORT, Pipeline
from tests.support import servers
from tests.support.checker import Checker, report_line
from tests.support.smtp_switch import SmtpSwitch
from tests.support.system import ROOT, free_port, start_system

pytestmark = pytest.mark.timeout(900)
SCRIPT = ROOT / "deploy" / "rabbitmq-cluster.sh"
CLUSTER_DIR = Path("/var/tmp/netra/rabbitmq-cluster")  # the script's NETRA_CLUSTER_DIR default
NODES = {letter: f"netra-{letter}@localhost" for letter in "abc"}


def cluster(*args: str) -> str:
    done = subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=300)
    if done.returncode:
        logs = "\n".join(f"--- {log}\n{log.read_text(errors='replace')[-3000:]}"
                         for log in sorted(CLUSTER_DIR.glob("*/log/*.log")))
        raise AssertionError(f"rabbitmq-cluster.sh {' '.join(args)} exited {done.returncode}:\n{done.stderr}\n{logs}")
    return done.stdout


def ctl(*args: str, tool: str = "rabbitmqctl", node: str = "a") -> str:
    command = ["runuser", "-u", "rabbitmq", "--", "env", "HOME=/var/lib/rabbitmq", tool, "-q",
               "-n", NODES[node], *args]
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=60).stdout


def quorum_queues(vhost: str, node: str = "a") -> list[dict]:
    rows = json.loads(ctl("list_queues", "-p", vhost, "name", "type", "leader", "members", "--formatter",
                          "json", node=node))
    return [row for row in rows if row["type"] == "quorum"]


@pytest.fixture
def cluster_pipeline(tmp_path):
    cluster("start")
    vhost = f"netra-cluster-{uuid.uuid4().hex[:8]}"
    ctl("add_vhost", vhost)
    ctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
    amqp_url = ",".join(f"{url}{vhost}" for url in cluster("urls").strip().split(","))
    databases = {name: servers.new_database(owner=servers.DATABASE_OWNER)
                 for name in ("intake", "routing", "notify", "desk")}
    smtp = SmtpSwitch(tmp_path / "mail", free_port())
    smtp.up()
    env = {**os.environ, "NETRA_AMQP_URL": amqp_url, "NETRA_INTAKE_BIND": f"127.0.0.1:{free_port()}",
           "NETRA_SMTP_PORT": str(smtp.port), "NETRA_LOG_FORMAT": "json",
           "NETRA_RATE_LIMIT_PER_CLIENT": "10000/minute", "NETRA_RATE_LIMIT_GLOBAL": "10000/minute",
           "NETRA_RATE_LIMIT_DEFAULT": "10000/minute"}
    env["NETRA_PUBLIC_URL"] = f"http://{env['NETRA_INTAKE_BIND']}"
    urls = servers.service_urls(databases)
    system = start_system(env, ROOT / "var" / "log" / f"faults-{vhost}", urls)
    parking = [f"{spec.name}.parking" for spec in all_queues(CommonSettings())]
    pipeline = Pipeline(system, smtp, Checker(smtp.folder, amqp_url, parking))
    pipeline.vhost = vhost
    yield pipeline
    system.stop_all()
    smtp.down()
    cluster("start")  # the killed node back, whatever happened
    ctl("delete_vhost", vhost)
    for name, _url in databases.values():
        servers.drop_database(name)


def test_the_node_leading_the_queues_is_killed_and_comes_back(cluster_pipeline):
    pipeline, vhost = cluster_pipeline, cluster_pipeline.vhost
    queues = quorum_queues(vhost)
    every = json.loads(ctl("list_queues", "-p", vhost, "name", "--formatter", "json"))
    assert len(queues) == len(every), "every queue, retry and delay queues too, is a quorum queue"
    assert all(len(q["members"]) == 3 for q in queues), "every quorum queue on all three nodes"
    status = ctl("quorum_status", "-p", vhost, queues[0]["name"], "--formatter", "json", tool="rabbitmq-queues")
    assert sorted(member["Node Name"] for member in json.loads(status)) == sorted(NODES.values())

    stream = pipeline.stream(per_second=5)
    deadline = time.monotonic() + 120
    while len(pipeline.checker.accepted) < COMPLAINTS // 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    leaders = Counter(q["leader"] for q in quorum_queues(vhost))
    leader = leaders.most_common(1)[0][0]
    letter = next(k for k, v in NODES.items() if v == leader)
    os.kill(int(cluster("pid", letter)), signal.SIGKILL)
    killed = time.monotonic()
    survivor = next(k for k in NODES if k != letter)
    stream.join()
    during = pipeline.checker.settle(killed, 240)  # with two nodes of three: the queues keep a majority
    moved = Counter(q["leader"] for q in quorum_queues(vhost, node=survivor))
    cluster("start")
    back = time.monotonic()
    pipeline.stream(count=20, per_second=5).join()
    outcome = pipeline.checker.settle(back, 240, sentinel=pipeline.sentinel)
    pipeline.checker_done.set()
    line = report_line("cluster: queue leader SIGKILL", outcome, refused=pipeline.refused, killed=leader,
                       led=dict(leaders), leaders_after_kill=dict(moved), node_down_s=round(back - killed, 1),
                       settled_after_kill_s=round(during.seconds, 1), lost_while_down=len(during.lost))
    print(line)
    with REPORT.open("a") as report:
        report.write(line + "\n")
    assert leader not in moved, "the surviving nodes elected new leaders"
    assert during.lost == [], f"not delivered while the node was down: {during.lost}"
    assert outcome.lost == [], f"lost: {outcome.lost}"
    assert outcome.duplicated == {}, f"duplicated: {outcome.duplicated}"
    assert outcome.accepted >= (COMPLAINTS + 20) * 0.9, f"{outcome.accepted} accepted, {pipeline.refused} refused"
    assert pipeline.system.dead() == [], "every service reconnected by itself"
