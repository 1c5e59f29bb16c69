"""Which bodies may ask for a reporter's identity, and on which legal basis (data/disclosure.yaml).

The desk checks a request against it; intake and notify read only the basis's words that travel on the event.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from .files import DATA
from .law_wording import source

DISCLOSURE_FILE = DATA / "disclosure.yaml"


@cache
def _rules(path: Path = DISCLOSURE_FILE) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def bases_for(kind: str | None, path: Path = DISCLOSURE_FILE) -> list[str]:
    """The basis ids a unit of this kind may cite; empty: it may not ask at all."""
    return list(_rules(path)["bodies"].get(kind or "", []))


def citation(basis_id: str, path: Path = DISCLOSURE_FILE) -> dict:
    """{"id", "source", "article", "citation"}: 'UU 7/2017 Pasal 454 ayat (4) - ...'."""
    entry = _rules(path)["bases"][basis_id]
    return {"id": basis_id, "source": entry["source"], "article": entry["article"],
            "citation": f"{source(entry['source'])['short']} {entry['article']}"}
