"""Today's law as data, read for routing: the legal basis of a category in a context, the Kanreg for a region,
the statutory clocks and their due dates, and the operator's election calendar.

Nothing here decides a route; the rules (wired by the integrator) ask these questions. Files are read and
checked once; a calendar that cannot be used raises RoutingDataError naming every problem.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml

from services.reference.files import DATA
from services.reference.regions import is_region, province_of
from services.routing.directory import RoutingDataError

PEMILU, PILKADA, OUTSIDE = "pemilu", "pilkada", "di_luar_pemilihan"
EVERYWHERE = "*"


def read_yaml(path: Path):
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RoutingDataError(Path(path), [f"cannot read: {exc}"]) from None


def add_working_days(start: date, days: int, holidays=frozenset()) -> date:
    """The date `days` working days after `start` (Monday to Friday, not a holiday)."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            days -= 1
    return current


@dataclass(frozen=True)
class Election:
    id: str
    kind: str
    regions: tuple[str, ...]
    start: date
    end: date
    stages: tuple[tuple[str, date, date], ...]
    candidate_heads: tuple[dict, ...]

    def covers(self, region_code: str | None, day: date) -> bool:
        if not self.start <= day <= self.end:
            return False
        return EVERYWHERE in self.regions or (region_code is not None and bool(
            {region_code, province_of(region_code)} & set(self.regions)))

    def stage_on(self, day: date) -> str | None:
        return next((name for name, start, end in self.stages if start <= day <= end), None)


def parse_election(entry: dict, number: int, problems: list[str]) -> Election | None:
    where = f"election #{number} ({entry.get('id', '?')})" if isinstance(entry, dict) else f"election #{number}"
    try:
        stages = tuple((s["stage"], date.fromisoformat(s["from"]), date.fromisoformat(s["until"]))
                       for s in entry.get("stages") or [])
        election = Election(entry["id"], entry["kind"], tuple(entry["regions"]), date.fromisoformat(entry["from"]),
                            date.fromisoformat(entry["until"]), stages, tuple(entry.get("candidate_heads") or []))
    except (KeyError, TypeError, ValueError) as exc:
        problems.append(f"{where}: expected id, kind, regions, from, until (ISO dates) and stages: {exc}")
        return None
    found = [] if election.kind in (PEMILU, PILKADA) else [f"kind {election.kind!r} is not pemilu or pilkada"]
    found += [f"region {code!r} is not a region code nor '*'" for code in election.regions
              if code != EVERYWHERE and not is_region(code)]
    found += [] if election.start <= election.end else ["from is after until"]
    found += [f"stage {name} lies outside from..until or ends before it starts" for name, start, end in stages
              if not election.start <= start <= end <= election.end]
    found += [f"candidate head {head.get('region_code')!r} is not one of the election's regions"
              for head in election.candidate_heads if head.get("region_code") not in election.regions]
    problems += [f"{where}: {problem}" for problem in found]
    return None if found else election


@dataclass(frozen=True)
class ElectionCalendar:
    elections: tuple[Election, ...]
    holidays: frozenset[date]

    @classmethod
    def load(cls, path: Path) -> "ElectionCalendar":
        document, problems = read_yaml(path) or {}, []
        entries = document.get("elections") if isinstance(document, dict) else None
        if not isinstance(entries, list):
            raise RoutingDataError(Path(path), ["expected a top-level key 'elections' holding a list"])
        elections = [parse_election(entry, n, problems) for n, entry in enumerate(entries, start=1)]
        ids = [e.id for e in elections if e]
        problems += [f"election id {i!r} appears more than once" for i in sorted(set(ids)) if ids.count(i) > 1]
        try:
            holidays = frozenset(date.fromisoformat(day) for day in document.get("holidays") or [])
        except (TypeError, ValueError) as exc:
            problems.append(f"holidays: expected ISO dates: {exc}")
            holidays = frozenset()
        if problems:
            raise RoutingDataError(Path(path), problems)
        return cls(tuple(elections), holidays)

    def contexts(self, region_code: str | None, day: date) -> list[str]:
        """pemilu and/or pilkada when an election covers the region that day; otherwise di_luar_pemilihan."""
        kinds = {e.kind for e in self.elections if e.covers(region_code, day)}
        return [kind for kind in (PEMILU, PILKADA) if kind in kinds] or [OUTSIDE]

    def candidate_head(self, ppk_region: str, day: date) -> dict | None:
        """The head of `ppk_region` when he or she is a candidate in an election running that day."""
        return next((head for e in self.elections if e.start <= day <= e.end
                     for head in e.candidate_heads if head["region_code"] == ppk_region), None)


class Law:
    """legal_basis.yaml, deadlines.yaml and bkn_offices.yaml, as routing asks them."""

    def __init__(self, data: Path = DATA):
        self.basis_data = read_yaml(data / "legal_basis.yaml")
        self.deadline_data = read_yaml(data / "deadlines.yaml")
        offices = read_yaml(data / "bkn_offices.yaml")["offices"]
        self._kanreg = {code: office["unit_id"] for office in offices for code in office["provinces"]}

    def basis(self, category: str, context: str) -> dict:
        """Breach kinds and bases; an unknown category reads as `lainnya`, so a new code never hides a case."""
        categories = self.basis_data["categories"]
        return categories.get(category, categories["lainnya"])[context]

    def source(self, source_id: str) -> dict:
        return self.basis_data["sources"][source_id]

    def kanreg_for(self, region_code: str | None) -> str | None:
        """The unit id of the BKN regional office that covers the region's province, or None."""
        return self._kanreg.get(province_of(region_code)) if region_code else None

    def clocks(self, context: str) -> list[dict]:
        return [c for c in self.deadline_data["clocks"] if c["context"] in (context, "any")]

    def clock(self, clock_id: str) -> dict | None:
        return next((c for c in self.deadline_data["clocks"] if c["id"] == clock_id), None)

    def clock_ids(self) -> set[str]:
        return {c["id"] for c in self.deadline_data["clocks"]}

    def due(self, clock: dict, start: date, holidays=frozenset()) -> date:
        if clock["day_kind"] == "working":
            return add_working_days(start, clock["days"], holidays)
        return start + timedelta(days=clock["days"])
