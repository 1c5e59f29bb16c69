"""notify's entry point: `python -m services.notify.worker`. The only place that reads settings."""
from __future__ import annotations

from services.common.db import database_answers, make_engine
from services.common.logs import configure_logging
from services.common.publishers import Publisher, connect
from services.common.runner import run_worker
from services.common.schema_gate import require_head
from services.common.sealing import Opener
from services.common.settings import load_settings
from services.common.subscriptions import routes
from services.common.worker import Route

from . import smtp
from .handlers import Mailer, Reporters
from .queues import SUBSCRIPTIONS
from .repository import SqlContacts, SqlDeliveries
from .settings import NotifySettings


def build_routes(settings: NotifySettings, mailer: Mailer, reporters: Reporters) -> list[Route]:
    return routes(SUBSCRIPTIONS, settings, mailer=mailer, reporters=reporters, desk_url=settings.desk_url)


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
