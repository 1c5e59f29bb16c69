"""Abuse limits as shipped behind an ingress: nginx (Debian's) in front of two intake instances of two gunicorn
workers each, all counting in the shared Redis, NETRA_TRUSTED_PROXIES=1. Clients are told apart by the loopback
address they connect from (127.0.0.2, 127.0.0.3, ...), which nginx appends to X-Forwarded-For."""
import os
import subprocess
from pathlib import Path

import pytest
import requests
from requests.adapters import HTTPAdapter

from tests.support import servers
from tests.support.complaints import complaint
from tests.support.migrated import migrated
from tests.support.system import ROOT, System, free_port
from tests.support.waiting import wait_until

PER_CLIENT = 4  # the limit this test is about: low, so a few complaints reach it
NGINX_CONF = """
{user}
worker_processes 1;
pid {dir}/nginx.pid;
daemon off;
events {{ worker_connections 64; }}
http {{
    log_format upstreams '$request_method $upstream_addr $status';
    access_log {dir}/access.log upstreams;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    upstream intake {{ server {first}; server {second}; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://intake;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        }}
    }}
}}
"""


class FromAddress(HTTPAdapter):
    """Connections that leave from one loopback address: one client, as nginx sees it."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, source_address=(self.address, 0), **kwargs)


def client_at(address: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", FromAddress(address))
    return session


def start_nginx(folder: Path, upstreams: list[str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    conf = folder / "nginx.conf"
    user = "user root;" if os.geteuid() == 0 else ""  # its workers write in this test's own folder
    conf.write_text(NGINX_CONF.format(user=user, dir=folder, first=upstreams[0], second=upstreams[1], port=port))
    process = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(folder), "-e", str(folder / "error.log")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_until(lambda: _answers(f"{url}/readyz"), "nginx in front of intake", timeout=20)
    return process, url


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=1).status_code == 200
    except requests.RequestException:
        return False


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    """nginx's address, and its access log (which upstream served each request; no client address)."""
    folder = tmp_path_factory.mktemp("nginx")
    with servers.throwaway(("intake",)) as (vhost, amqp_url, databases):
        database = migrated("intake", databases["intake"][1])
        env = {**os.environ, "NETRA_AMQP_URL": amqp_url, "NETRA_DATABASE_URL": database,
               "NETRA_LOG_FORMAT": "json", "NETRA_INTAKE_WORKERS": "2", "NETRA_TRUSTED_PROXIES": "1",
               "NETRA_RATE_LIMIT_PER_CLIENT": f"{PER_CLIENT}/minute"}
        system = System(env, ROOT / "var" / "log" / f"e2e-{vhost}")
        system.log_dir.mkdir(parents=True, exist_ok=True)
        binds = [f"127.0.0.1:{free_port()}" for _ in range(2)]
        for n, bind in enumerate(binds):
            system.start(f"intake-{n}", ["gunicorn", "-c", "deploy/gunicorn.conf.py",
                                         "services.intake.app:create_app()"], {"NETRA_INTAKE_BIND": bind})
            system.health[f"intake-{n}"] = f"http://{bind}/readyz"
        nginx = None
        try:
            system.wait_ready()
            nginx, url = start_nginx(folder, binds)
            yield url, folder / "access.log"
        finally:
            if nginx:
                nginx.terminate()
                nginx.wait(timeout=10)
            system.stop_all()


def submit(session: requests.Session, url: str, **headers) -> int:
    return session.post(f"{url}/api/v1/complaints", json=complaint(), headers=headers, timeout=30).status_code


def test_one_clients_limit_holds_across_every_worker_of_both_instances(proxy):
    url, access_log = proxy
    answers = [submit(client_at("127.0.0.2"), url) for _ in range(PER_CLIENT + 4)]
    assert answers == [202] * PER_CLIENT + [429] * 4
    served_by = {line.split()[1] for line in access_log.read_text().splitlines() if line.startswith("POST")}
    assert len(served_by) == 2, "nginx spread the complaints over both instances"


def test_two_clients_do_not_share_a_limit(proxy):
    url, _ = proxy
    first, second = client_at("127.0.0.3"), client_at("127.0.0.4")
    assert [submit(first, url) for _ in range(PER_CLIENT + 1)] == [202] * PER_CLIENT + [429]
    assert submit(second, url) == 202


def test_a_forwarded_for_the_client_sends_itself_changes_nothing(proxy):
    """Each request claims another address; nginx appends the real one, and only that one is read."""
    url, _ = proxy
    forger = client_at("127.0.0.5")
    answers = [submit(forger, url, **{"X-Forwarded-For": f"198.51.100.{n}"}) for n in range(PER_CLIENT + 2)]
    assert answers == [202] * PER_CLIENT + [429] * 2
    # Nor can one pass for a client that is still free, or push a limited one over: 127.0.0.6 is untouched.
    assert submit(client_at("127.0.0.5"), url, **{"X-Forwarded-For": "127.0.0.6"}) == 429
    assert submit(client_at("127.0.0.6"), url) == 202
