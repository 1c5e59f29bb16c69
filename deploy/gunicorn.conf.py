"""gunicorn for intake: no access log, because an access log would record each reporter's IP address."""
import os

bind = os.environ.get("NETRA_INTAKE_BIND", "127.0.0.1:8080")
workers = int(os.environ.get("NETRA_INTAKE_WORKERS", "2"))
threads = int(os.environ.get("NETRA_INTAKE_THREADS", "4"))
worker_class = "gthread"
timeout = 60
graceful_timeout = 30
accesslog = None
errorlog = "-"
