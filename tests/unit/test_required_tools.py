"""A unit test that needs a command-line tool skips, saying why, when the tool is missing; in CI it fails."""
import pytest

from tests.support.tools import require


def test_a_found_tool_is_used():
    assert require("promtool", "/usr/bin/promtool", "apt-get install prometheus") == "/usr/bin/promtool"


def test_a_missing_tool_skips_with_the_reason_on_a_developers_machine(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="promtool is missing: apt-get install prometheus"):
        require("promtool", None, "apt-get install prometheus")


def test_a_missing_tool_fails_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="promtool is missing: .*; CI requires it"):
        require("promtool", None, "apt-get install prometheus")
