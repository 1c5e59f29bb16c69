"""The desk's web app: `gunicorn 'services.desk.app:create_app()'`. The one place that wires its web side."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import structlog
from flask import Flask, request
from flask_smorest import Api
from flask_wtf.csrf import CSRFProtect

from services.common import workdays
from services.common.db import database_answers, make_engine
from services.common.health import register_web_health
from services.common.logs import configure_logging
from services.common.schema_gate import SchemaGate, gate_web_app
from services.common.security_headers import register_security_headers
from services.common.settings import load_settings
from services.common.storage import EVIDENCE_BUCKET, make_s3, s3_from_settings
from services.reference.vocabulary import label as word

from .accounts import admin, auth, selfservice
from .accounts.invitations import Mailing
from .accounts.resets import ResetMailing
from .accounts.throttle import build_throttle
from .casefile import casefile_pages
from .cases import api, drafts, pages
from .cases.repository import AccountRepository, AuditLog, CaseRepository
from .chain import step_pages
from .chain.documents import DocumentArchive
from .directory import load_units, unit_regions
from .disclosure import pages as disclosure_pages
from .errors import register_errors
from .local_times import local
from .mailer import SmtpConfig, sender
from .ports import EvidenceObjects
from .reports import report_api, report_pages
from .settings import DeskSettings
from .transfers import transfer_pages

log = structlog.get_logger("netra.desk.web")


@dataclass(frozen=True)
class Desk:
    """What the views work with; built here and nowhere else."""
    settings: DeskSettings
    cases: CaseRepository
    accounts: AccountRepository
    audit: AuditLog
    store: EvidenceObjects
    units: dict[str, str]
    unit_regions: dict[str, str | None]  # for each unit's own clock (WIB, WITA, WIT) in the case file
    invitations: Mailing
    resets: ResetMailing


def create_app(settings: DeskSettings | None = None, *, engine=None, store=None, send=None, documents=None) -> Flask:
    settings = settings or load_settings(DeskSettings)
    configure_logging("desk", settings.log_level, settings.log_format)
    settings.use_estimated_holidays()
    engine = engine or make_engine(settings.database_url)
    gate = SchemaGate(engine, "desk")
    store = store or s3_from_settings(settings)
    app = Flask(__name__, static_url_path="/desk/static")  # within the session cookie's path
    configure(app, settings)
    app.jinja_env.globals["word"] = word  # codes travel on the wire; pages show their words
    app.jinja_env.filters["word_of_match"] = lambda code: word("group_matches", code)
    app.jinja_env.globals["estimated"] = workdays.is_estimate  # a due date of a year without a decree
    app.jinja_env.filters["local"] = local  # times in the zone of the officer's unit, named
    app.jinja_env.globals["typed"] = drafts.typed  # a form's fields as typed before the session ended
    app.jinja_env.globals["pending_transfers"] = transfer_pages.pending_count  # the head's "Baru" marker
    send = send or sender(SmtpConfig.from_settings(settings))
    app.extensions["netra.desk"] = Desk(settings, CaseRepository(engine), AccountRepository(engine),
                                        AuditLog(engine), store, load_units(settings.units_file),
                                        unit_regions(settings.units_file),
                                        Mailing.from_settings(settings, send),
                                        ResetMailing.from_settings(settings, send))
    CSRFProtect(app)
    build_throttle(app, auth.blp, settings, selfservice.blp)
    app.extensions["netra.desk.documents"] = documents or DocumentArchive(
        make_s3(settings.s3_endpoint, settings.documents_access_key, settings.documents_secret_key,
                settings.s3_region), settings.evidence_retention_days, settings.evidence_retention_mode)
    for blueprint in (auth.blp, selfservice.blp, pages.blp, report_pages.blp, admin.blp, casefile_pages.blp,
                      step_pages.blp, transfer_pages.blp):
        app.register_blueprint(blueprint)
    disclosure_pages.register(app, settings, engine)
    smorest = Api(app)
    smorest.register_blueprint(api.blp)
    smorest.register_blueprint(report_api.blp)
    register_errors(app)
    gate_web_app(app, gate)
    register_web_health(app, {"database": lambda: database_answers(engine), "schema": gate.ready,
                          "store": lambda: store.bucket_exists(EVIDENCE_BUCKET)})
    # Every answer but the stylesheet may show case data. Forms keep their Referer, which the CSRF check
    # needs over https (WTF_CSRF_SSL_STRICT), and send it to the desk only.
    register_security_headers(app, cacheable=("/desk/static/",), referrer_policy="same-origin")
    register_request_log(app)
    return app


def configure(app: Flask, settings: DeskSettings) -> None:
    app.config.update(
        SECRET_KEY=settings.session_secret, SESSION_COOKIE_NAME="netra_desk",
        SESSION_COOKIE_SECURE=settings.secure_cookies, SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_PATH="/desk",
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=settings.idle_minutes),
        WTF_CSRF_TIME_LIMIT=None, WTF_CSRF_SSL_STRICT=settings.secure_cookies,
        API_TITLE="Netra Meja Unit", API_VERSION="v1", OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/desk/api/v1", OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={"info": {"description": "The units' case desk: cases, history, moves"}},
    )



def register_request_log(app: Flask) -> None:
    @app.before_request
    def start():
        structlog.contextvars.clear_contextvars()

    @app.after_request
    def summary(response):
        if request.path not in ("/healthz", "/readyz"):
            log.info("http.request", method=request.method, path=request.url_rule.rule if request.url_rule
                     else "unmatched", status=response.status_code)
        return response
