"""gunicorn for intake: JSON logs like every service, and no access log, which would record reporters' IPs."""
import os

from gunicorn.glogging import Logger

from services.common.logs import configure_logging
from services.common.settings import load_settings
from services.intake.settings import IntakeSettings

bind = os.environ.get("NETRA_INTAKE_BIND", "127.0.0.1:8080")
workers = int(os.environ.get("NETRA_INTAKE_WORKERS", "2"))
threads = int(os.environ.get("NETRA_INTAKE_THREADS", "4"))
worker_class = "gthread"
timeout = 60
graceful_timeout = 30
accesslog = None


class StructlogLogger(Logger):
    """gunicorn's own lines go through the same structlog formatting as the app's."""

    def setup(self, cfg):
        super().setup(cfg)
        settings = load_settings(IntakeSettings)
        configure_logging("intake", settings.log_level, settings.log_format)
        for log in (self.error_log, self.access_log):
            log.handlers[:] = []
            log.propagate = True


logger_class = StructlogLogger
