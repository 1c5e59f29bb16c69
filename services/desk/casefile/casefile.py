"""The case file for a hearing (BAP): one PDF per case, rendered by WeasyPrint from templates/casefile.html.

It holds the case number, the parties (the reporter never: only whether they gave a name), the legal basis,
the whole history with times on the unit's own clock (WIB, WITA or WIT, named), every outcome recorded, and
the evidence list with both SHA-256s (the locked original, the sanitised copy) and the sanitised images.
Officers of the case's units may download it; each download is one audit line with the PDF's own SHA-256.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from hashlib import sha256
from pathlib import Path

from flask import render_template
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from services.reference.law_wording import legal_view
from services.reference.regions import region_name
from services.reference.zones import zone_of

from ..cases import deadlines, evidence, lifecycle
from ..cases.access import Staff
from ..cases.changes import NotFound
from ..chain import step_timeliness
from ..chain.steps import TASK_WORDS

STYLE = Path(__file__).parents[1] / "static" / "casefile.css"
# The moves that decide something about the case (the rest only move it along the desk's queue).
OUTCOMES = ("direkomendasikan", "diteruskan", "bukan_kewenangan", "tidak_terbukti", "sanksi_dijatuhkan")
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")


@dataclass(frozen=True)
class CaseFile:
    pdf: bytes
    filename: str
    pages: int

    @property
    def sha256(self) -> str:
        return sha256(self.pdf).hexdigest()


def may_print(staff: Staff, accesses: dict[str, str]) -> bool:
    """Officers of the units the case went to: the unit working it, those in copy, the one it left."""
    return staff.unit_id in accesses


def case_file_for(desk, case_id: str, staff: Staff, at: datetime) -> CaseFile:
    """The rendered file, audited; NotFound for an officer of no unit of the case."""
    case = desk.cases.get(case_id)
    accesses = desk.cases.accesses(case_id) if case else {}
    if case is None or not may_print(staff, accesses):
        raise NotFound(case_id)
    made = render(contents(desk, case, accesses, staff, at))
    desk.audit.record(staff.username, staff.unit_id, "case.file_exported", case_id,
                      f"pdf sha256={made.sha256}, {made.pages} halaman, {len(case['files'])} berkas bukti")
    return made


def contents(desk, case: dict, accesses: dict[str, str], staff: Staff, at: datetime) -> dict:
    zone = zone_of(desk.unit_regions.get(case["unit_id"]))
    history = [{**entry, "when": zone.shows(entry["at"]), "unit_name": desk.units.get(entry["unit_id"],
                                                                                      entry["unit_id"])}
               for entry in desk.cases.history(case["case_id"])]
    return {"case": case, "zone": zone, "printed_at": zone.shows(at), "printed_by": staff,
            "units": desk.units, "copies": sorted(unit for unit, kind in accesses.items() if kind == "copy"),
            "former": sorted(unit for unit, kind in accesses.items() if kind == "former"),
            "law": legal_view(case.get("law") or {}), "history": history,
            "outcomes": [entry for entry in history if entry["status"] in OUTCOMES],
            "transfers": [{**t, "when": zone.shows(t["requested_at"])} for t in desk.cases.transfers(case["case_id"])],
            "questions": [{**q, "when": zone.shows(q["asked_at"]),
                           "answers": [{**a, "when": zone.shows(a["answered_at"])} for a in q["answers"]]}
                          for q in desk.cases.questions(case["case_id"])],
            "files": [with_image(desk.store, entry) for entry in case["files"]], "steps": steps_of(desk, case, at),
            "label": lifecycle.label, "sanction_kinds": lifecycle.sanction_kinds(), "region_name": region_name}


def steps_of(desk, case: dict, at: datetime) -> list[dict]:
    """Each step of the case's chain in order: its body, opened and ended on that body's own clock, the outcome
    it handed on and whether it kept its deadline."""
    today = deadlines.office_day(at)
    return [_step_entry(desk, step, today) for step in (case.get("chain") or {}).get("steps", [])]


def _step_entry(desk, step: dict, today) -> dict:
    unit_id, name = step_timeliness.owner(step)
    zone = zone_of(desk.unit_regions.get(unit_id))
    kept = step_timeliness.kept(step, today)
    return {"number": step["number"], "name": name, "task": TASK_WORDS.get(step.get("task"), step.get("task")),
            "opened": _shown(zone, step.get("opened_at")), "ended": _shown(zone, step.get("completed_at")),
            "due": deadlines.as_day(step.get("due")), "outcome": step_timeliness.outcome_lines(step.get("result")),
            "kept": kept, "kept_words": step_timeliness.WORDS[kept], "block": step.get("siasn_block")}


def _shown(zone, moment: str | None) -> str | None:
    return zone.shows(datetime.fromisoformat(moment)) if moment else None


def with_image(store, entry: dict) -> dict:
    """The evidence entry, with its sanitised image inlined (a data: URI: the renderer fetches nothing)."""
    if not entry.get("sanitised") or entry.get("media_type") not in IMAGE_TYPES:
        return {**entry, "image": None}
    data = b"".join(evidence.stream(store, entry["key"]))
    return {**entry, "image": f"data:{entry['media_type']};base64,{base64.b64encode(data).decode()}"}


def render(context: dict) -> CaseFile:
    html = render_template("casefile.html", **context)
    # Only data: URIs load: a link a reporter typed can never make the renderer reach out.
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).render(
        stylesheets=[CSS(filename=str(STYLE))])
    case = context["case"]
    return CaseFile(document.write_pdf(), f"berkas-{case.get('case_number') or case['tracking_code']}.pdf",
                    len(document.pages))
