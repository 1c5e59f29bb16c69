"""intake's settings: public keys only, and production refuses the development ones."""
import pytest

from services.common.sealing import new_key_pair
from services.common.settings import SettingsError, load_settings
from services.intake.settings import IntakeSettings

PRODUCTION = dict(env="production", amqp_url="amqp://netra:s3cret@broker:5672/", s3_access_key="intake",
                  s3_secret_key="a-long-secret", public_url="https://lapor.netra.example",
                  database_url="postgresql+psycopg://intake:pw@db/netra_intake")


def test_production_refuses_the_development_key_pairs_and_names_each_variable():
    with pytest.raises(SettingsError) as caught:
        load_settings(IntakeSettings, **PRODUCTION)
    problems = "\n".join(caught.value.problems)
    assert "NETRA_IDENTITY_PUBLIC_KEY" in problems and "NETRA_CONTACT_PUBLIC_KEY" in problems
    assert "NETRA_DISCLOSURE_PUBLIC_KEY" in problems


def test_production_starts_with_its_own_public_keys_and_holds_no_private_key():
    settings = load_settings(IntakeSettings, identity_public_key=new_key_pair()[0],
                             contact_public_key=new_key_pair()[0], disclosure_public_key=new_key_pair()[0],
                             **PRODUCTION)
    assert not [name for name in IntakeSettings.model_fields if "private" in name or name.endswith("_key")
                and not name.endswith("public_key") and not name.startswith("s3_")]
    assert settings.env == "production"


def test_production_refuses_to_run_without_rate_limits():
    with pytest.raises(SettingsError, match="RATE_LIMITS_ENABLED"):
        load_settings(IntakeSettings, identity_public_key=new_key_pair()[0], contact_public_key=new_key_pair()[0],
                      disclosure_public_key=new_key_pair()[0], rate_limits_enabled=False, **PRODUCTION)


@pytest.mark.parametrize("field,value", [("identity_public_key", "not-a-key"), ("rate_limit_per_client", "often"),
                                         ("max_url_length", "10")])
def test_a_wrong_value_is_named(field, value):
    with pytest.raises(SettingsError, match=f"NETRA_{field.upper()}"):
        load_settings(IntakeSettings, **{field: value})



def test_production_refuses_the_development_rate_limit_secret(monkeypatch):
    """Every process derives the day's key from it: a public one would let anyone name a client's counters."""
    monkeypatch.delenv("NETRA_RATE_LIMIT_SECRET")
    with pytest.raises(SettingsError, match="NETRA_RATE_LIMIT_SECRET: the development secret is public"):
        load_settings(IntakeSettings, identity_public_key=new_key_pair()[0], contact_public_key=new_key_pair()[0],
                      **PRODUCTION)


@pytest.mark.parametrize("field,value", [("trusted_proxies", "-1"), ("rate_limit_storage_url", "http://cache:6379"),
                                         ("rate_limit_secret", "short")])
def test_a_wrong_limit_setting_is_named_without_showing_a_secret(field, value):
    with pytest.raises(SettingsError, match=f"NETRA_{field.upper()}") as caught:
        load_settings(IntakeSettings, **{field: value})
    assert "short" not in str(caught.value)
