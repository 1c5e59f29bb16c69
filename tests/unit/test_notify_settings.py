import pytest

from services.common.sealing import new_key_pair
from services.common.settings import DEV_CONTACT_PRIVATE_KEY, SettingsError, load_settings
from services.notify.settings import NotifySettings

PRODUCTION = dict(env="production", amqp_url="amqps://netra:s3cret@mq.netra.go.id/", public_url="https://netra.go.id",
                  desk_url="https://desk.netra.go.id", smtp_user="", database_url="postgresql://n:n@db/notify")


def test_defaults_work_on_a_laptop():
    settings = load_settings(NotifySettings)
    assert settings.contact_keys == [DEV_CONTACT_PRIVATE_KEY] and settings.desk_url == "http://127.0.0.1:8090"


def test_several_keys_current_first():
    current, retired = new_key_pair()[1], new_key_pair()[1]
    settings = load_settings(NotifySettings, contact_private_keys=f" {current} , {retired},")
    assert settings.contact_keys == [current, retired]


def test_a_bad_key_is_named_without_being_shown():
    with pytest.raises(SettingsError) as raised:
        load_settings(NotifySettings, contact_private_keys="not-a-key-at-all")
    assert "CONTACT_PRIVATE_KEYS" in str(raised.value) and "not-a-key-at-all" not in str(raised.value)


@pytest.mark.parametrize("field, value", [("desk_url", "desk.netra.go.id")])
def test_bad_values_are_refused(field, value):
    with pytest.raises(SettingsError):
        load_settings(NotifySettings, **{field: value})


def test_production_refuses_the_development_private_key_and_plain_http():
    with pytest.raises(SettingsError) as raised:
        load_settings(NotifySettings, **{**PRODUCTION, "desk_url": "http://desk.netra.go.id"})
    assert "CONTACT_PRIVATE_KEYS" in str(raised.value) and "DESK_URL" in str(raised.value)
    settings = load_settings(NotifySettings, **PRODUCTION, contact_private_keys=new_key_pair()[1])
    assert settings.env == "production"
