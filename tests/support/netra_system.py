"""Netra's services started as processes, the way operators start them, for the end-to-end tests."""
import os
from contextlib import contextmanager

from tests.support import servers
from tests.support.system import ROOT, free_port, start_system


@contextmanager
def netra_system(**settings):
    """Netra's services as processes on a fresh vhost and fresh databases; `settings` are NETRA_* variables a
    test changes because they are what it tests."""
    with servers.throwaway(("intake", "routing", "notify", "desk")) as (vhost, amqp_url, databases):
        log_dir = ROOT / "var" / "log" / f"e2e-{vhost}"
        env = {**os.environ, "NETRA_AMQP_URL": amqp_url, "NETRA_INTAKE_BIND": f"127.0.0.1:{free_port()}",
               "NETRA_MAX_BODY_BYTES": str(2 * 1024 * 1024), "NETRA_LOG_FORMAT": "json",
               "NETRA_INTAKE_WORKERS": "2", **settings}
        env["NETRA_PUBLIC_URL"] = f"http://{env['NETRA_INTAKE_BIND']}"
        env["NETRA_DESK_BIND"] = f"127.0.0.1:{free_port()}"
        env["NETRA_DESK_URL"] = f"http://{env['NETRA_DESK_BIND']}"
        for name in ("NETRA_RATE_LIMIT_PER_CLIENT", "NETRA_RATE_LIMIT_GLOBAL", "NETRA_RATE_LIMIT_TRACKING"):
            env.setdefault(name, "10000/minute")  # every complaint here comes from one address
        urls = servers.service_urls(databases)
        running = start_system(env, log_dir, urls)
        running.amqp_url = amqp_url
        running.database_urls = urls
        try:
            yield running
        finally:
            running.stop_all()
