"""gunicorn for the chain's web side: the same shape as Netra's intake, gthread 2 × 4."""
import os

bind = os.environ.get("BENCH_CHAIN_BIND", "127.0.0.1:8090")
workers = 2
threads = 4
worker_class = "gthread"
timeout = 60
accesslog = None
