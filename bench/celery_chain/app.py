"""The chain's web side: `gunicorn -c bench/celery_chain/gunicorn.conf.py 'bench.celery_chain.app:create_app()'`.
Accepts the same multipart complaint as Netra (a `complaint` JSON part and `evidence` files)."""
from __future__ import annotations

import json
import secrets
import uuid

from flask import Flask, jsonify, request

from . import same_work, steps
from .config import config, engine, s3
from .tasks import start_chain

MAX_FILES = 10
REQUIRED = (("subject", "region_code"), ("subject", "name"), ("violation", "description"))


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 25 * 1024 * 1024

    @app.post("/complaints")
    def submit():
        """Stage the upload and the row, start the chain, answer 202 with the tracking code."""
        document, problem = read_complaint(request)
        if problem:
            return jsonify(error=problem), 400
        complaint_id, tracking_code = str(uuid.uuid4()), "CH-" + secrets.token_hex(5).upper()
        uploads = [(f.mimetype or "application/octet-stream", f.read()) for f in request.files.getlist("evidence")]
        folder = f"{config().key_prefix}/{complaint_id}" if config().key_prefix else complaint_id
        receive = same_work.receive if config().work == "same" else steps.stage
        receive(s3(), engine(), complaint_id, tracking_code, document, uploads, folder)
        start_chain(complaint_id)
        return jsonify(tracking_code=tracking_code), 202

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app


def read_complaint(req) -> tuple[dict | None, str | None]:
    """The parts the chain uses, checked before anything is stored, so a bad complaint is a 400."""
    try:
        document = json.loads(req.form.get("complaint", ""))
    except ValueError:
        return None, "the complaint part is not JSON"
    if not isinstance(document, dict):
        return None, "the complaint part must be a JSON object"
    for part, name in REQUIRED:
        if not isinstance(document.get(part), dict) or not isinstance(document[part].get(name), str):
            return None, f"{part}.{name} is required"
    if len(req.files.getlist("evidence")) > MAX_FILES:
        return None, f"at most {MAX_FILES} evidence files"
    return document, None
