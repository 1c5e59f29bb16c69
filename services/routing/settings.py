"""routing's settings: its database, the units and rules files (the shipped ones by default) and the
operator's election calendar (none by default: no election is known and every case is outside one)."""
from __future__ import annotations

from pathlib import Path

from pydantic import field_validator

from services.common.settings import DatabaseSettings

DATA = Path(__file__).resolve().parent / "data"


class RoutingSettings(DatabaseSettings):
    SERVICE = "routing"

    units_file: Path = DATA / "units.yaml"
    rules_file: Path = DATA / "rules.yaml"
    # A copy of data/election_calendar.example.yaml with the real elections (NETRA_ELECTION_CALENDAR).
    election_calendar: Path | None = None

    @field_validator("units_file", "rules_file", "election_calendar")
    @classmethod
    def _readable(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"no such file: {value}")
        return value

    def production_problems(self) -> list[str]:
        problems = super().production_problems()
        if self.election_calendar is None:
            problems.append("NETRA_ELECTION_CALENDAR: without the election calendar no case is ever in an "
                            "election, so none goes to Bawaslu")
        return problems
