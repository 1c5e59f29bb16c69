"""evidence.added in the desk with in-memory cases: the documented event appends the sanitised copies after
the case's files with a history line, a redelivery changes nothing, an early one is retried."""
import copy

import pytest

from services.desk.cases.additions import CaseNotYetHere, evidence_added
from tests.support.contracts import example
from tests.support.desk_fakes import FakeCases

COMPLAINT = "7c9e6679-7425-40de-944b-e07fc1f90ae7"


@pytest.fixture
def cases():
    fake = FakeCases()
    fake.cases["case-1"] = {"case_id": "case-1", "complaint_id": COMPLAINT, "unit_id": "bkpsdm-14.03",
                            "status": "diverifikasi", "sequence": 3,
                            "files": [{"index": 0, "key": "complaints/x/sanitised/a.png", "sha256": "a",
                                       "size": 10, "media_type": "image/png", "sanitised": True}]}
    return fake


def test_the_documented_event_appends_the_sanitised_copy_with_a_history_line(cases):
    event = example("evidence.added")
    evidence_added(event, cases)
    files = cases.cases["case-1"]["files"]
    sanitised = event["payload"]["files"][0]["sanitised"]
    assert files[1] == {"index": 1, "key": sanitised["key"], "sha256": sanitised["sha256"], "size": sanitised["size"],
                        "media_type": "image/png", "sanitised": True, "addition_id": event["payload"]["addition_id"],
                        "original_sha256": event["payload"]["files"][0]["sha256"],
                        "original_size": event["payload"]["files"][0]["size"]}
    [line] = cases.history_rows
    assert line["file_note"].startswith("Pelapor menambahkan bukti") and line["status"] == "diverifikasi"
    assert cases.cases["case-1"]["sequence"] == 3  # an officer's open form stays valid
    assert [a["action"] for a in cases.audit] == ["evidence.added"]


def test_a_redelivery_changes_nothing(cases):
    event = example("evidence.added")
    evidence_added(event, cases)
    before = copy.deepcopy((cases.cases, cases.history_rows, cases.audit))
    evidence_added(event, cases)
    assert (cases.cases, cases.history_rows, cases.audit) == before


def test_an_addition_before_the_case_arrives_is_retried(cases):
    event = example("evidence.added")
    event["payload"]["complaint_id"] = "00000000-0000-0000-0000-000000000000"
    with pytest.raises(CaseNotYetHere):
        evidence_added(event, cases)


def test_an_addition_whose_files_were_all_refused_adds_nothing(cases):
    event = example("evidence.added")
    event["payload"]["files"] = []
    evidence_added(event, cases)
    assert len(cases.cases["case-1"]["files"]) == 1 and cases.history_rows == []
