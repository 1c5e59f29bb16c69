"""The suite's own layout: each test folder has a conftest.py for what its tests share, and no test module
imports from a test module or conftest (shared helpers live in tests/support)."""
import re

from tests.support.system import ROOT

TESTS = ROOT / "tests"
FOLDERS = ("unit", "integration", "e2e", "faults", "containers")
IMPORT_FROM_TESTS = re.compile(rf"^\s*(?:from|import)\s+tests\.(?:{'|'.join(FOLDERS)})\b", re.M)


def test_every_test_folder_has_a_conftest():
    folders = {path.name for path in TESTS.iterdir() if path.is_dir() and any(path.glob("test_*.py"))}
    assert folders == set(FOLDERS)
    assert all((TESTS / folder / "conftest.py").is_file() for folder in FOLDERS)


def test_no_module_imports_from_a_test_module_or_a_conftest():
    offenders = [str(path.relative_to(ROOT)) for path in TESTS.rglob("*.py")
                 if IMPORT_FROM_TESTS.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
