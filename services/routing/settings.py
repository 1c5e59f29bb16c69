"""routing's settings: its database, the units and rules files (the shipped ones by default) and the
operator's election calendar (none by default: no election is known and every case is outside one)."""
from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator

from services.common.settings import DatabaseSettings, HolidaySettings
from services.reference.files import DATA as REFERENCE_DATA, UNITS_FILE

DATA = Path(__file__).resolve().parent / "data"  # routing's own: the rules, the election calendar example


class RoutingSettings(DatabaseSettings, HolidaySettings):
    SERVICE = "routing"

    units_file: Path = Field(UNITS_FILE, description="The units directory (YAML); the shipped one by default")
    rules_file: Path = Field(DATA / "rules.yaml", description="The routing rules (YAML); the shipped ones by default")
    chains_file: Path = Field(REFERENCE_DATA / "chains.yaml", description=(
        "The chains of steps a case takes from body to body (YAML); the shipped ones by default"))
    group_window_days: int = Field(30, ge=0, le=3650, description=(
        "Reports of the same act (same post URL, screenshot, near-identical screenshot or NIP) to the same "
        "unit within this many days join one group; 0 turns grouping off"))
    group_phash_distance: int = Field(6, ge=0, le=32, description=(
        "Largest number of differing bits (of 64) between two screenshots' perceptual hashes that still "
        "counts as the same screenshot"))
    election_calendar: Path | None = Field(None, description=(
        "The operator's election calendar (a copy of data/election_calendar.example.yaml with the real "
        "elections); without it every case counts as outside an election"))

    @field_validator("units_file", "rules_file", "chains_file", "election_calendar")
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
