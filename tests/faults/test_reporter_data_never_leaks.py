"""Complaints full of reporter data, sent down every failure path we can reach; then every log line, every
parked message and every event is scanned for that data, by value: zero hits.

Unit mails are scanned as well. Paths: malformed bodies (a lone surrogate with and without Idempotency-Key, `violation` as a list, JSON
nested 50,000 deep), the object store down (503), the broker down (accepted into the outbox, relayed
later), the mail server answering 5xx (mails refused and parked), and the happy path around them.
"""
import email
import json
import time

import pytest
import requests
from kombu import Connection, Queue

from services.common.naming import EVENTS
from tests.support import servers
from tests.support.complaints import complaint, png_bytes
from tests.support.servers import body_text

pytestmark = pytest.mark.timeout(600)

NAME, EMAIL, PHONE = "Rahayu Kusumawardani", "rahayu.rahasia@example.org", "+62 813 9876 5432"
FORWARDED_FOR = "36.85.12.4"  # the address a proxy would report for the reporter
SECRETS = (NAME, EMAIL, PHONE, "813 9876 5432", "81398765432", FORWARDED_FOR)


def reporter_document(**violation) -> dict:
    document = complaint(**violation)
    document["reporter"] = {"name": NAME, "email": EMAIL, "phone": PHONE}
    return document


def post(pipeline, body: bytes | str, content_type="application/json", **headers) -> requests.Response | None:
    try:
        return requests.post(f"{pipeline.system.api}/complaints", data=body, timeout=30,
                             headers={"Content-Type": content_type, "X-Forwarded-For": FORWARDED_FOR, **headers})
    except requests.RequestException:
        return None


def multipart(pipeline, index: int, **headers) -> requests.Response | None:
    try:
        return requests.post(f"{pipeline.system.api}/complaints", timeout=30,
                             data={"complaint": json.dumps(reporter_document())},
                             files=[("evidence", ("bukti.png", png_bytes(200 + index), "image/png"))],
                             headers={"X-Forwarded-For": FORWARDED_FOR, **headers})
    except requests.RequestException:
        return None


def malformed_bodies() -> list[tuple[str, dict]]:
    surrogate = json.dumps(reporter_document(description="Dukungan terang-terangan \ud83d"), ensure_ascii=True)
    as_list = reporter_document()
    as_list["violation"] = [as_list["violation"]]
    deep = "[" * 50_000 + "]" * 50_000
    deep_object = '{"a":' * 50_000 + "1" + "}" * 50_000
    return [(surrogate, {}), (surrogate, {"Idempotency-Key": "leak-test-surrogate"}),
            (json.dumps(as_list), {}), (deep, {}), (deep_object, {})]


CAPTURE = Queue("leak-scan.every-event", exchange=EVENTS, routing_key="#", durable=True,
                queue_arguments={"x-queue-type": "quorum"})  # survives the broker's SIGKILL below


@pytest.fixture
def captured_events(pipeline_factory):
    """Every event published on the pipeline's vhost, kept in a queue of our own."""
    pipeline = pipeline_factory()
    with Connection(pipeline.checker.amqp_url) as connection:
        CAPTURE.bind(connection.channel()).declare()
    return pipeline


def as_text(body: bytes | str) -> str:
    return body if isinstance(body, str) else body.decode("utf-8", "replace")


def drain(pipeline) -> list[str]:
    texts = []
    with Connection(pipeline.checker.amqp_url) as connection:
        queue = CAPTURE.bind(connection.channel())
        while (message := queue.get(no_ack=True)) is not None:
            texts.append(as_text(message.body) + json.dumps(message.headers, default=str))
    return texts


def parked_texts(pipeline) -> list[str]:
    texts = []
    with Connection(pipeline.checker.amqp_url) as connection:
        channel = connection.channel()
        for name in pipeline.checker.parking_queues:
            while (message := channel.basic_get(name, no_ack=False)) is not None:
                texts.append(as_text(message.body) + json.dumps(message.headers, default=str))
        channel.close()  # unacked: they go back to their queues
    return texts


def test_no_reporter_data_in_any_log_event_or_parked_message(captured_events):
    pipeline = captured_events
    answers = [post(pipeline, body, **headers) for body, headers in malformed_bodies()]
    assert all(a is not None and 400 <= a.status_code < 500 for a in answers), [a and a.status_code for a in answers]

    accepted = [multipart(pipeline, 0)]
    first = accepted[0].json()["tracking_code"]
    deadline = time.monotonic() + 60
    while first not in pipeline.checker.unit_mails():  # the happy path first: its unit mails are scanned too
        assert time.monotonic() < deadline, "the first complaint never reached its unit"
        time.sleep(0.2)
    minio = servers.MinioProcess()
    minio.stop()
    try:
        refused = [multipart(pipeline, i) for i in range(1, 3)]
    finally:
        minio.start()
    assert all(a is not None and a.status_code == 503 for a in refused), [a and a.status_code for a in refused]

    servers.kill_rabbitmq()
    try:
        accepted += [multipart(pipeline, i, **{"Idempotency-Key": f"leak-broker-{i}"}) for i in range(3, 5)]
    finally:
        servers.start_rabbitmq()

    pipeline.smtp.answer("permfail")
    accepted += [multipart(pipeline, i) for i in range(5, 8)]
    started = time.monotonic()
    receipts = [a.json()["receipt"] for a in accepted if a is not None and a.status_code == 202]
    assert len(receipts) == 6
    for answer in accepted:
        pipeline.checker.accepted.add(answer.json()["tracking_code"])
    deadline = time.monotonic() + 120
    while pipeline.checker.outcome(started).lost:  # the refused mails parked before the mail server recovers
        assert time.monotonic() < deadline, "complaints neither mailed nor parked while the mail server refused"
        time.sleep(0.5)
    pipeline.smtp.answer("accept")  # so the sentinel's mail, sent after everything else, can arrive
    outcome = pipeline.settle_and_check("reporter data scan", started)
    assert outcome.parked > 0, "the 5xx phase parked mails: their reasons are scanned too"

    texts = {"event": drain(pipeline), "parked": parked_texts(pipeline)}
    texts["log"] = [line for log in pipeline.system.log_dir.glob("*.log")
                    for line in log.read_text(errors="replace").splitlines()]
    mails = [email.message_from_bytes(path.read_bytes()) for path in pipeline.smtp.folder.glob("*.eml")]
    texts["unit mail"] = [mail.as_string() + body_text(mail) for mail in mails  # decoded, not only as sent
                          if EMAIL not in mail["X-Netra-Rcpt-To"]]  # the reporter's own acknowledgment aside
    assert texts["event"] and texts["parked"] and texts["log"] and texts["unit mail"]
    hits = [(kind, secret, text[:300]) for kind, lines in texts.items() for text in lines
            for secret in (*SECRETS, *receipts) if secret in text]
    assert hits == [], f"{len(hits)} hits, first: {hits[:3]}"
