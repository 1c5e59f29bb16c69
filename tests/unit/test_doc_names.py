"""scripts/check_doc_names.py, the static gate's check that the docs name only what exists."""
import importlib.util

from tests.support.system import ROOT

spec = importlib.util.spec_from_file_location("check_doc_names", ROOT / "scripts" / "check_doc_names.py")
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)

GOOD = """Built by `services.common.envelope.new_event`; run `python -m services.notify.cli purge-contacts`,
`bash deploy/run-local.sh stop` and `tests/unit/test_doc_names.py::test_the_shipped_docs_name_only_what_exists`;
served as `gunicorn 'services.intake.app:create_app()'`; [the events](events.md), `kubectl exec deploy/intake`.
"""
BAD = """See `services/intake/nothing_here.py` and `services.common.bus.new_event`.
Run `python -m services.notify.cli purge-everything` or `deploy/containers.sh launch`.
`tests/unit/test_doc_names.py::test_nothing` and [a link](nowhere.md).
"""


def test_names_that_exist_pass(tmp_path):
    doc = tmp_path / "good.md"
    doc.write_text(GOOD)
    (tmp_path / "events.md").write_text("")
    assert check.problems(doc) == []


def test_each_missing_file_module_subcommand_test_and_link_is_named(tmp_path):
    doc = tmp_path / "bad.md"
    doc.write_text(BAD)
    found = check.problems(doc)
    assert {problem.split(": ", 1)[1] for problem in found} == {
        "services/intake/nothing_here.py does not exist",
        "services.common has no bus.new_event",
        "python -m services.notify.cli has no subcommand purge-everything",
        "deploy/containers.sh has no subcommand launch",
        "tests/unit/test_doc_names.py has no test_nothing",
        "link nowhere.md leads nowhere",
    }


def test_the_shipped_docs_name_only_what_exists():
    assert [problem for doc in check.DOCS for problem in check.problems(doc)] == []
