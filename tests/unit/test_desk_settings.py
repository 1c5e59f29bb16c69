"""The desk's typed settings: loopback defaults, and production refusing what is unsafe."""
import pytest

from services.common.settings import SettingsError, load_settings
from services.desk.settings import DeskSettings


def test_defaults_work_on_a_laptop(monkeypatch):
    monkeypatch.delenv("NETRA_DESK_BIND", raising=False)
    settings = load_settings(DeskSettings)
    assert settings.desk_bind == "127.0.0.1:8090" and settings.desk_url == "http://127.0.0.1:8090"
    assert settings.secure_cookies is False  # loopback http still logs in


def test_https_means_secure_cookies_unless_told_otherwise():
    assert DeskSettings(desk_url="https://meja.netra.go.id").secure_cookies
    assert not DeskSettings(desk_url="https://meja.netra.go.id", cookie_secure=False).secure_cookies


def test_production_refuses_the_development_secret_and_insecure_cookies(monkeypatch):
    monkeypatch.setenv("NETRA_ENV", "production")
    monkeypatch.setenv("NETRA_DESK_URL", "http://meja.netra.go.id")
    with pytest.raises(SettingsError) as refused:
        load_settings(DeskSettings)
    problems = "\n".join(refused.value.problems)
    for name in ("NETRA_SESSION_SECRET", "NETRA_COOKIE_SECURE", "NETRA_DESK_URL"):
        assert name in problems


def test_wrong_values_are_named(monkeypatch):
    monkeypatch.setenv("NETRA_DESK_BIND", "nowhere")
    monkeypatch.setenv("NETRA_IDLE_MINUTES", "0")
    monkeypatch.setenv("NETRA_UNITS_FILE", "/no/such/units.yaml")
    with pytest.raises(SettingsError) as refused:
        load_settings(DeskSettings)
    assert {p.split(":")[0] for p in refused.value.problems} >= {"NETRA_DESK_BIND", "NETRA_IDLE_MINUTES",
                                                                 "NETRA_UNITS_FILE"}


def test_production_refuses_smtp_credentials_without_tls_and_a_localhost_sender(monkeypatch):
    monkeypatch.setenv("NETRA_ENV", "production")
    monkeypatch.setenv("NETRA_SMTP_USER", "meja")
    monkeypatch.setenv("NETRA_SMTP_PASSWORD", "rahasia")
    with pytest.raises(SettingsError) as refused:
        load_settings(DeskSettings)
    problems = "\n".join(refused.value.problems)
    assert "NETRA_SMTP_STARTTLS" in problems and "NETRA_MAIL_FROM" in problems and "rahasia" not in problems


def test_a_sender_without_an_address_and_a_bad_port_are_named(monkeypatch):
    monkeypatch.setenv("NETRA_MAIL_FROM", "Netra")
    monkeypatch.setenv("NETRA_SMTP_PORT", "70000")
    with pytest.raises(SettingsError) as refused:
        load_settings(DeskSettings)
    assert {p.split(":")[0] for p in refused.value.problems} >= {"NETRA_MAIL_FROM", "NETRA_SMTP_PORT"}
