"""A settings file left in the folder the local run writes to is read by an operator's command, never by a
service: a service started beside a stray var/netra.env with a wrong value in it starts and answers, while
the desk's CLI, given the same folder, stops on that value and names it."""
import os
import subprocess
import sys

import requests

from tests.support import servers
from tests.support.system import ROOT, free_port
from tests.support.waiting import wait_until

STRAY = "NETRA_LOG_LEVEL=chatty\nNETRA_PREFETCH=0\n"


def environment(folder, amqp_url: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NETRA_")}
    return {**clean, "NETRA_SETTINGS_DIR": str(folder), "NETRA_AMQP_URL": amqp_url, "NETRA_LOG_FORMAT": "json"}


def test_a_service_ignores_a_stray_settings_file_that_an_operator_command_reads(tmp_path):
    (tmp_path / "netra.env").write_text(STRAY)
    (tmp_path / "netra-evidence.env").write_text(STRAY)
    vhost, amqp_url = servers.new_vhost()
    env = environment(tmp_path, amqp_url)
    try:
        command = subprocess.run([sys.executable, "-m", "services.desk.cli", "digest"], cwd=ROOT, env=env,
                                 capture_output=True, text=True, timeout=60)
        assert command.returncode == 2, command.stderr
        assert "NETRA_LOG_LEVEL" in command.stderr and "NETRA_PREFETCH" in command.stderr
        subprocess.run([sys.executable, "-m", "services.topology"], cwd=ROOT, env=env, check=True, timeout=60,
                       capture_output=True)
        port = free_port()
        log = open(tmp_path / "evidence.log", "wb")
        service = subprocess.Popen([sys.executable, "-m", "services.evidence.worker"], cwd=ROOT, stdout=log,
                                   stderr=log, env={**env, "NETRA_HEALTH_BIND": f"127.0.0.1:{port}"})
        try:
            assert wait_until(lambda: ready(f"http://127.0.0.1:{port}/readyz") or service.poll() is not None,
                              "the evidence worker ready or gone", timeout=60)
            assert service.poll() is None, (tmp_path / "evidence.log").read_text()
        finally:
            service.terminate()
            service.wait(30)
    finally:
        servers.drop_vhost(vhost)


def ready(url: str) -> bool:
    try:
        return requests.get(url, timeout=1).status_code == 200
    except requests.RequestException:
        return False
