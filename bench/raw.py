"""The servers' own limits in the same run: MinIO PUT and GET of the complaint's file size, and RabbitMQ
persistent publish with a confirm each, then consume with acks, through a quorum queue."""
from __future__ import annotations

import io
import os
import time
import uuid

from kombu import Connection, Exchange, Queue

from services.common.storage import make_s3

from .load import incompressible_png

BUCKET = "bench-raw"


def shared_s3_keys() -> tuple[str, str]:
    """MinIO's root keys where the services have users of their own (which may not touch the benchmark's
    buckets), else the one pair of keys: the same NETRA_* variables the tests read."""
    if "NETRA_S3_ROOT_USER" in os.environ:
        return os.environ["NETRA_S3_ROOT_USER"], os.environ.get("NETRA_S3_ROOT_PASSWORD", "")
    return os.environ.get("NETRA_S3_ACCESS_KEY", "netra-dev"), os.environ.get("NETRA_S3_SECRET_KEY", "netra-dev-secret")


def shared_s3():
    return make_s3(os.environ.get("NETRA_S3_ENDPOINT", "http://127.0.0.1:9000"), *shared_s3_keys(), "us-east-1")


def store_rates(n: int, size: int) -> dict:
    s3 = shared_s3()
    if not s3.bucket_exists(BUCKET):
        s3.make_bucket(BUCKET)
    prefix, blob = uuid.uuid4().hex, incompressible_png(size)
    started = time.monotonic()
    for i in range(n):
        s3.put_object(BUCKET, f"{prefix}/{i}", io.BytesIO(blob), len(blob))
    put_seconds = time.monotonic() - started
    started = time.monotonic()
    for i in range(n):
        answer = s3.get_object(BUCKET, f"{prefix}/{i}")
        answer.read()
        answer.close()
        answer.release_conn()
    get_seconds = time.monotonic() - started
    for i in range(n):
        s3.remove_object(BUCKET, f"{prefix}/{i}")
    return {"minio_put_per_s": n / put_seconds, "minio_get_per_s": n / get_seconds}


def broker_rate(amqp_url: str, n: int, body_size: int = 1500) -> dict:
    """Publish n persistent messages, each awaiting its confirm, into a quorum queue of its own, then get
    and ack them; the queue is deleted afterwards."""
    name = f"bench.raw.{uuid.uuid4().hex[:8]}"
    with Connection(amqp_url, transport_options={"confirm_publish": True}) as conn:
        queue = Queue(name, Exchange(name, type="direct", auto_delete=True), routing_key=name,
                      queue_arguments={"x-queue-type": "quorum"})
        producer = conn.Producer()
        bound = queue(producer.channel)
        bound.declare()
        body = {"pad": "x" * body_size}
        try:
            started = time.monotonic()
            for _ in range(n):
                producer.publish(body, exchange=queue.exchange, routing_key=name, delivery_mode=2)
            published = time.monotonic() - started
            consume(queue(conn.channel()), n)
            total = time.monotonic() - started
        finally:
            bound.delete()
    return {"broker_publish_confirm_per_s": n / published, "broker_publish_confirm_consume_per_s": n / total}


def consume(queue, n: int) -> None:
    received = 0
    while received < n:
        if message := queue.get():
            message.ack()
            received += 1
