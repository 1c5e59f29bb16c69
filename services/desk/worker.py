"""The desk's background process: cases and answers from the broker in, the outbox relay out.

`python -m services.desk.worker`. The one place that wires the desk's background side.
"""
from __future__ import annotations

import functools

from services.common.db import database_answers, make_engine
from services.common.logs import configure_logging
from services.common.outbox import relaying
from services.common.publishers import Publisher, connect
from services.common.runner import run_worker
from services.common.schema_gate import require_head
from services.common.settings import load_settings
from services.common.worker import Route

from .additions import evidence_added
from .arrivals import case_arrived, reporter_answered
from .directory import unit_addresses
from .mailer import SmtpConfig, sender
from .disclosure.arrivals import identity_disclosed
from .disclosure.store import DisclosureStore
from .queues import ADDITIONS, ANSWERS, CASES, DISCLOSURES, STEPS, queues
from .reporter_news import UnitMail
from .repository import CaseRepository
from .settings import DeskSettings
from .steps import step_opened
from .tables import outbox

HANDLERS = {CASES: case_arrived, ANSWERS: reporter_answered, ADDITIONS: evidence_added,
            DISCLOSURES: identity_disclosed, STEPS: step_opened}


def main() -> None:
    settings = load_settings(DeskSettings)
    configure_logging("desk", settings.log_level, settings.log_format)
    settings.use_estimated_holidays()
    engine = make_engine(settings.database_url)
    require_head(engine, "desk")
    cases = CaseRepository(engine)
    mail = UnitMail(unit_addresses(settings.units_file), settings.desk_url, settings.mail_from,
                    sender(SmtpConfig.from_settings(settings)))
    extra = {ANSWERS: {"tell": mail.tell}, ADDITIONS: {"tell": mail.tell}}  # the reporter's news, mailed
    routes = [Route(spec, functools.partial(HANDLERS[spec.name], cases=cases, **extra.get(spec.name, {})))
              for spec in queues(settings) if spec.name != DISCLOSURES]
    routes.append(Route(next(spec for spec in queues(settings) if spec.name == DISCLOSURES),
                        functools.partial(identity_disclosed, requests=DisclosureStore(engine))))
    with relaying(engine, outbox, settings.amqp_url) as relay:
        run_worker(settings, routes, Publisher(connect(settings.amqp_url)),
                   {"database": lambda: database_answers(engine), "relay": relay.is_alive})


if __name__ == "__main__":
    main()
