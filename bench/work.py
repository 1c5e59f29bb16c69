"""What the load asked of the shared servers, counted by the servers themselves before and after a run:
MinIO requests by API (its v3 metrics, live, where the run's MinIO publishes them), RabbitMQ messages
published and delivered (the broker's global counters, every vhost), PostgreSQL transactions in the
system's own databases (commits and rollbacks), and mails that reached the mailbox."""
from __future__ import annotations

import os
import time
from pathlib import Path

import psycopg
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.support.servers import arrived_ns

# A backend reports its transaction counts at most once a second, and one gone idle within ten seconds
# (PostgreSQL's PGSTAT_IDLE_INTERVAL): read after 1.1 s, a run's counts once lacked half the chain's.
PG_STATS_DELAY = 11.0
BROKER = {"published": "rabbitmq_global_messages_received", "delivered": "rabbitmq_global_messages_delivered"}


def counters(text: str, families: dict[str, str], label: str | None = None) -> dict[str, float]:
    """Sums of the named counter families in a Prometheus text page; with `label`, one sum per its value."""
    wanted, found = {name: key for key, name in families.items()}, {}
    for family in text_string_to_metric_families(text):
        key = wanted.get(family.name)
        for sample in family.samples if key is not None else ():
            if sample.name.endswith("_total"):
                name = f"{key}.{sample.labels.get(label, '')}" if label else key
                found[name] = found.get(name, 0.0) + sample.value
    return found


class Counts:
    """Snapshots of what the servers counted; `per_complaint` turns two of them into a run's work."""

    def __init__(self, s3_endpoint: str | None, broker_metrics: str, pg_admin_url: str, databases: list[str],
                 mailbox: Path):
        self.s3_endpoint, self.broker_metrics = s3_endpoint, broker_metrics
        self.pg_admin_url, self.databases, self.mailbox = pg_admin_url, databases, mailbox

    def snapshot(self) -> dict[str, float]:
        taken = {"at_ns": float(time.time_ns())}
        taken |= self._get(self.broker_metrics, BROKER)
        if self.s3_endpoint:
            taken |= self._get(f"{self.s3_endpoint}/minio/metrics/v3/api/requests",
                               {"minio": "minio_api_requests"}, label="name")
        with psycopg.connect(self.pg_admin_url, autocommit=True) as conn:
            taken["transactions"] = float(conn.execute(
                "SELECT coalesce(sum(xact_commit + xact_rollback), 0) FROM pg_stat_database WHERE datname = ANY(%s)",
                (self.databases,)).fetchone()[0])
        return taken

    def after(self) -> dict[str, float]:
        time.sleep(PG_STATS_DELAY)
        return self.snapshot()

    def mails_between(self, since_ns: float, until_ns: float) -> int:
        return sum(1 for entry in os.scandir(self.mailbox)
                   if entry.name.endswith(".eml") and since_ns <= arrived_ns(entry.name) <= until_ns)

    def per_complaint(self, before: dict[str, float], after: dict[str, float], complaints: int) -> dict:
        """Each counter's growth per complaint; MinIO's by API (`minio` is their sum), None where not counted."""
        per = 1 / max(1, complaints)
        grown = {key: round((after[key] - before.get(key, 0.0)) * per, 2)
                 for key in after if key != "at_ns" and after[key] != before.get(key, 0.0)}
        minio = {key.split(".", 1)[1]: value for key, value in grown.items() if key.startswith("minio.")}
        return {
            "minio_requests": (minio | {"total": round(sum(minio.values()), 2)}) if self.s3_endpoint else None,
            "broker_published": grown.get("published", 0.0), "broker_delivered": grown.get("delivered", 0.0),
            "pg_transactions": grown.get("transactions", 0.0),
            "mails": round(self.mails_between(before["at_ns"], after["at_ns"]) * per, 2),
        }

    @staticmethod
    def _get(url: str, families: dict[str, str], label: str | None = None) -> dict[str, float]:
        answer = requests.get(url, timeout=10)
        answer.raise_for_status()
        return counters(answer.text, families, label)
