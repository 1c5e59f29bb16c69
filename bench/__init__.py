"""The benchmark: Netra beside a plain Flask + Celery chain doing the same work, on the same servers."""
