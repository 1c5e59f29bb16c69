"""Every action the desk writes to its audit log has Indonesian words on the audit page."""
import ast
import re
from pathlib import Path

import services.desk
from services.desk.reports import audit_words

DESK = Path(services.desk.__file__).resolve().parent
CODE = re.compile(r"login|[a-z_]+(\.[a-z_-]+)+")
# services/desk/cli.py records f"account.{command}" for these commands.
CLI_ACTIONS = {"account.disable", "account.enable", "account.reset-otp"}


def recorded_actions() -> set[str]:
    """The codes passed as the action of audit.record(actor, unit, action, ...) or audit_line(...) anywhere in
    the desk, including each branch of a conditional."""
    found = set()
    for source in DESK.rglob("*.py"):
        for call in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(call, ast.Call) and _name(call.func) in ("record", "audit_line") and len(call.args) > 2:
                found |= {node.value for node in ast.walk(call.args[2]) if isinstance(node, ast.Constant)
                          and isinstance(node.value, str) and CODE.fullmatch(node.value)}
    return found | CLI_ACTIONS


def _name(func) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def test_every_recorded_action_has_words():
    actions = recorded_actions()
    assert {"login", "case.viewed", "transfer.refused", "account.unlocked"} <= actions, actions
    missing = sorted(actions - set(audit_words.ACTIONS))
    assert missing == [], f"add a line for each to ACTIONS in services/desk/reports/audit_words.py: {missing}"


def test_an_action_without_words_shows_its_code_and_internal_ids_are_left_out():
    assert audit_words.action_words("something.new") == "something.new"
    assert audit_words.detail_words("5f0c2a4e-0d7b-4c1e-9a53-2f7f1f3b9c10") == ""
    assert audit_words.detail_words("diterima -> diverifikasi") == "Diterima → Diverifikasi"
    assert audit_words.actor_words("sistem", None) == "Sistem Netra"
    assert audit_words.actor_words("budi", "Budi Santoso") == "Budi Santoso (budi)"
