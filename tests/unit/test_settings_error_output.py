"""A service refusing its configuration says why on stderr, where `docker logs` and kubectl logs look."""
import os
import subprocess
import sys

from tests.support.system import ROOT


def test_a_refused_configuration_is_written_to_stderr_and_exits_2():
    env = {"PATH": os.environ["PATH"], "NETRA_ENV": "production", "NETRA_AMQP_URL_FILE": "/nonexistent/amqp_url"}
    run = subprocess.run([sys.executable, "-m", "services.evidence.worker"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert "evidence: invalid configuration" in run.stderr and "amqp_url" in run.stderr, run.stderr
