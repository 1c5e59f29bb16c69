"""The words of the law data at the edges (the unit mail, the desk): case.routed carries codes and source
ids; this module reads the regulation titles and clock bases from the law data (files.py) and the labels from
the vocabulary, and puts them together the way a unit reads them."""
from __future__ import annotations

from functools import cache

import yaml

from . import vocabulary
from .files import DATA as LAW_DATA


@cache
def _document(name: str) -> dict:
    return yaml.safe_load((LAW_DATA / name).read_text(encoding="utf-8"))


def source(source_id: str) -> dict:
    """A regulation's title, short citation, url and whether it was verified; an unknown id reads as itself."""
    found = _document("legal_basis.yaml")["sources"].get(source_id) or {}
    return {"id": source_id, "regulation": found.get("regulation", source_id), "short": found.get("short", source_id),
            "url": found.get("url"), "verified": bool(found.get("verified"))}


def basis(entry: dict) -> dict:
    """One {source, article, kind} of case.routed in words: 'PP 94/2021 Pasal 5 huruf n', its title, its kind."""
    cited = source(entry["source"])
    return {"citation": f"{cited['short']} {entry['article']}", "regulation": cited["regulation"],
            "kind": vocabulary.label("breach_kinds", entry.get("kind")), "url": cited["url"],
            "verified": cited["verified"] and entry.get("article") != "unverified"}


def deadline(entry: dict) -> dict:
    """One deadline of case.routed in words: what must happen, by when, on which basis."""
    clock = next((c for c in _document("deadlines.yaml")["clocks"] if c["id"] == entry["clock"]), None)
    cited = f"{source(clock['basis']['source'])['short']} {clock['basis']['article']}" if clock else "-"
    unit = "hari kerja" if entry.get("day_kind") == "working" else "hari"
    return {"label": vocabulary.label("deadline_clocks", entry["clock"]), "due": entry["due"],
            "start": entry.get("start"), "basis": cited, "days": f"{entry.get('days')} {unit}",
            "estimate": bool(entry.get("estimate"))}


def legal_view(payload: dict) -> dict:
    """What a unit reads about a routed case's law: contexts, breach kinds, bases, deadlines, conflict."""
    head = payload.get("conflict_of_interest")
    return {
        "contexts": [vocabulary.label("election_contexts", c) for c in payload.get("contexts") or []],
        "breach_kinds": [vocabulary.label("breach_kinds", k) for k in payload.get("breach_kinds") or []],
        "bases": [basis(b) for b in payload.get("legal_basis") or []],
        "deadlines": [deadline(d) for d in payload.get("deadlines") or []],
        "conflict_of_interest": head,
        "reporter_named": payload.get("reporter_named"),
    }
