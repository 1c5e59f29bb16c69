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

    @field_validator("units_file", "rules_file")
    @classmethod
    def _readable(cls, value: Path) -> Path:
        if not value.is_file():
            raise ValueError(f"no such file: {value}")
        return value
