"""The chain's configuration, read once from BENCH_CHAIN_* variables, and its clients, built once per process."""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlparse

from minio import Minio
from minio.deleteobjects import DeleteObject
from sqlalchemy import BigInteger, Column, DateTime, MetaData, String, Table, Text, create_engine, func
from sqlalchemy.engine import Engine

STAGING_BUCKET = "bench-chain-staging"
EVIDENCE_BUCKET = "bench-chain-evidence"
LOCKED_BUCKET = "bench-chain-locked"  # the same-work chain's: object lock, each object with its retention

metadata = MetaData()
complaints = Table(
    "complaints", metadata,
    Column("id", String(36), primary_key=True),
    Column("tracking_code", String(32), nullable=False, unique=True),
    Column("region_code", String(16), nullable=False),
    Column("document", Text, nullable=False),
    Column("staged", Text, nullable=False),
    Column("evidence", Text),
    Column("unit_email", String(200)),
    Column("received_at", DateTime(timezone=True), server_default=func.now()),
    Column("notified_at", DateTime(timezone=True)),
)
timeline = Table(  # the same-work chain's status history, one row per step
    "timeline", metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("complaint_id", String(36), nullable=False, index=True),
    Column("status", String(32), nullable=False),
    Column("at", DateTime(timezone=True), server_default=func.now()),
)


@dataclass(frozen=True)
class Config:
    amqp_url: str
    database_url: str
    s3_endpoint: str
    s3_access_key: str
    s3_secret_key: str
    smtp_host: str
    smtp_port: int
    key_prefix: str = ""  # objects under <key_prefix>/<complaint id>/, so a run can remove its own
    work: str = "plain"  # "plain": stage, copy, route, mail; "same": Netra's work (same_work.py)
    mail_from: str = "Bench Chain <chain@bench.localhost>"


def env(name: str, default: str) -> str:
    return os.environ.get(f"BENCH_CHAIN_{name}", default)


@cache
def config() -> Config:
    return Config(
        amqp_url=env("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/bench-chain"),
        database_url=env("DATABASE_URL", "postgresql+psycopg://netra:netra@127.0.0.1:5432/bench_chain"),
        s3_endpoint=env("S3_ENDPOINT", "http://127.0.0.1:9000"),
        s3_access_key=env("S3_ACCESS_KEY", "netra-dev"), s3_secret_key=env("S3_SECRET_KEY", "netra-dev-secret"),
        smtp_host=env("SMTP_HOST", "127.0.0.1"), smtp_port=int(env("SMTP_PORT", "1025")),
        key_prefix=env("KEY_PREFIX", ""), work=env("WORK", "plain"),
    )


@cache
def engine() -> Engine:
    return create_engine(config().database_url, pool_pre_ping=True, pool_size=5, max_overflow=5)


@cache
def s3() -> Minio:
    url = urlparse(config().s3_endpoint)
    return Minio(url.netloc, access_key=config().s3_access_key, secret_key=config().s3_secret_key,
                 secure=url.scheme == "https", region="us-east-1")


def remove_objects(store: Minio, prefix: str) -> None:
    """Every object of a run, in every bucket: the chain's files are not kept after the benchmark (the locked
    ones are under governance retention, which the root user may bypass)."""
    for bucket in (STAGING_BUCKET, EVIDENCE_BUCKET, LOCKED_BUCKET):
        if not store.bucket_exists(bucket):
            continue
        listed = store.list_objects(bucket, prefix=f"{prefix}/", recursive=True, include_version=True)
        doomed = [DeleteObject(o.object_name, o.version_id) for o in listed]
        for error in store.remove_objects(bucket, doomed, bypass_governance_mode=True):
            raise RuntimeError(f"could not remove {error.name} from {bucket}: {error.message}")


def prepare() -> None:
    """Tables and buckets, once, before the web app and the workers start."""
    metadata.create_all(engine())
    for bucket in (STAGING_BUCKET, EVIDENCE_BUCKET):
        if not s3().bucket_exists(bucket):
            s3().make_bucket(bucket)
    if config().work == "same" and not s3().bucket_exists(LOCKED_BUCKET):
        s3().make_bucket(LOCKED_BUCKET, object_lock=True)


if __name__ == "__main__":
    prepare()
