"""notify's entry point: `python -m services.notify.worker`. The only place that reads settings."""
from __future__ import annotations

import functools

from services.common.db import database_answers, make_engine
from services.common.logs import configure_logging
from services.common.publishers import Publisher, connect
from services.common.runner import run_worker
from services.common.schema_gate import require_head
from services.common.sealing import Opener
from services.common.settings import load_settings
from services.common.worker import Route

from . import smtp
from .handlers import (Mailer, Reporters, mail_reporter_ack, mail_reporter_disclosed, mail_reporter_question,
                       mail_reporter_rejected, mail_reporter_status, mail_unit)
from .queues import REPORTER_MAIL, STEP_MAIL, UNIT_MAIL, queues
from .repository import SqlContacts, SqlDeliveries
from .settings import NotifySettings
from .step_mail import mail_step_unit

REPORTER_HANDLERS = {"complaint.submitted": mail_reporter_ack, "evidence.rejected": mail_reporter_rejected,
                     "case.status_changed": mail_reporter_status, "reporter.question_asked": mail_reporter_question,
                     "identity.disclosed": mail_reporter_disclosed}


def dispatch_by_type(handlers: dict, event: dict) -> None:
    """One queue carries several event types for the reporter; each goes to its own handler."""
    handler = handlers.get(event["event_type"])
    if handler is None:
        return  # bound to this queue by an older topology: nothing for notify to do
    handler(event)


def build_routes(settings: NotifySettings, mailer: Mailer, reporters: Reporters) -> list[Route]:
    specs = {spec.name: spec for spec in queues(settings)}
    reporter_mail = {event_type: functools.partial(handler, mailer=mailer, reporters=reporters)
                     for event_type, handler in REPORTER_HANDLERS.items()}
    return [Route(specs[UNIT_MAIL], functools.partial(mail_unit, mailer=mailer, desk_url=settings.desk_url)),
            Route(specs[STEP_MAIL], functools.partial(mail_step_unit, mailer=mailer, desk_url=settings.desk_url)),
            Route(specs[REPORTER_MAIL], functools.partial(dispatch_by_type, reporter_mail))]


def main() -> None:
    settings = load_settings(NotifySettings)
    configure_logging("notify", settings.log_level, settings.log_format)
    engine = make_engine(settings.database_url)
    require_head(engine, "notify")
    smtp_config = smtp.SmtpConfig.from_settings(settings)
    publisher = Publisher(connect(settings.amqp_url))
    mailer = Mailer(SqlDeliveries(engine), smtp.SmtpSender(smtp_config), publisher.publish,
                    settings.mail_from)
    reporters = Reporters(SqlContacts(engine), Opener.from_texts(settings.contact_keys), settings.public_url)
    run_worker(settings, build_routes(settings, mailer, reporters), publisher, checks={
        "database": lambda: database_answers(engine),
        "smtp": lambda: smtp.answers(smtp_config),
    })


if __name__ == "__main__":
    main()
