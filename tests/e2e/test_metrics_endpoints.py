"""Every service's /metrics after one complaint went through the running system, and the broker's own.

Real RabbitMQ, PostgreSQL, MinIO and SMTP; the services run as processes, intake and the desk under gunicorn
in prometheus-client's multiprocess mode.
"""
import json
from urllib.parse import urlparse

import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.support.complaints import complaint, png_bytes
from tests.support.servers import BROKER_METRICS
from tests.support.waiting import wait_until

WORKERS = ("intake-worker", "evidence", "routing", "notify", "desk-worker")


def metrics_url(system, service: str) -> str:
    return system.health[service].removesuffix("/readyz") + "/metrics"


def scrape(url: str) -> tuple[str, dict]:
    """The page as text, and {(sample name, frozenset(labels)): value}."""
    answer = requests.get(url, timeout=10)
    assert answer.status_code == 200, f"{url}: {answer.status_code}"
    samples = {(s.name, frozenset(s.labels.items())): s.value
               for family in text_string_to_metric_families(answer.text) for s in family.samples}
    return answer.text, samples


def total(samples: dict, name: str, **labels) -> float:
    return sum(value for (sample, sample_labels), value in samples.items()
               if sample == name and set(labels.items()) <= sample_labels)


def test_one_complaint_shows_in_every_services_metrics_and_the_broker_answers(system, mailbox):
    answer = requests.post(f"{system.api}/complaints", data={"complaint": json.dumps(complaint())},
                           files=[("evidence", ("bukti.png", png_bytes(7), "image/png"))], timeout=30)
    assert answer.status_code == 202, answer.text
    tracking = answer.json()["tracking_code"]

    # The unit's mail is the last step of the path: once notify counts it sent, every service has worked.
    wait_until(lambda: total(scrape(metrics_url(system, "notify"))[1], "netra_mails_total",
                             recipient="unit", result="sent") >= 1, "notify to count the unit's mail", timeout=90)
    wait_until(lambda: total(scrape(metrics_url(system, "desk-worker"))[1], "netra_messages_handled_total") >= 1,
               "the desk worker to count the case", timeout=30)

    pages = {service: scrape(metrics_url(system, service)) for service in (*WORKERS, "intake", "desk", "reconciler")}
    for service in WORKERS:
        _, samples = pages[service]
        assert total(samples, "netra_messages_handled_total") > 0, service
        assert total(samples, "netra_handler_duration_seconds_count") > 0, service
        assert total(samples, "netra_ready") == 1, service
    for service in ("intake-worker", "desk-worker"):
        assert ("netra_outbox_pending", frozenset()) in pages[service][1], service
    _, intake = pages["intake"]
    assert total(intake, "netra_http_requests_total", method="POST", route="/api/v1/complaints", status="202") == 1
    assert total(intake, "netra_ready") == 1 and total(pages["desk"][1], "netra_ready") == 1
    _, reconciler = pages["reconciler"]
    assert total(reconciler, "netra_ready") == 1
    overdue = {dict(labels)["step"]: value for (name, labels), value in reconciler.items()
               if name == "netra_complaints_overdue"}
    assert overdue == {"evidence_archived": 0, "routed": 0, "unit_notified": 0}  # the complaint went through
    for service, (text, _) in pages.items():  # codes only: no tracking code, no reporter data
        assert tracking not in text and "siti" not in text.lower(), service


def test_intake_adds_up_every_gunicorn_workers_requests(system):
    """Two gunicorn workers (NETRA_INTAKE_WORKERS=2): whichever answers the scrape counts every request."""
    for _ in range(6):
        assert requests.get(f"{system.api}/openapi.json", timeout=10).status_code == 200
    for _ in range(4):
        _, samples = scrape(metrics_url(system, "intake"))
        assert total(samples, "netra_http_requests_total", route="/api/v1/openapi.json", status="200") == 6


def test_the_broker_exports_its_queue_metrics(system):
    vhost = urlparse(system.amqp_url).path.lstrip("/")
    text, samples = scrape(f"{BROKER_METRICS}/metrics")
    assert "rabbitmq_queue_messages_ready" in text
    text, samples = scrape(f"{BROKER_METRICS}/metrics/detailed?family=queue_coarse_metrics&vhost={vhost}")
    queues = {dict(labels)["queue"] for (name, labels), _ in samples.items()
              if name == "rabbitmq_detailed_queue_messages_ready"}
    assert {"routing.route", "notify.unit_mail", "notify.unit_mail.parking"} <= queues
