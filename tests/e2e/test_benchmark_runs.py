"""The benchmark at a tiny size, as CI runs it: the three systems measured, every measure recorded, every
complaint in the mailbox. Not a timed test: it proves the harness works, not how fast anything is."""
import json
import subprocess
import sys

import pytest

from bench import report
from tests.support.system import ROOT

NETRA_PROCESSES = {"gunicorn", "intake-worker", "evidence", "routing", "notify"}
CHAIN_PROCESSES = {"gunicorn", "celery"}
SERVERS = set(report.SERVERS)
COMPLAINTS = 4
CHAINS = ("Same-work chain", "Plain chain")
UNIT_MAIL = {"Netra": "<case-", "Same-work chain": "<chain-", "Plain chain": "<chain-"}  # Message-ID of the mail to the primary unit


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "results.jsonl"
    subprocess.run([sys.executable, "scripts/benchmark.py", "--complaints", str(COMPLAINTS), "--threads", "2",
                    "--png-kib", "16", "--raw", "5", "--timeout", "60", "--out", str(out)],
                   cwd=ROOT, check=True, timeout=240)
    lines = out.read_text().splitlines()
    assert len(lines) == 1
    return json.loads(lines[0])


def test_every_system_has_every_measure(results):
    by_name = {s["system"]: s for s in results["systems"]}
    assert set(by_name) == {"Netra", *CHAINS}
    for system, processes in (("Netra", NETRA_PROCESSES), *((chain, CHAIN_PROCESSES) for chain in CHAINS)):
        measured = by_name[system]
        assert measured["complaints_per_s"] > 0
        assert all(measured["e2e_ms"][p] > 0 for p in ("p50", "p95", "p99", "max"))
        assert all(measured["http_202_ms"][p] > 0 for p in ("p50", "p99"))
        cpu = measured["cpu_ms_per_complaint"]
        assert processes | SERVERS <= cpu.keys(), cpu
        assert cpu["total"] > 0 and all(ms >= 0 for ms in cpu.values())
        idle = measured["idle_cpu_ms_per_s"]  # measured with nothing flowing, before the load
        assert idle.keys() == cpu.keys() and idle["rabbitmq"] > 0 and all(ms >= 0 for ms in idle.values())


def test_the_servers_count_what_each_complaint_asked_of_them(results):
    """The run's MinIO is its own, so its requests are exact; the broker and the mailbox are shared."""
    work = {s["system"]: s["work_per_complaint"] for s in results["systems"]}
    # intake's original, the sanitised copy, the manifest; evidence's one read of the original
    assert work["Netra"]["minio_requests"] == {"PutObject": 3, "GetObject": 1, "total": 4}
    # the same: the original at receipt, the sanitised copy, the manifest; one read of the original
    assert work["Same-work chain"]["minio_requests"] == {"PutObject": 3, "GetObject": 1, "total": 4}
    assert work["Plain chain"]["minio_requests"] == {"PutObject": 2, "GetObject": 1, "total": 3}
    assert work["Netra"]["broker_delivered"] >= 8 and work["Netra"]["broker_published"] >= 4
    for name in ("Netra", *CHAINS):
        assert work[name]["mails"] >= 1 and work[name]["pg_transactions"] > 0, name  # copies are on the Cc
    for chain in CHAINS:
        assert work[chain]["broker_delivered"] >= 3


def test_every_complaint_reached_the_mailbox_once(results, mailbox):
    for measured in results["systems"]:
        assert measured["accepted"] == measured["delivered"] == COMPLAINTS, measured
        assert measured["duplicates"] == 0
        unit_mail = UNIT_MAIL[measured["system"]]
        for code in measured["tracking_codes"]:
            mails = [m for m in mailbox.wait_for(code, timeout=5) if m["Message-ID"].startswith(unit_mail)]
            assert len(mails) == 1, code


def test_raw_limits_measured_in_the_same_run(results):
    raw = results["raw"]
    for measure in ("minio_put_per_s", "minio_get_per_s", "broker_publish_confirm_per_s",
                    "broker_publish_confirm_consume_per_s"):
        assert raw[measure] > 0, measure


def test_the_grouping_benchmark_runs_and_times_a_lookup_that_matches(tmp_path):
    """scripts/benchmark_grouping.py at a tiny size; it exits non-zero when a resized copy of a stored
    screenshot is not found, so the lookups it times are real matching."""
    out = tmp_path / "grouping.jsonl"
    subprocess.run([sys.executable, "scripts/benchmark_grouping.py", "--cases", "0,40", "--lookups", "5",
                    "--out", str(out)], cwd=ROOT, check=True, timeout=120)
    sizes = json.loads(out.read_text())["sizes"]
    assert set(sizes) == {"0", "40"}
    for measured in sizes.values():
        assert measured["wall_ms"] > 0 and measured["routing_cpu_ms"] > 0 and measured["postgres_cpu_ms"] >= 0
        assert measured["matched"] == 0, "the timed reports are of new acts"
