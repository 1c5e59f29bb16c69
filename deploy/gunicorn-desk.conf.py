"""gunicorn for the desk: JSON logs like every service, and no access log."""
import os

from gunicorn.glogging import Logger

from services.common.logs import configure_logging
from services.common.settings import load_settings
from services.desk.settings import DeskSettings

bind = os.environ.get("NETRA_DESK_BIND", "127.0.0.1:8090")
workers = int(os.environ.get("NETRA_DESK_WORKERS", "2"))
threads = int(os.environ.get("NETRA_DESK_THREADS", "4"))
worker_class = "gthread"
timeout = 120  # a large evidence file streams for a while
graceful_timeout = 30
accesslog = None


class StructlogLogger(Logger):
    """gunicorn's own lines go through the same structlog formatting as the app's."""

    def setup(self, cfg):
        super().setup(cfg)
        settings = load_settings(DeskSettings)
        configure_logging("desk", settings.log_level, settings.log_format)
        for log in (self.error_log, self.access_log):
            log.handlers[:] = []
            log.propagate = True


logger_class = StructlogLogger
