"""The desk's background process: cases and answers from the broker in, the outbox relay out.

`python -m services.desk.worker`. The one place that wires the desk's background side.
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

from .cases.reporter_news import UnitMail
from .cases.repository import CaseRepository
from .directory import unit_addresses
from .disclosure.store import DisclosureStore
from .mailer import SmtpConfig, sender
from .queues import SUBSCRIPTIONS
from .settings import DeskWorkerSettings
from .tables import outbox


def main() -> None:
    settings = load_settings(DeskWorkerSettings)
    configure_logging("desk", settings.log_level, settings.log_format)
    settings.use_estimated_holidays()
    engine = make_engine(settings.database_url)
    require_head(engine, "desk")
    mail = UnitMail(unit_addresses(settings.units_file), settings.desk_url, settings.mail_from,
                    sender(SmtpConfig.from_settings(settings)))
    # tell: the reporter's news, mailed to the unit (reporter_answered and evidence_added name it)
    wired = routes(SUBSCRIPTIONS, settings, cases=CaseRepository(engine), tell=mail.tell,
                   disclosures=DisclosureStore(engine))
    with relaying(engine, outbox, settings.amqp_url) as relay:
        run_worker(settings, wired, Publisher(connect(settings.amqp_url)),
                   {"database": lambda: database_answers(engine), "relay": relay.is_alive})


if __name__ == "__main__":
    main()
