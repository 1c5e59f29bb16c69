"""Configuration from the environment, read once at start-up into a frozen, typed object.

Every variable is `NETRA_<FIELD>`; a secret may instead be read from a file named by `NETRA_<FIELD>_FILE`
(Docker and Kubernetes secrets). Each service declares its own settings class on top of the pieces here
(`CommonSettings`, `StoreSettings`, `DatabaseSettings`); `load_settings` reports every wrong value at once,
with its variable name, and the service exits non-zero. With `NETRA_ENV=production` a service also
refuses development defaults: public keys, the `guest` broker user, the MinIO root or development keys.
"""
from __future__ import annotations

import os
import sys
from email.utils import parseaddr
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, NoReturn, TypeVar
from urllib.parse import urlparse

from pydantic import Field, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict

from . import workdays
from .brokers import broker_urls

PREFIX = "NETRA_"
ROOT = Path(__file__).resolve().parents[2]
SETTINGS_DIR = "NETRA_SETTINGS_DIR"
DEV_S3_KEYS = {("netra-app", "netra-app-secret"), ("netra-reader", "netra-reader-secret"),
               ("netra-intake", "netra-intake-secret"), ("netra-documents", "netra-documents-secret"),
               ("netra-dev", "netra-dev-secret"), ("minioadmin", "minioadmin")}
T = TypeVar("T", bound="CommonSettings")
DEV_RATE_LIMIT_SECRET = "netra-development-rate-limit-secret-not-for-production"
LIMIT_STORAGE_SCHEMES = ("redis", "rediss", "redis+sentinel", "redis+cluster", "memory", "netra-memory")


class SettingsError(SystemExit):
    """Raised at start-up with every problem found; as a SystemExit it ends the process with status 2.

    Python prints nothing for a SystemExit whose code is a number, so `load_settings` writes the problems
    to stderr itself before raising this.
    """

    def __init__(self, service: str, problems: list[str]):
        self.problems = problems
        lines = "\n".join(f"  {problem}" for problem in problems)
        super().__init__(f"{service}: invalid configuration\n{lines}")
        self.code = 2


class SecretFiles(PydanticBaseSettingsSource):
    """NETRA_<FIELD>_FILE: the value is the content of that file (trailing newline dropped)."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        path = os.environ.get(f"{PREFIX}{field_name.upper()}_FILE")
        if not path:
            return None, field_name, False
        try:
            return Path(path).read_text(encoding="utf-8").rstrip("\r\n"), field_name, False
        except OSError as exc:
            raise ValueError(f"{PREFIX}{field_name.upper()}_FILE: cannot read {path}: {exc.strerror}") from None

    def __call__(self) -> dict[str, Any]:
        found = {}
        for name, field in self.settings_cls.model_fields.items():
            value, key, _ = self.get_field_value(field, name)
            if value is not None:
                found[key] = value
        return found


def settings_files(service: str) -> tuple[Path, ...]:
    """The files of settings the local run wrote for every process (netra.env) and for this one
    (netra-<service>.env), in NETRA_SETTINGS_DIR; when that is unset, var/ of this checkout, if this is a
    checkout (an image has no .git, so no file); when it is empty, none."""
    folder = os.environ.get(SETTINGS_DIR)
    if folder == "" or (folder is None and not (ROOT / ".git").exists()):
        return ()
    folder = Path(folder) if folder else ROOT / "var"
    return folder / "netra.env", folder / f"netra-{service}.env"


def settings_sources(settings_cls, init_settings, env_settings, dotenv_settings):
    """The environment, NETRA_<FIELD>_FILE secrets, then the files an operator's command was given
    (load_operator_settings); a service is given none, so it reads its environment only."""
    return init_settings, env_settings, SecretFiles(settings_cls), dotenv_settings


def _log_format_default() -> str:
    return "console" if sys.stderr.isatty() else "json"


def _comma_ints(value):
    if isinstance(value, str):
        return tuple(int(part) for part in value.split(",") if part.strip())
    return value


class CommonSettings(BaseSettings):
    """What every process needs: the broker, retries, the health port, logging."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, frozen=True, extra="ignore")
    SERVICE: ClassVar[str] = "netra"

    env: Literal["development", "production"] = Field("development",
                                                      description="development or production; production refuses "
                                                                  "development defaults (public keys, guest broker "
                                                                  "user, development secrets)")
    amqp_url: str = Field("amqp://guest:guest@127.0.0.1:5672/",
                          description="RabbitMQ address, amqp(s)://user:password@host:port/vhost; a cluster's "
                                      "nodes separated by commas (connections fail over in that order)")
    retry_delays_ms: Annotated[tuple[Annotated[int, Field(gt=0)], ...], NoDecode] = Field(
        (1000, 5000, 30000, 120000), description="Waits before each retry of a failed message, milliseconds "
                                                 "separated by commas")
    max_attempts: int = Field(5, ge=1, le=100, description="Deliveries of one message before it is parked")
    prefetch: int = Field(10, ge=1, le=10000, description="Unacknowledged messages a consumer holds at once")
    health_bind: str = Field("127.0.0.1:0",
                             description="host:port of a worker's /healthz and /readyz (port 0: any free port)")
    log_level: Literal["debug", "info", "warning", "error", "critical"] = Field(
        "info", description="Lowest level logged: debug, info, warning, error or critical")
    log_format: Literal["json", "console"] = Field(default_factory=_log_format_default,
                                                   description="json (one object a line) or console; json unless "
                                                               "stderr is a terminal")

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings,
                                   file_secret_settings):
        return settings_sources(settings_cls, init_settings, env_settings, dotenv_settings)

    @property
    def service(self) -> str:
        return self.SERVICE

    @field_validator("retry_delays_ms", mode="before")
    @classmethod
    def _split(cls, value):
        try:
            return _comma_ints(value)
        except ValueError:
            raise ValueError("expected milliseconds separated by commas, e.g. 1000,5000,30000") from None

    @field_validator("log_level", "env", "log_format", mode="before")
    @classmethod
    def _lower(cls, value):
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("amqp_url")
    @classmethod
    def _amqp(cls, value: str) -> str:
        broker_urls(value)  # one URL, or the nodes of a cluster separated by commas
        return value

    @field_validator("health_bind")
    @classmethod
    def _bind(cls, value: str) -> str:
        return check_bind(value)

    def production_problems(self) -> list[str]:
        """Development defaults a production deployment must not run with (NETRA_ENV=production)."""
        users = {urlparse(url).username for url in broker_urls(self.amqp_url)}
        return [f"{PREFIX}AMQP_URL: the broker's guest user is for development only"] \
            if users & {None, "guest"} else []


def check_bind(value: str) -> str:
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError("expected host:port, e.g. 127.0.0.1:8081")
    return value


class StoreSettings(CommonSettings):
    """The object store (MinIO or any S3-compatible server)."""

    s3_endpoint: str = Field("http://127.0.0.1:9000", description="The object store (MinIO or S3), http(s)://host:port")
    # The application's own MinIO user (services.provision creates it), never the root user.
    s3_access_key: str = Field("netra-app",
                               description="The service's own object-store user (services.provision creates it), "
                                           "never the root user")
    s3_secret_key: str = Field("netra-app-secret", description="The secret of NETRA_S3_ACCESS_KEY")
    s3_region: str = Field("us-east-1", description="Region the object store expects in signatures")

    @field_validator("s3_endpoint")
    @classmethod
    def _endpoint(cls, value: str) -> str:
        url = urlparse(value)
        if url.scheme not in ("http", "https") or not url.netloc:
            raise ValueError("expected http(s)://host:port")
        return value

    def production_problems(self) -> list[str]:
        problems = super().production_problems()
        if (self.s3_access_key, self.s3_secret_key) in DEV_S3_KEYS:
            problems.append(f"{PREFIX}S3_ACCESS_KEY/{PREFIX}S3_SECRET_KEY: development or MinIO root keys")
        return problems


class RetentionSettings(CommonSettings):
    """How long evidence stays locked: intake writes the originals, evidence the copies and manifests."""

    evidence_retention_days: int = Field(1825, ge=1, le=36500,
                                         description="Days archived evidence stays locked (object lock)")
    evidence_retention_mode: Literal["COMPLIANCE", "GOVERNANCE"] = Field("COMPLIANCE",
                                                                         description="Object-lock mode: COMPLIANCE "
                                                                                     "(nobody can shorten it) or "
                                                                                     "GOVERNANCE")

    @field_validator("evidence_retention_mode", mode="before")
    @classmethod
    def _upper(cls, value):
        return value.strip().upper() if isinstance(value, str) else value


class ClientLimitSettings(CommonSettings):
    """A web service's abuse limits: the proxies in front of it, the store every process counts in, the key."""

    trusted_proxies: int = Field(0, ge=0, le=10, description=(
        "Reverse proxies in front of the web server that each append the address they saw to X-Forwarded-For; "
        "the client is the address the outermost of them saw (0: the connection's own address, every "
        "X-Forwarded-For ignored)"))
    rate_limit_storage_url: str = Field("redis://127.0.0.1:6379/0", description=(
        "The store every process and replica counts abuse limits in: redis://host:port/db (rediss:// for TLS); "
        "memory:// counts in each process alone"))
    rate_limit_secret: str = Field(DEV_RATE_LIMIT_SECRET, min_length=32, description=(
        "Key the day's key for hashing client addresses into counter names is derived from; the same in every "
        "intake and desk process (at least 32 characters)"))

    @field_validator("rate_limit_storage_url")
    @classmethod
    def _storage(cls, value: str) -> str:
        if urlparse(value).scheme not in LIMIT_STORAGE_SCHEMES:
            raise ValueError(f"expected one of {', '.join(s + '://' for s in LIMIT_STORAGE_SCHEMES)}")
        return value

    def production_problems(self) -> list[str]:
        problems = super().production_problems()
        if self.rate_limit_secret == DEV_RATE_LIMIT_SECRET:
            problems.append(f"{PREFIX}RATE_LIMIT_SECRET: the development secret is public")
        return problems


class MailSettings(CommonSettings):
    """The SMTP relay a service sends through, and its sender address."""

    smtp_host: str = Field("127.0.0.1", description="SMTP relay host")
    smtp_port: int = Field(1025, ge=1, le=65535, description="SMTP relay port")
    smtp_user: str = Field("", description="SMTP login; empty: no login")
    smtp_password: str = Field("", description="SMTP password of NETRA_SMTP_USER")
    smtp_starttls: bool = Field(False,
                                description="Upgrade the SMTP connection with STARTTLS (required in production when "
                                            "logging in)")
    mail_from: str = Field("Netra <netra@localhost>", description="Sender address of the mails")

    @field_validator("mail_from")
    @classmethod
    def _address(cls, value: str) -> str:
        if "@" not in parseaddr(value)[1]:
            raise ValueError("expected an address such as Netra <netra@example.go.id>")
        return value

    def production_problems(self) -> list[str]:
        problems = super().production_problems()
        if self.smtp_user and not self.smtp_starttls:
            problems.append(f"{PREFIX}SMTP_STARTTLS: SMTP credentials would travel without TLS")
        return problems


class DatabaseSettings(CommonSettings):
    """The service's own database; a SQLite file per service when nothing is set."""

    database_url: str = Field("", validate_default=True,
                              description="The service's own database (SQLAlchemy URL, postgresql+psycopg://...); a "
                                          "SQLite file under var/ when empty. Migrate it with `python -m "
                                          "services.migrate SERVICE`")

    @field_validator("database_url")
    @classmethod
    def _default_database(cls, value: str) -> str:
        return value or f"sqlite:///var/netra-{cls.SERVICE}.db"


class HolidaySettings(CommonSettings):
    """Where deadlines are counted: the operator's days off for the years the holiday data does not cover."""

    estimated_holidays_file: Path | None = Field(None, description=(
        "YAML of days off (2028-01-01: Tahun Baru Masehi) for the years lokal-id has no SKB 3 Menteri for "
        "yet; their deadlines are estimates (perkiraan): weekends and these days only"))

    @field_validator("estimated_holidays_file")
    @classmethod
    def _holiday_file(cls, value: Path | None) -> Path | None:
        if value is not None:
            try:
                workdays.load_holiday_file(value)
            except OSError as exc:
                raise ValueError(f"cannot read {value}: {exc.strerror}") from None
        return value

    def use_estimated_holidays(self) -> None:
        """Count the years without a decree with the operator's days off (call once, at wiring)."""
        path = self.estimated_holidays_file
        workdays.estimate_with(workdays.load_holiday_file(path) if path else {})


def load_settings(cls: type[T], **overrides) -> T:
    """The settings of one service; or every wrong variable written to stderr and SettingsError raised."""
    try:
        settings = cls(**overrides)
    except ValidationError as exc:
        refuse(cls.SERVICE, [_describe(error) for error in exc.errors()])
    except ValueError as exc:  # a *_FILE that cannot be read
        refuse(cls.SERVICE, [str(exc)])
    if settings.env == "production" and (problems := settings.production_problems()):
        refuse(cls.SERVICE, problems)
    return settings


def load_operator_settings(cls: type[T], **overrides) -> T:
    """An operator's command typed in a shell of a checkout: its environment first, then the settings files
    the local run wrote (settings_files), so it works on the services that run wants. Services never read
    those files: load_settings."""
    return load_settings(cls, _env_file=settings_files(cls.SERVICE), **overrides)


def refuse(service: str, problems: list[str]) -> NoReturn:
    """Every entry point (worker, CLI, gunicorn's master) stops with the operator told why, on stderr."""
    error = SettingsError(service, problems)
    print(error, file=sys.stderr, flush=True)
    raise error from None


def _describe(error: dict) -> str:
    field = str(error["loc"][0]) if error.get("loc") else "?"
    given = error.get("input")
    hidden = field.endswith(("key", "password", "url", "secret")) or isinstance(given, dict)
    shown = "" if hidden else f" (got {given!r})"
    return f"{PREFIX}{field.upper()}: {error['msg']}{shown}"


# Development-only key pairs (services.common.sealing): a laptop run starts with no set-up; production
# refuses them. The private halves are public here, so nothing sealed to these keys is secret.
DEV_IDENTITY_PUBLIC_KEY = "3SCQjz1tfOD2FmeJh+Z+hswB/k++/csjIDQw5Et4szM="
DEV_IDENTITY_PRIVATE_KEY = "/qkvb3sQ7r5/nziib9qrxdpUJFmyrppOEe25I9GXlNw="
DEV_CONTACT_PUBLIC_KEY = "KJysCPInf5Kh7owMYHKUPjmAJh80eBL4vOKCaTwGEXM="
DEV_CONTACT_PRIVATE_KEY = "Nr69d18+ak4bxW/0vL8DyrwQKhwkFNUmkLojSXkVTqQ="
DEV_DISCLOSURE_PUBLIC_KEY = "2C4hdJdZGQBylKdzF4RfJm+/U0R+kYwnfm+E4P6zzgw="
DEV_DISCLOSURE_PRIVATE_KEY = "uGLJG07MCq1LY4uq+xczkfwTLRuD+nLWVY3Q3vjOzYM="


def limits_or_error(value: str) -> str:
    from limits import parse_many
    try:
        parse_many(value)
    except ValueError:
        raise ValueError("expected limits such as 10/minute;100/day") from None
    return value


def public_url_or_default(value: str) -> str:
    """Where citizens reach intake; by default the address intake listens on."""
    url = (value or f"http://{os.environ.get(PREFIX + 'INTAKE_BIND', '127.0.0.1:8080')}").rstrip("/")
    if urlparse(url).scheme not in ("http", "https"):
        raise ValueError("expected an http(s):// address")
    return url


def plain_http(name: str, url: str) -> list[str]:
    return [f"{PREFIX}{name}: {url} is plain http; production needs https"] \
        if urlparse(url).scheme != "https" else []
