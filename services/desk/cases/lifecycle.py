"""The case lifecycle read from data/lifecycle.yaml: which move is allowed to whom, and why not.

Due dates are not here: services/desk/cases/deadlines.py counts them in Indonesian working days.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

DATA = Path(__file__).parents[1] / "data" / "lifecycle.yaml"
SANCTIONED = "sanksi_dijatuhkan"
DECIDED_IN_STEP = ("Sanksi pada kasus ini dicatat oleh PPK dengan keputusannya pada langkah putusan "
                   "(formulir langkah), bukan melalui perubahan status.")


@dataclass(frozen=True)
class Move:
    """A status change asked for by an officer; `details` holds e.g. the decree of a sanction."""
    target: str
    actor: str
    role: str
    file_note: str = ""
    public_note: str | None = None
    details: dict = field(default_factory=dict)


@functools.cache
def lifecycle() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def statuses() -> dict:
    return lifecycle()["statuses"]


def label(status: str) -> str:
    return statuses().get(status, {}).get("label", status)


def sanction_kinds() -> dict:
    return lifecycle()["sanction_kinds"]


def choices(current: str, role: str, chain: dict | None = None) -> list[str]:
    """The moves the move form offers this role from this status (transfers have their own form; in a chain
    with a PPK's decision step, that step's form records the sanction)."""
    moves = statuses()[current]["moves"]
    return [t for t, roles in moves.items() if role in roles and statuses()[t].get("via") != "transfer"
            and not (t == SANCTIONED and decided_in_step(chain))]


def decided_in_step(chain: dict | None) -> bool:
    """Whether the case's chain has a step whose outcome is the PPK's decision (services/desk/chain/handoff.py)."""
    return any(step.get("outcome") == "keputusan" for step in (chain or {}).get("steps", []))


def refusals(current: str, move: Move, via: str | None = None, chain: dict | None = None) -> list[str]:
    """Why this move may not be made, in Bahasa Indonesia; an empty list means it may."""
    if move.target not in statuses():
        return [f"Status '{move.target}' tidak dikenal."]
    if move.target == SANCTIONED and decided_in_step(chain):
        return [DECIDED_IN_STEP]
    allowed = statuses()[current]["moves"]
    if move.target not in allowed:
        return [f"Dari status '{label(current)}' tidak dapat berpindah ke '{label(move.target)}'."]
    problems = []
    if move.role not in allowed[move.target]:
        who = " atau ".join(allowed[move.target])
        problems.append(f"Perpindahan ke '{label(move.target)}' hanya dapat dilakukan oleh {who}.")
    if statuses()[move.target].get("via") != via:
        problems.append(f"Status '{label(move.target)}' hanya dicapai melalui pengalihan yang disetujui.")
    if not move.file_note.strip():
        problems.append("Catatan untuk berkas wajib diisi.")
    return problems + detail_problems(move)


def detail_problems(move: Move) -> list[str]:
    needs = statuses()[move.target].get("needs", [])
    problems = [f"'{name}' wajib diisi untuk status '{label(move.target)}'."
                for name in needs if not str(move.details.get(name) or "").strip()]
    kind = move.details.get("sanction_kind")
    if "sanction_kind" in needs and kind and kind not in sanction_kinds():
        problems.append(f"Jenis sanksi '{kind}' tidak dikenal.")
    if "decree_date" in needs and move.details.get("decree_date"):
        try:
            date.fromisoformat(str(move.details["decree_date"]))
        except ValueError:
            problems.append("Tanggal keputusan harus berformat YYYY-MM-DD.")
    return problems

