"""intake's web app: `gunicorn 'services.intake.app:create_app()'`. The one place that wires intake's web side.

Tests pass their own parts: `create_app(settings, repository=FakeRepository(), store=FakeStore())` for the
HTTP edge without servers, or `create_app(settings)` for the real PostgreSQL and MinIO.
"""
from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from services.common.db import make_engine
from services.common.health import register_web_health
from services.common.logs import configure_logging
from services.common.schema_gate import SchemaGate, gate_web_app
from services.common.sealing import public_key
from services.common.settings import load_settings
from services.common.storage import s3_from_settings

from .complaints.api import complaints_blp, reference_blp, register_schemas
from .complaints.repository import ComplaintRepository
from .complaints.submit import Intake
from .complaints.uploads import OriginalsStore, UploadsInMemory
from .edge import register_edge
from .form import form_blp
from .limits import build_limiter
from .problems import register_problems
from .settings import IntakeSettings
from .teams.team_api import register_team_api
from .teams.team_store import TeamStore
from .tracking.tracking import Tracking, tracking_blp
from .tracking.tracking_store import TrackingRepository


def create_app(settings: IntakeSettings | None = None, *, engine=None, store=None, repository=None,
               teams=None, tracking=None) -> Flask:
    settings = settings or load_settings(IntakeSettings)
    configure_logging("intake", settings.log_level, settings.log_format)
    gate = None  # given a repository (tests' fakes), there is no database to check
    if repository is None:
        engine = engine or make_engine(settings.database_url)
        gate, repository = SchemaGate(engine, "intake"), ComplaintRepository(engine)
    store = store or OriginalsStore(s3_from_settings(settings), settings.evidence_retention_days,
                                    settings.evidence_retention_mode)
    app = Flask(__name__)
    app.request_class = UploadsInMemory
    app.config.update(
        MAX_CONTENT_LENGTH=settings.max_body_bytes, NETRA_CONTACT_RETENTION_DAYS=settings.contact_retention_days,
        NETRA_DATA_CONTROLLER=settings.data_controller, NETRA_DATA_CONTROLLER_CONTACT=settings.data_controller_contact,
        API_TITLE="Netra", API_VERSION="v1",
        OPENAPI_VERSION="3.0.3", OPENAPI_URL_PREFIX="/api/v1", OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={"info": {"description": "Complaints about civil-servant (ASN) political neutrality"}},
    )
    app.extensions["netra.intake"] = Intake(
        repository, store, public_key(settings.identity_public_key), public_key(settings.contact_public_key),
        settings.public_url, settings.max_files, settings.daily_evidence_quota_bytes,
        public_key(settings.disclosure_public_key))
    app.extensions["netra.tracking"] = Tracking(tracking or TrackingRepository(getattr(repository, "engine", None)),
                                                settings.public_url.startswith("https://"))
    register_edge(app, settings.public_url, settings.max_url_length)
    limiter = build_limiter(app, complaints_blp, settings)
    limiter.limit(settings.rate_limit_tracking, methods=["POST"], override_defaults=False)(tracking_blp)
    api = Api(app)
    register_schemas(api.spec)
    api.register_blueprint(complaints_blp)
    api.register_blueprint(reference_blp)
    app.register_blueprint(form_blp)
    register_team_api(app, api, limiter, settings, teams or TeamStore(getattr(repository, "engine", None)))
    app.register_blueprint(tracking_blp)
    register_problems(app)
    checks = {"database": repository.ready, "store": store.ready}
    if gate:
        gate_web_app(app, gate)
        checks["schema"] = gate.ready
    register_web_health(app, checks)
    return app

