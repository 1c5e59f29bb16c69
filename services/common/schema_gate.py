"""At start a service checks that its database is at the revision its code needs; it never creates tables.

Workers and command-line tools refuse to start (`require_head`: exit 1, the log names the command to run):
a consumer on a database without its tables would only fail and park messages. The web apps start but
report not ready (`/readyz` 503 naming the command) and answer 503 to every request until the database
is migrated (`gate_web_app`), then serve at once without a restart.
"""
from __future__ import annotations

import structlog
from sqlalchemy.engine import Engine

from .readiness import NotReady
from .migrations import schema_problem

log = structlog.get_logger("netra.schema")


class SchemaGate:
    """Whether the database is at head; once it is, it stays so for this process (migrations go forward)."""

    def __init__(self, engine: Engine, service: str):
        self.engine, self.service, self._at_head = engine, service, False

    def problem(self) -> str | None:
        if self._at_head:
            return None
        problem = schema_problem(self.engine, self.service)
        self._at_head = problem is None
        return problem

    def ready(self) -> bool:
        """A readiness check: raises NotReady with the reason and the command."""
        if problem := self.problem():
            raise NotReady(problem)
        return True


def require_head(engine: Engine, service: str) -> None:
    if problem := SchemaGate(engine, service).problem():
        log.error("schema.not_migrated", problem=problem)
        raise SystemExit(problem)


def gate_web_app(app, gate: SchemaGate) -> None:
    """Until the database is migrated: a log line at start, and 503 problem+json for all but the probes."""
    from flask import jsonify, request

    if problem := _problem(gate):
        log.error("schema.not_migrated", problem=problem)

    @app.before_request
    def _schema_gate():
        if request.path in ("/healthz", "/readyz") or not (problem := _problem(gate)):
            return None
        response = jsonify({"type": "about:blank", "title": "Layanan belum siap", "status": 503,
                            "detail": "Layanan sedang disiapkan; silakan coba lagi sebentar lagi."})
        response.status_code, response.mimetype = 503, "application/problem+json"
        response.headers["Retry-After"] = "30"
        log.warning("schema.request_refused", problem=problem)
        return response


def _problem(gate: SchemaGate) -> str | None:
    try:
        return gate.problem()
    except Exception as exc:  # noqa: BLE001 - a database that does not answer is not ready either
        return f"{gate.service} database does not answer: {type(exc).__name__}"
