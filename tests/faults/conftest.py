"""The fault suite's fixture: pipelines (tests/support/fault_pipeline.py) on a throwaway vhost and databases
each, torn down after the test; and the scenarios' report lines at the end of the run."""
import os
from contextlib import ExitStack

import pytest

from services.topology import all_queues
from services.common.settings import CommonSettings
from tests.support import servers
from tests.support.checker import Checker
from tests.support.smtp_switch import SmtpSwitch
from tests.support.fault_pipeline import RESULTS, Pipeline
from tests.support.system import free_port, start_system


@pytest.fixture
def pipeline_factory(tmp_path):
    made = []

    def make(**env_overrides) -> Pipeline:
        services = ("intake", "routing", "notify", "desk")
        _vhost, amqp_url, databases = corners.enter_context(servers.throwaway(services))
        smtp = SmtpSwitch(tmp_path / "mail", free_port())
        smtp.up()
        env = {**os.environ, "NETRA_AMQP_URL": amqp_url, "NETRA_INTAKE_BIND": f"127.0.0.1:{free_port()}",
               "NETRA_SMTP_PORT": str(smtp.port), "NETRA_LOG_FORMAT": "json"}
        env.update({k: v for k, v in env_overrides.items() if not k.startswith("only_")})
        env["NETRA_PUBLIC_URL"] = f"http://{env['NETRA_INTAKE_BIND']}"
        for name in ("NETRA_RATE_LIMIT_DEFAULT", "NETRA_RATE_LIMIT_PER_CLIENT", "NETRA_RATE_LIMIT_GLOBAL"):
            env.setdefault(name, "10000/minute")  # every complaint here comes from one address
        urls = servers.service_urls(databases)
        system = start_system(env, tmp_path / "logs", urls)
        settings = CommonSettings()
        parking = [f"{spec.name}.parking" for spec in all_queues(settings)]
        pipeline = Pipeline(system, smtp, Checker(smtp.folder, amqp_url, parking))
        made.append(pipeline)
        return pipeline

    # Each pipeline's vhost and databases are dropped last, once its system stopped and the broker is back,
    # and also when a system failed to start or to stop.
    with ExitStack() as corners:
        try:
            yield make
        finally:
            for pipeline in made:
                pipeline.system.stop_all()
                pipeline.smtp.down()
            servers.start_rabbitmq()


def pytest_terminal_summary(terminalreporter):
    if RESULTS:
        terminalreporter.section("fault scenarios")
        for line in RESULTS:
            terminalreporter.write_line(line)
