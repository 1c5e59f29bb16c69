"""The evidence worker: checks and sanitises the originals intake wrote for each submitted complaint and each
addition from /lacak (`python -m services.evidence.worker`)."""
from __future__ import annotations

from services.common.publishers import connect, Publisher
from services.common.logs import configure_logging
from services.common.runner import run_worker
from services.common.settings import load_settings
from services.common.storage import EVIDENCE_BUCKET, bucket_answers, s3_from_settings
from services.common.subscriptions import routes

from .buckets import ensure_evidence_bucket
from .queues import SUBSCRIPTIONS
from .repository import EvidenceStore
from .settings import EvidenceSettings


def main() -> None:
    settings = load_settings(EvidenceSettings)
    configure_logging("evidence", settings.log_level, settings.log_format)
    s3 = s3_from_settings(settings)
    ensure_evidence_bucket(s3, settings.evidence_retention_days, settings.evidence_retention_mode)
    publisher = Publisher(connect(settings.amqp_url))
    wired = routes(SUBSCRIPTIONS, settings, store=EvidenceStore(s3), publish=publisher.publish,
                   retention_days=settings.evidence_retention_days,
                   retention_mode=settings.evidence_retention_mode)
    run_worker(settings, wired, publisher, checks={"store": lambda: bucket_answers(s3, EVIDENCE_BUCKET)})


if __name__ == "__main__":
    main()
