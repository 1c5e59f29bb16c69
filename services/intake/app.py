"""intake's web app: `gunicorn 'services.intake.app:create_app()'`. The one place that wires intake's web side."""
from __future__ import annotations

import structlog
from flask import Flask, request
from flask_smorest import Api

from services.common.db import database_answers, make_engine
from services.common.health import run_checks
from services.common.logs import configure_logging
from services.common.settings import load_settings
from services.common.storage import STAGING_BUCKET, ensure_staging_bucket, s3_from_settings

from .api import complaints_blp, reference_blp, register_schemas
from .form import form_blp
from .problems import problem, register_problems
from .secrets import Vault
from .settings import IntakeSettings
from .submit import Intake
from .tables import metadata

log = structlog.get_logger("netra.intake.web")


def create_app(settings: IntakeSettings | None = None) -> Flask:
    settings = settings or load_settings(IntakeSettings)
    configure_logging("intake", settings.log_level, settings.log_format)
    app = Flask(__name__)
    app.config.update(
        MAX_CONTENT_LENGTH=settings.max_body_bytes, API_TITLE="Netra", API_VERSION="v1",
        OPENAPI_VERSION="3.0.3", OPENAPI_URL_PREFIX="/api/v1", OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={"info": {"description": "Complaints about civil-servant (ASN) political neutrality"}},
    )
    engine = make_engine(settings.database_url)
    metadata.create_all(engine)
    s3 = s3_from_settings(settings)
    ensure_staging_bucket(s3)
    app.extensions["netra.intake"] = Intake(engine, s3, Vault(settings.reporter_key, settings.contact_key),
                                            settings.public_url, settings.max_files)
    api = Api(app)
    register_schemas(api.spec)
    api.register_blueprint(complaints_blp)
    api.register_blueprint(reference_blp)
    app.register_blueprint(form_blp)
    register_problems(app)
    register_health(app, {"database": lambda: database_answers(engine),
                          "store": lambda: s3.bucket_exists(STAGING_BUCKET)})
    register_request_log(app)
    return app


def register_health(app: Flask, checks) -> None:
    """The broker is not among the checks: complaints are accepted into the outbox while it is away."""
    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.get("/readyz")
    def readyz():
        ready, results = run_checks(checks)
        if not ready:
            return problem(503, "Not ready", ", ".join(k for k, v in results.items() if v != "ok") + " down")
        return {"status": "ok", **results}


def register_request_log(app: Flask) -> None:
    """One line per request, without the client's address: a reporter's IP never reaches a log."""
    @app.before_request
    def start():
        structlog.contextvars.clear_contextvars()

    @app.after_request
    def summary(response):
        if request.path not in ("/healthz", "/readyz"):
            log.info("http.request", method=request.method, path=request.url_rule.rule if request.url_rule
                     else "unmatched", status=response.status_code)
        return response
