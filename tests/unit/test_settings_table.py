"""docs/settings.md is generated from the settings classes: it fails when a setting changed without it."""
import importlib.util

import pytest

from tests.conftest import ROOT

spec = importlib.util.spec_from_file_location("settings_table", ROOT / "scripts" / "settings_table.py")
table = importlib.util.module_from_spec(spec)
spec.loader.exec_module(table)


def test_the_settings_page_is_what_the_code_declares():
    documented = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert documented == table.render(), "run: python scripts/settings_table.py"


def test_every_variable_is_on_the_page_with_its_readers():
    page = table.render()
    for cls, readers in table.settings_classes().items():
        for name in cls.model_fields:
            lines = [line for line in page.splitlines() if line.startswith(f"| `NETRA_{name.upper()}` |")]
            assert any(all(reader.strip() in line for reader in readers.split(",")) for line in lines), name
    assert "| `NETRA_SESSION_SECRET` |" in page and "a development value" in page


def test_a_setting_without_a_description_is_refused(monkeypatch):
    field = table.settings_classes().__iter__().__next__().model_fields["max_files"]
    monkeypatch.setattr(field, "description", None)
    with pytest.raises(ValueError, match="max_files has no Field"):
        table.render()
