"""evidence's side of the event contract (docs/events/*.json): what it reads and what it announces."""
import copy

import pytest

from services.evidence.archive import archive_evidence
from services.evidence.events import read_submitted
from services.evidence.sanitise import REASONS
from tests.support import hostile
from tests.support.contracts import assert_matches_example, example, example_names
from tests.support.evidence_store import FakeEvidenceStore, received


@pytest.mark.parametrize("name", example_names("complaint.submitted"))
def test_each_complaint_submitted_example_reads_with_evidences_own_schema(name):
    documented = example(name)
    submitted = read_submitted(documented)
    assert submitted["complaint_id"] == documented["payload"]["complaint_id"]
    assert submitted["evidence"] == documented["payload"]["evidence"]  # key, sha256, size of each original
    assert submitted["subject"] == documented["payload"]["subject"]


def emitted_for_the_example() -> list[dict]:
    """Archives the documented complaint with a photo and a text file named like evidence."""
    event = copy.deepcopy(example("complaint.submitted"))
    store, published = FakeEvidenceStore(), []
    event["payload"]["evidence"] = received(store, event["payload"]["complaint_id"],
                                            [hostile.gps_jpeg(), b"bukan gambar"])
    archive_evidence(event, store, published.append, retention_days=1, retention_mode="GOVERNANCE")
    return published


def test_evidence_archived_as_emitted_matches_its_example():
    archived, _ = emitted_for_the_example()
    assert_matches_example(archived, "evidence.archived")
    assert set(archived["payload"]["files"][0]["sanitised"]) == {"key", "sha256", "size", "media_type"}


def test_evidence_rejected_as_emitted_matches_its_example():
    _, rejected = emitted_for_the_example()
    assert_matches_example(rejected, "evidence.rejected")


@pytest.mark.parametrize("name", ["evidence.archived", "evidence.rejected"])
def test_documented_reasons_are_codes_evidence_emits(name):
    assert {r["reason"] for r in example(name)["payload"]["rejected"]} <= set(REASONS)


@pytest.mark.parametrize("named", [True, False])
def test_evidence_archived_passes_reporter_named_through_for_routing(named):
    event = copy.deepcopy(example("complaint.submitted"))
    event["payload"]["reporter_named"] = named
    store, published = FakeEvidenceStore(), []
    event["payload"]["evidence"] = received(store, event["payload"]["complaint_id"], [hostile.gps_jpeg()])
    archive_evidence(event, store, published.append, retention_days=1, retention_mode="GOVERNANCE")
    assert published[0]["payload"]["reporter_named"] is named
