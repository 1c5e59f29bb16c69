"""A small HTTP port for workers: /healthz (alive), /readyz (its broker, store and database answer), /metrics."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .metrics import CONTENT_TYPE_LATEST, exposition, register_web_metrics
from .readiness import Checks, run_checks


def _handler_for(checks: Checks):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/healthz":
                self._answer(200, {"status": "ok"})
            elif self.path == "/readyz":
                ready, results = run_checks(checks)
                self._answer(200 if ready else 503, {"status": "ok" if ready else "unavailable", **results})
            elif self.path == "/metrics":
                self._send(200, exposition(checks), CONTENT_TYPE_LATEST)
            else:
                self._answer(404, {"status": "not found"})

        def _answer(self, status: int, body: dict) -> None:
            self._send(status, json.dumps(body).encode(), "application/json")

        def _send(self, status: int, data: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):  # probes are not worth a log line each
            pass
    return Handler


def register_web_health(app, checks: Checks) -> None:
    """/healthz and /readyz on a Flask app: 503 problem+json naming what is down; /metrics beside them."""
    from flask import jsonify

    register_web_metrics(app, checks)

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.get("/readyz")
    def readyz():
        ready, results = run_checks(checks)
        if ready:
            return {"status": "ok", **results}
        down = ", ".join(name for name, state in results.items() if state != "ok")
        response = jsonify({"type": "about:blank", "title": "Not ready", "status": 503, "detail": f"{down} down",
                            **results})
        response.status_code, response.mimetype = 503, "application/problem+json"
        return response


def serve_health(bind: str, checks: Checks) -> ThreadingHTTPServer:
    host, _, port = bind.rpartition(":")
    server = ThreadingHTTPServer((host or "127.0.0.1", int(port)), _handler_for(checks))
    threading.Thread(target=server.serve_forever, daemon=True, name="health").start()
    return server
