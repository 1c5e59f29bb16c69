"""The Celery app and the chain archive → route → notify, configured as a careful engineer would:
acks late, rejected back to the queue if a worker dies, publisher confirms, one message prefetched per
process, no result backend. `celery -A bench.celery_chain.tasks worker --pool prefork --concurrency 4`"""
from __future__ import annotations

from celery import Celery, chain

from . import same_work, steps
from .config import config, engine, s3

app = Celery("bench_chain", broker=config().amqp_url)
app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    broker_transport_options={"confirm_publish": True},
    worker_prefetch_multiplier=1,
    task_ignore_result=True,
    task_default_queue="bench-chain",
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)


@app.task(name="chain.archive")
def archive(complaint_id: str) -> str:
    steps.archive(s3(), engine(), complaint_id)
    return complaint_id


@app.task(name="chain.route")
def route(complaint_id: str) -> str:
    steps.route(engine(), complaint_id)
    return complaint_id


@app.task(name="chain.notify")
def notify(complaint_id: str) -> str:
    settings = config()
    steps.notify(engine(), settings.smtp_host, settings.smtp_port, settings.mail_from, complaint_id)
    return complaint_id


@app.task(name="same.sanitise")
def sanitise_same(complaint_id: str) -> str:
    same_work.sanitise(s3(), engine(), complaint_id)
    return complaint_id


@app.task(name="same.route")
def route_same(complaint_id: str) -> str:
    same_work.route(engine(), complaint_id)
    return complaint_id


@app.task(name="same.notify")
def notify_same(complaint_id: str) -> str:
    settings = config()
    same_work.notify(engine(), settings.smtp_host, settings.smtp_port, settings.mail_from, complaint_id)
    return complaint_id


def start_chain(complaint_id: str) -> None:
    if config().work == "same":
        chain(sanitise_same.s(complaint_id), route_same.s(), notify_same.s()).apply_async()
    else:
        chain(archive.s(complaint_id), route.s(), notify.s()).apply_async()
