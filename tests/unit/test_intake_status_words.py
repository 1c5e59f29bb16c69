"""The citizen's timeline says every status in Bahasa Indonesia: intake's own steps and the unit's."""
import pytest

from services.intake.tracking.status import status_words
from services.reference.vocabulary import codes


@pytest.mark.parametrize("code", [*codes("timeline_statuses"), *codes("case_statuses")])
def test_every_status_a_citizen_can_see_has_words(code):
    words = status_words(code)
    assert words and words != code and "_" not in words


def test_a_unit_status_reads_as_the_desk_says_it():
    assert status_words("sanksi_dijatuhkan") == "Sanksi dijatuhkan"
    assert status_words("unit_notified") == "Unit telah diberi tahu"


def test_a_later_report_of_the_same_act_tells_the_citizen_it_is_handled_together():
    from services.intake.tracking.status import timeline_entry
    units = {"primary": {"unit_id": "bkpsdm-14.03", "name": "BKPSDM Kabupaten Bengkalis"}}
    assert timeline_entry("case.routed", {"units": units, "group": None}) == ("routed", "BKPSDM Kabupaten Bengkalis")
    status, note = timeline_entry("case.routed", {"units": units, "group": {"size": 3}})
    assert status == "routed" and note.startswith("BKPSDM Kabupaten Bengkalis;") and "laporan ke-3" in note


def test_the_routed_entry_gives_the_case_number_to_quote_to_the_unit():
    from services.intake.tracking.status import timeline_entry
    units = {"primary": {"unit_id": "bkpsdm-14.03", "name": "BKPSDM Kabupaten Bengkalis"}}
    assert timeline_entry("case.routed", {"units": units, "case_number": "NTR-2026-1403-00123"}) == (
        "routed", "BKPSDM Kabupaten Bengkalis (nomor kasus NTR-2026-1403-00123)")
