"""gunicorn for the desk: JSON logs like every service, and no access log."""
import os
import tempfile

# Before anything imports prometheus_client: the workers write their metrics into this directory and
# /metrics adds them up (prometheus-client's multiprocess mode). One directory per gunicorn, emptied at start.
if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="netra-desk-metrics-")

from gunicorn.glogging import Logger

from services.common.logs import configure_logging
from services.common.metrics import fresh_multiprocess_dir, worker_exited
from services.common.settings import load_settings
from services.desk.settings import DeskSettings

# Read here, in gunicorn's master, before any worker is started: a wrong setting stops gunicorn at once with
# every problem named on stderr (load_settings), instead of workers that fail to boot one after another.
settings = load_settings(DeskSettings)
bind = settings.desk_bind
workers = settings.desk_workers
threads = settings.desk_threads
worker_class = "gthread"
timeout = 120  # a large evidence file streams for a while
graceful_timeout = 30
accesslog = None


def on_starting(server):
    fresh_multiprocess_dir(os.environ["PROMETHEUS_MULTIPROC_DIR"])


def child_exit(server, worker):
    worker_exited(worker.pid)


class StructlogLogger(Logger):
    """gunicorn's own lines go through the same structlog formatting as the app's."""

    def setup(self, cfg):
        super().setup(cfg)
        configure_logging("desk", settings.log_level, settings.log_format)
        for log in (self.error_log, self.access_log):
            log.handlers[:] = []
            log.propagate = True


logger_class = StructlogLogger
