"""The citizen's pages in Bahasa Indonesia: the complaint form (it posts to the same API as every other
client) and the privacy notice. Their script is a static file, so the pages run under a CSP without inline code.
"""
from __future__ import annotations

import uuid
from functools import cache

from flask import Blueprint, current_app, render_template

from services.reference.regions import regions
from services.reference.vocabulary import entries, label, labels

form_blp = Blueprint("form", __name__, template_folder="templates")
EVIDENCE_TYPES = "image/png,image/jpeg,image/webp,image/gif,application/pdf"


@cache
def region_groups() -> tuple[dict, ...]:
    """Each province with its regencies and cities: one server-rendered <select>, usable without JavaScript."""
    return tuple({**province, "regencies": regions(province["code"])} for province in regions())


def page_facts() -> dict:
    """What both pages say about limits and retention, from the running settings."""
    config = current_app.config
    return {"max_files": current_app.extensions["netra.intake"].max_files,
            "max_body_bytes": config["MAX_CONTENT_LENGTH"],
            "max_body_mb": config["MAX_CONTENT_LENGTH"] // (1024 * 1024) or 1,
            "retention_days": config.get("NETRA_CONTACT_RETENTION_DAYS", 90)}


@form_blp.get("/")
def complaint_form():
    return render_template("form.html", categories=entries("categories"), platforms=labels("platforms"),
                           employer_levels=entries("employer_levels"), provinces=region_groups(),
                           anonymous_notice=label("notices", "anonymous_bawaslu"), evidence_types=EVIDENCE_TYPES,
                           idempotency_key=str(uuid.uuid4()),
                           **page_facts())


@form_blp.get("/privasi")
def privacy_notice():
    return render_template("privasi.html", anonymous_notice=label("notices", "anonymous_bawaslu"), **page_facts())
