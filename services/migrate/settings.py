"""The databases `python -m services.migrate` upgrades: one URL per service, each with a *_FILE variant."""
from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.common.settings import PREFIX, settings_sources


class MigrateSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=PREFIX, frozen=True, extra="ignore")
    SERVICE: ClassVar[str] = "migrate"

    env: Literal["development", "production"] = Field("development", description=(
        "development or production (production refuses an empty NETRA_DATABASE_SERVICE_ROLE)"))
    database_url: str = Field("", description="The one database `python -m services.migrate SERVICE` "
                                              "upgrades (before NETRA_<SERVICE>_DATABASE_URL)")
    intake_database_url: str = Field("", description="intake's database, upgraded by `python -m services.migrate`")
    routing_database_url: str = Field("", description="routing's database, upgraded by `python -m services.migrate`")
    notify_database_url: str = Field("", description="notify's database, upgraded by `python -m services.migrate`")
    desk_database_url: str = Field("", description="the desk's database, upgraded by `python -m services.migrate`")
    database_service_role: str = Field("", description=(
        "The PostgreSQL role the services sign in as (the URLs above name the role that owns the tables): "
        "after each upgrade it is granted reading and writing rows, only reading and adding to the "
        "append-only logs, and no change to any table. Empty: no grants (SQLite, or a single role)"))

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings,
                                   file_secret_settings):
        return settings_sources(settings_cls, init_settings, env_settings, dotenv_settings)

    def production_problems(self) -> list[str]:
        if self.database_service_role:
            return []
        return [f"{PREFIX}DATABASE_SERVICE_ROLE: empty, so the services would sign in as the tables' owner"]

    def url_of(self, service: str) -> str:
        """NETRA_DATABASE_URL, else NETRA_<SERVICE>_DATABASE_URL, else the service's own default (SQLite)."""
        return (self.database_url or getattr(self, f"{service}_database_url")
                or f"sqlite:///var/netra-{service}.db")

    def configured(self) -> dict[str, str]:
        """Every service whose NETRA_<SERVICE>_DATABASE_URL is set."""
        from services.common.migrations import SERVICES
        return {name: url for name in SERVICES if (url := getattr(self, f"{name}_database_url"))}
