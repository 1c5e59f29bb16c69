"""Pushes N complaints with a screenshot through the running system and reports what it takes.

Prints throughput and submit→unit-email latency (p50, p95, p99), beside the raw RabbitMQ
publish-confirm-consume rate and the raw MinIO PUT rate measured in the same run on the same servers,
so the pipeline's cost reads as a ratio to its parts. It also sets publishing with one confirm round
trip per message beside publishing in batches with the confirms pipelined, as the outbox relay does.
Start the system first (deploy/run-local.sh), or pass --raw-only for the raw rates alone.

    .venv/bin/python scripts/benchmark.py --complaints 200 --concurrency 8
    .venv/bin/python scripts/benchmark.py --raw-only --raw 2000
"""
from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from email import message_from_bytes, policy
from pathlib import Path

import requests
from kombu import Queue

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.common.naming import EVENTS  # noqa: E402
from services.common.publishers import BatchPublisher, connect, Publisher
from services.common.storage import make_s3  # noqa: E402
from services.intake.relay import BATCH as RELAY_BATCH  # noqa: E402
from tests.support.complaints import complaint, png_bytes  # noqa: E402
from tests.support.servers import MAILBOX_DIR  # noqa: E402

API = os.environ.get("NETRA_API", "http://127.0.0.1:8080/api/v1")
MAILBOX = MAILBOX_DIR


SCREENSHOT_BYTES = 200 * 1024


def screenshot() -> bytes:
    """A PNG of about 200 KiB, the size of a phone screenshot, that does not compress and is unique."""
    return png_bytes(int(time.time_ns()) % 251) + os.urandom(SCREENSHOT_BYTES)


def submit(_: int) -> tuple[str, float]:
    started = time.time()
    document = complaint()
    document["reporter"] = None
    answer = requests.post(f"{API}/complaints", data={"complaint": json.dumps(document)},
                           files=[("evidence", ("bukti.png", screenshot(), "image/png"))], timeout=60)
    answer.raise_for_status()
    return answer.json()["tracking_code"], started


def unit_mail_times(codes: set[str], since_ns: int, timeout: float) -> dict[str, float]:
    """Arrival time of the unit email per tracking code, from the mailbox file names (time_ns)."""
    arrived: dict[str, float] = {}
    seen: set[Path] = set()
    deadline = time.monotonic() + timeout
    while len(arrived) < len(codes) and time.monotonic() < deadline:
        for path in MAILBOX.glob("*.eml"):
            stamp = int(path.name.split("-")[0])
            if path in seen or stamp < since_ns:
                continue
            seen.add(path)
            mail = message_from_bytes(path.read_bytes(), policy=policy.default)
            if not (mail["Message-ID"] or "").startswith("<case-"):
                continue  # the reporter's acknowledgment, not the unit's case mail
            code = next((c for c in codes if c in (mail["Subject"] or "")), None)
            if code:
                arrived[code] = stamp / 1e9
        time.sleep(0.1)
    return arrived


def pipeline(n: int, concurrency: int, timeout: float) -> dict:
    since = time.time_ns()
    started = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        submitted = dict(pool.map(submit, range(n)))
    submit_seconds = time.monotonic() - started
    arrived = unit_mail_times(set(submitted), since, timeout)
    total_seconds = time.monotonic() - started
    latencies = sorted(arrived[c] - submitted[c] for c in arrived)
    return {"submitted": n, "delivered": len(arrived), "submit_rate": n / submit_seconds,
            "throughput": len(arrived) / total_seconds, "latencies": latencies}


def bench_queue(conn, name: str) -> Queue:
    queue = Queue(name, exchange=EVENTS, routing_key=name, channel=conn.channel(),
                  queue_arguments={"x-queue-type": "quorum"})
    queue.declare()
    return queue


def bench_events(name: str, n: int) -> list[dict]:
    return [{"event_id": str(uuid.uuid4()), "event_type": name, "payload": {"pad": "x" * 1500}}
            for _ in range(n)]


def raw_broker_rates(amqp_url: str, n: int) -> tuple[float, float]:
    """Persistent messages published into a quorum queue, one confirm round trip each, then consumed
    with acks. Returns the publish rate and the publish-confirm-consume rate."""
    name = f"bench.raw.{uuid.uuid4().hex[:8]}"
    events = bench_events(name, n)
    with connect(amqp_url) as conn:
        queue = bench_queue(conn, name)
        publisher = Publisher(conn)
        started = time.monotonic()
        for event in events:
            publisher.publish(event)
        published = time.monotonic() - started
        received = 0
        while received < n:
            message = queue.get()
            if message is None:
                continue
            message.ack()
            received += 1
        seconds = time.monotonic() - started
        queue.delete()
    return n / published, n / seconds


def raw_batch_publish_rate(amqp_url: str, n: int) -> float:
    """The same messages published as the outbox relay does: in batches, all confirms awaited at once."""
    name = f"bench.batch.{uuid.uuid4().hex[:8]}"
    events = bench_events(name, n)
    with connect(amqp_url) as conn:
        queue = bench_queue(conn, name)
        publisher = BatchPublisher(amqp_url)
        started = time.monotonic()
        for first in range(0, n, RELAY_BATCH):
            publisher.publish(events[first:first + RELAY_BATCH])
        seconds = time.monotonic() - started
        publisher.close()
        queue.delete()
    return n / seconds


def raw_store_rate(n: int) -> float:
    s3 = make_s3(os.environ.get("NETRA_S3_ENDPOINT", "http://127.0.0.1:9000"),
                 os.environ.get("NETRA_S3_ACCESS_KEY", "netra-dev"),
                 os.environ.get("NETRA_S3_SECRET_KEY", "netra-dev-secret"), "us-east-1")
    bucket = "netra-bench"
    if not s3.bucket_exists(bucket):
        s3.make_bucket(bucket)
    blob = screenshot()
    started = time.monotonic()
    for i in range(n):
        s3.put_object(bucket, f"raw/{i}", io.BytesIO(blob), len(blob))
    seconds = time.monotonic() - started
    for i in range(n):
        s3.remove_object(bucket, f"raw/{i}")
    return n / seconds


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--complaints", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--raw", type=int, default=500, help="messages and PUTs for the raw rates")
    parser.add_argument("--raw-only", action="store_true", help="only the raw rates: no system needed")
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    amqp_url = os.environ.get("NETRA_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")

    result = None if args.raw_only else pipeline(args.complaints, args.concurrency, args.timeout)
    publish, broker = raw_broker_rates(amqp_url, args.raw)
    batch = raw_batch_publish_rate(amqp_url, args.raw)
    store = raw_store_rate(args.raw)
    if result:
        print_pipeline(result, args.concurrency)
    print(f"raw RabbitMQ publish-confirm-consume  {broker:.0f} msg/s (quorum queue, persistent, confirms)")
    print(f"raw RabbitMQ publish, one confirm each  {publish:.0f} msg/s")
    print(f"raw RabbitMQ batch publish (confirms pipelined)  {batch:.0f} msg/s in batches of {RELAY_BATCH}, "
          f"{batch / publish:.1f}x one confirm each")
    print(f"raw MinIO PUT                  {store:.0f} PUT/s ({len(screenshot()) // 1024} KiB objects)")
    if result:
        print(f"ratios                         pipeline/broker {result['throughput'] / broker:.4f}  "
              f"pipeline/store {result['throughput'] / store:.4f}")


def print_pipeline(result: dict, concurrency: int) -> None:
    lat = result["latencies"]
    print(f"complaints submitted           {result['submitted']}  (concurrency {concurrency})")
    print(f"unit emails received           {result['delivered']}")
    print(f"submit rate (HTTP 202s)        {result['submit_rate']:.1f} /s")
    print(f"pipeline throughput            {result['throughput']:.1f} complaints/s, submit to unit email")
    print(f"submit→unit-email latency      p50 {percentile(lat, 50) * 1000:.0f} ms  "
          f"p95 {percentile(lat, 95) * 1000:.0f} ms  p99 {percentile(lat, 99) * 1000:.0f} ms")
    if lat:
        print(f"mean latency                   {statistics.mean(lat) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
