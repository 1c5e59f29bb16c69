"""routing's settings: its database and the units and rules files (the shipped ones by default)."""
from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator

from services.common.settings import DatabaseSettings

DATA = Path(__file__).resolve().parent / "data"


class RoutingSettings(DatabaseSettings):
    SERVICE = "routing"

    units_file: Path = Field(DATA / "units.yaml", description="The units directory (YAML); the shipped one by default")
    rules_file: Path = Field(DATA / "rules.yaml", description="The routing rules (YAML); the shipped ones by default")
    group_window_days: int = Field(30, ge=0, le=3650, description=(
        "Reports of the same act (same post URL, screenshot, near-identical screenshot or NIP) to the same "
        "unit within this many days join one group; 0 turns grouping off"))
    group_phash_distance: int = Field(6, ge=0, le=32, description=(
        "Largest number of differing bits (of 64) between two screenshots' perceptual hashes that still "
        "counts as the same screenshot"))

    @field_validator("units_file", "rules_file")
    @classmethod
    def _readable(cls, value: Path) -> Path:
        if not value.is_file():
            raise ValueError(f"no such file: {value}")
        return value
