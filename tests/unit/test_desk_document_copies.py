"""document.archived at the desk: the sanitised copy of a decree or BAP is recorded on the step that filed it,
once; a refused document keeps its reason; an event for a document the step never filed is parked."""
import copy

import pytest

from services.common.envelope import Permanent
from services.desk.chain.document_copies import document_archived
from services.desk.chain.handoff import documents_of
from tests.support.contracts import example
from tests.support.desk_fakes import FakeCases

CASE_ID = "3f2b8c1e-5d4a-4e6f-9a1b-2c3d4e5f6a7b"
DECREE, BAP = "4b227777d4dd1fc61c6f884f48641d02b4d121d3fd328cb08b5531fcacdabf8a", "b" * 64


@pytest.fixture
def cases():
    fake = FakeCases()
    filed = {"document": {"kind": "decree", "key": "k1", "sha256": DECREE, "size": 48213},
             "bap": {"kind": "bap", "key": "k2", "sha256": BAP, "size": 100}}
    fake.cases[CASE_ID] = {"case_id": CASE_ID, "unit_id": "bkn-kanreg-12", "status": "baru", "sequence": 3,
                           "chain": {"current": 3, "steps": [{"number": 1, "result": {"kind": "rekomendasi"}},
                                                             {"number": 2, "result": None},
                                                             {"number": 3, "result": {"kind": "keputusan", **filed}}]}}
    return fake


def archived(sha256: str = DECREE, **changes) -> dict:
    event = copy.deepcopy(example("document.archived"))
    event["payload"].update({"case_id": CASE_ID, "sha256": sha256, **changes})
    return event


def test_the_copy_is_recorded_on_the_document_it_was_made_from(cases):
    document_archived(archived(), cases)
    decree, bap = documents_of(cases.get(CASE_ID)["chain"])
    assert decree["sanitised"] == {name: example("document.archived")["payload"]["sanitised"][name]
                                   for name in ("key", "sha256", "size")}
    assert "sanitised" not in bap
    assert [line["action"] for line in cases.audit] == ["document.sanitised"]


def test_a_redelivery_changes_nothing(cases):
    document_archived(archived(), cases)
    before = cases.get(CASE_ID)
    document_archived(archived(), cases)
    assert cases.get(CASE_ID) == before and len(cases.audit) == 1


def test_a_refused_document_keeps_its_reason_and_no_copy(cases):
    document_archived(archived(BAP, sanitised=None, reason="damaged"), cases)
    _, bap = documents_of(cases.get(CASE_ID)["chain"])
    assert bap["refused"] == "damaged" and "sanitised" not in bap


@pytest.mark.parametrize("event", [archived("c" * 64), archived(step=2), archived(case_id="nowhere")])
def test_a_document_the_case_never_filed_is_parked(cases, event):
    with pytest.raises(Permanent):
        document_archived(event, cases)
