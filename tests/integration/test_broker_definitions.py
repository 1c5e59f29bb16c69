"""The broker users compose creates: a RabbitMQ node of its own (free ports, its own data folder) boots with
deploy/rabbitmq/10-netra.conf and the definitions deploy/make_secrets.py writes, and we sign in as each user."""
import importlib.util
import os
import signal
import socket
import subprocess
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pika
import pytest
from pika.exceptions import ChannelClosedByBroker, ProbableAccessDeniedError, ProbableAuthenticationError

from services.common.naming import QueueSpec
from services.common.publishers import connect
from tests.support.system import ROOT, free_port
from tests.support.waiting import wait_until

RABBITMQ_SERVER = Path("/usr/lib/rabbitmq/bin/rabbitmq-server")  # Debian's, without the wrapper that su's


def make_secrets(directory: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_secrets", ROOT / "deploy" / "make_secrets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.make_secrets(directory)


def answers(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    """(port, secrets folder): a node configured exactly as compose's, reached on loopback."""
    assert RABBITMQ_SERVER.exists(), "rabbitmq-server is missing: deploy/infra.sh installs it"
    home = tmp_path_factory.mktemp("rabbit")
    secrets = home / "secrets"
    make_secrets(secrets)
    conf = (ROOT / "deploy" / "rabbitmq" / "10-netra.conf").read_text()
    (home / "rabbitmq.conf").write_text(conf.replace("/run/secrets/", f"{secrets}/"))
    (home / "enabled_plugins").write_text("[].\n")
    port = free_port()
    env = {**os.environ, "HOME": str(home), "RABBITMQ_NODENAME": f"netra-defs-{port}@localhost",
           "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1", "RABBITMQ_NODE_PORT": str(port),
           "RABBITMQ_DIST_PORT": str(free_port()), "RABBITMQ_CONFIG_FILE": str(home / "rabbitmq.conf"),
           "RABBITMQ_MNESIA_BASE": str(home / "mnesia"), "RABBITMQ_LOG_BASE": str(home / "log"),
           "RABBITMQ_ENABLED_PLUGINS_FILE": str(home / "enabled_plugins")}
    log = open(home / "server.out", "wb")
    process = subprocess.Popen([str(RABBITMQ_SERVER)], env=env, stdout=log, stderr=log, start_new_session=True)
    try:
        wait_until(lambda: answers(port) or process.poll() is not None, timeout=90)
        assert process.poll() is None, (home / "server.out").read_text()[-2000:]
        yield port, secrets
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def local(url: str, port: int, vhost: str | None = None) -> str:
    """The compose URL (host rabbitmq) pointed at our node; optionally another vhost."""
    parts = urlparse(url.strip())
    netloc = f"{parts.username}:{parts.password}@127.0.0.1:{port}"
    return urlunparse(parts._replace(netloc=netloc, path=parts.path if vhost is None else vhost))


def test_netra_declares_publishes_and_consumes_on_its_vhost(node):
    port, secrets = node
    url = local((secrets / "amqp_url").read_text(), port)
    spec = QueueSpec("netra.definitions.check", ("check.sent",), (1000,))
    with connect(url) as connection:
        channel = connection.channel()
        spec.declare(channel)
        producer = connection.Producer(channel)
        producer.publish({"n": 1}, exchange="netra.events", routing_key="check.sent", serializer="json",
                         declare=[spec.main()])
        queue = spec.main().bind(channel)
        message = wait_until(lambda: queue.get(no_ack=True), timeout=10)
        assert message.payload == {"n": 1}


def test_netra_may_not_enter_any_other_vhost(node):
    port, secrets = node
    url = local((secrets / "amqp_url").read_text(), port, vhost="/")
    with pytest.raises(ProbableAccessDeniedError):
        pika.BlockingConnection(pika.URLParameters(url))


def test_there_is_no_guest(node):
    port, _ = node
    with pytest.raises(ProbableAuthenticationError):
        pika.BlockingConnection(pika.URLParameters(f"amqp://guest:guest@127.0.0.1:{port}/netra"))


def test_kedas_user_reads_queue_depth_and_can_write_nothing(node):
    port, secrets = node
    with connect(local((secrets / "amqp_url").read_text(), port)) as connection:
        channel = connection.channel()
        spec = QueueSpec("netra.depth.check", ("depth.sent",), (1000,))
        spec.declare(channel)
        producer = connection.Producer(channel)
        for n in range(3):
            producer.publish({"n": n}, exchange="netra.events", routing_key="depth.sent", serializer="json")
    keda = pika.BlockingConnection(pika.URLParameters(local((secrets / "keda_amqp_url").read_text(), port)))
    try:
        # What KEDA's rabbitmq scaler does with protocol amqp: a passive declare that returns the depth.
        def depth():
            return keda.channel().queue_declare("netra.depth.check", passive=True).method.message_count
        assert wait_until(lambda: depth() == 3, timeout=10)
        channel = keda.channel()
        with pytest.raises(ChannelClosedByBroker) as refused:
            channel.queue_declare("keda.may.not.create")
        assert refused.value.reply_code == 403
        channel = keda.channel()
        channel.confirm_delivery()
        with pytest.raises(ChannelClosedByBroker) as refused:
            channel.basic_publish(exchange="", routing_key="netra.depth.check", body=b"x")
        assert refused.value.reply_code == 403
    finally:
        keda.close()
