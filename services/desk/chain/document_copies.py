"""document.archived: the evidence service made the sanitised copy of a document a step filed (the PPK's decree,
the BAP) and listed it in the complaint's manifest. The case records the copy beside the original's hash, and
the case page opens the copy from then on (step_pages.open_document); a document the evidence service refused
keeps its reason, and no copy opens.

Written on the case with its row locked (`cases.act`), like an officer's move, so a step opening at the same
moment cannot overwrite it. A redelivered event finds the copy recorded and changes nothing.
"""
from __future__ import annotations

import copy

from services.common.envelope import Permanent, read_payload

from ..cases.arrivals import SYSTEM
from ..cases.case import Case
from ..cases.changes import Change, NotFound, audit_line
from ..events import DocumentArchivedSchema
from ..ports import CaseWork
from .handoff import DOCUMENT_FIELDS


def document_archived(event: dict, cases: CaseWork) -> None:
    archived = read_payload(DocumentArchivedSchema, event)
    try:
        cases.act(archived["case_id"], lambda case: copy_recorded(case, archived))
    except NotFound:
        raise Permanent(f"case {archived['case_id']} is not at the desk") from None


def copy_recorded(case: Case, archived: dict) -> Change:
    chain = copy.deepcopy(case.row.get("chain") or {"steps": []})
    filed = _filed(chain, archived["step"], archived["sha256"])
    if not filed:
        raise Permanent(f"step {archived['step']} of case {case.case_id} filed no such document")
    if all(document.get("sanitised") or document.get("refused") for document in filed):
        return Change(case.case_id)  # recorded by an earlier delivery
    for document in filed:  # one file is one copy, whichever field of the outcome named it
        if archived["sanitised"]:
            document["sanitised"] = {name: archived["sanitised"][name] for name in ("key", "sha256", "size")}
        else:
            document["refused"] = archived["reason"] or "damaged"
    return Change(case.case_id, case_updates={"chain": chain}, audit=[audit_line(
        SYSTEM, case.row["unit_id"], "document.sanitised", case.case_id, archived["sha256"])])


def _filed(chain: dict, number: int, sha256: str) -> list[dict]:
    steps = chain.get("steps", [])
    result = (steps[number - 1].get("result") or {}) if 0 < number <= len(steps) else {}
    return [result[name] for name in DOCUMENT_FIELDS if (result.get(name) or {}).get("sha256") == sha256]
