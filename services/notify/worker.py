"""notify's entry point: `python -m services.notify.worker`. The only place that reads settings."""
from __future__ import annotations

import functools

from services.common.publishers import connect, Publisher
from services.common.db import database_answers, make_engine
from services.common.logs import configure_logging
from services.common.runner import run_worker
from services.common.settings import load_settings
from services.common.storage import EVIDENCE_BUCKET, s3_from_settings
from services.common.worker import Route

from . import smtp
from .deliveries import metadata
from .handlers import mail_reporter_ack, mail_reporter_rejected, mail_unit
from .queues import REPORTER_MAIL, UNIT_MAIL, queues
from .settings import NotifySettings

REPORTER_HANDLERS = {"complaint.submitted": mail_reporter_ack, "evidence.rejected": mail_reporter_rejected}


def dispatch_by_type(handlers: dict, event: dict) -> None:
    """One queue carries several event types for the reporter; each goes to its own handler."""
    handler = handlers.get(event["event_type"])
    if handler is None:
        return  # bound to this queue by an older topology: nothing for notify to do
    handler(event)


def store_answers(s3) -> bool:
    # The evidence bucket is evidence's to create; notify only needs the store itself to answer.
    s3.bucket_exists(EVIDENCE_BUCKET)
    return True


def build_routes(settings: NotifySettings, engine, s3, sender, publish) -> list[Route]:
    specs = {spec.name: spec for spec in queues(settings)}
    unit_mail = functools.partial(mail_unit, engine=engine, s3=s3, sender=sender, publish=publish,
                                  mail_from=settings.mail_from, presign_seconds=settings.presign_seconds)
    reporter_mail = {
        event_type: functools.partial(handler, engine=engine, sender=sender, publish=publish,
                                      mail_from=settings.mail_from, contact_key=settings.contact_key,
                                      public_url=settings.public_url)
        for event_type, handler in REPORTER_HANDLERS.items()
    }
    return [Route(specs[UNIT_MAIL], unit_mail),
            Route(specs[REPORTER_MAIL], functools.partial(dispatch_by_type, reporter_mail))]


def main() -> None:
    settings = load_settings(NotifySettings)
    configure_logging("notify", settings.log_level, settings.log_format)
    engine = make_engine(settings.database_url)
    metadata.create_all(engine)
    s3 = s3_from_settings(settings)
    smtp_config = smtp.SmtpConfig.from_settings(settings)
    publisher = Publisher(connect(settings.amqp_url))
    routes = build_routes(settings, engine, s3, functools.partial(smtp.send, config=smtp_config),
                          publisher.publish)
    run_worker(settings, routes, publisher, checks={
        "database": lambda: database_answers(engine),
        "smtp": lambda: smtp.answers(smtp_config),
        "store": lambda: store_answers(s3),
    })


if __name__ == "__main__":
    main()
