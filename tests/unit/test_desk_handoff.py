"""The end of a step at the desk: what each kind of outcome needs, in Bahasa Indonesia, and whether the PPK's
decision follows the recommendation before it."""
from datetime import date

import pytest

from services.desk.chain.handoff import Outcome, followed, outcome_problems

TODAY = date(2026, 12, 6)
DECREE = Outcome(decree_number="800/117", decree_date="2026-12-01", decision="teguran_tertulis")


@pytest.mark.parametrize("kind, outcome, expected", [
    ("rekomendasi", Outcome(summary="x"), ["Pilih rekomendasi sanksi."]),
    ("rekomendasi", Outcome(recommendation="moral"), ["Ringkasan untuk instansi berikutnya wajib diisi."]),
    ("keputusan", Outcome(), ["Nomor keputusan wajib diisi.", "Tanggal keputusan wajib diisi dengan format YYYY-MM-DD.",
                              "Pilih sanksi menurut PP 94/2021, sanksi moral, atau tanpa sanksi."]),
    ("keputusan", Outcome(decree_number="1", decree_date="2026-12-07", decision="tidak_ada"),
     ["Tanggal keputusan tidak boleh di masa depan.", "Alasan tidak dijatuhkan sanksi wajib diisi."]),
    ("keputusan", DECREE, []),
    ("hasil_pemantauan", Outcome(summary="Sesuai."), []),
])
def test_each_outcome_says_what_it_lacks(kind, outcome, expected):
    assert outcome_problems(kind, outcome, TODAY) == expected


def chain(recommended, decided):
    return {"steps": [
        {"number": 1, "outcome": "rekomendasi", "result": {"recommendation": recommended},
         "done_by": {"name": "Kantor Regional XII BKN Pekanbaru"}},
        {"number": 2, "outcome": "keputusan", "result": {"decision": decided} if decided else None}]}


@pytest.mark.parametrize("recommended, decided, verdict", [
    ("disiplin_sedang", "potong_tukin_9", "diikuti"),
    ("disiplin_sedang", "teguran_lisan", "lebih ringan"),
    ("disiplin_ringan", "berhenti", "lebih berat"),
    ("disiplin_berat", "tidak_ada", "lebih ringan"),
])
def test_the_kanreg_reads_whether_its_recommendation_was_followed(recommended, decided, verdict):
    seen = followed(chain(recommended, decided))
    assert seen["verdict"] == verdict and seen["by"] == "Kantor Regional XII BKN Pekanbaru"


def test_nothing_to_compare_before_the_decision():
    assert followed(chain("disiplin_sedang", None)) is None and followed(None) is None
