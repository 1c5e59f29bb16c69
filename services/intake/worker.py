"""intake's background process: the outbox relay, the status-timeline and the questions consumers.

`python -m services.intake.worker`. The one place that wires intake's background side.
"""
from __future__ import annotations

from services.common.db import database_answers, make_engine
from services.common.logs import configure_logging
from services.common.outbox import relaying
from services.common.publishers import Publisher, connect
from services.common.runner import run_worker
from services.common.schema_gate import require_head
from services.common.settings import load_settings
from services.common.subscriptions import routes

from .complaints.repository import ComplaintRepository
from .identity.disclosure import DisclosureStore
from .queues import SUBSCRIPTIONS
from .settings import IntakeSettings
from .tables import outbox
from .tracking.tracking_store import TrackingRepository


def main() -> None:
    settings = load_settings(IntakeSettings)
    configure_logging("intake", settings.log_level, settings.log_format)
    engine = make_engine(settings.database_url)
    require_head(engine, "intake")
    wired = routes(SUBSCRIPTIONS, settings, repository=ComplaintRepository(engine),
                   tracking=TrackingRepository(engine), disclosures=DisclosureStore(engine))
    with relaying(engine, outbox, settings.amqp_url) as relay:
        run_worker(settings, wired, Publisher(connect(settings.amqp_url)),
                   {"database": lambda: database_answers(engine), "relay": relay.is_alive})


if __name__ == "__main__":
    main()
