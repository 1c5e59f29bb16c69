"""Which steps kept their deadline, the figures per step and body, and which late PPK steps reach a Kanreg:
plain functions over chains as the desk keeps them."""
from datetime import date

from services.desk.reminders import ppk_overdue
from services.desk.reports import step_figures
from services.desk.chain import step_timeliness
from services.desk.chain.steps import ACTIVE, DONE, WAITING

TODAY = date(2026, 12, 7)
KANREG, PPK = "bkn-kanreg-12", "bkpsdm-14.03"


def step(number, unit_id, task, outcome, state, opened=None, due=None, completed=None, **more):
    return {"number": number, "unit_id": unit_id, "name": unit_id.upper(), "task": task, "outcome": outcome,
            "state": state, "opened_at": opened, "due": due, "completed_at": completed, "done_by": None,
            "result": None, **more}


def chain(*steps, current):
    return {"chain_id": "kanreg-ppk", "current": current, "steps": list(steps)}


def at_ppk(due, **more):
    return chain(step(1, KANREG, "rekomendasi", "rekomendasi", DONE, "2026-11-20T02:00:00+00:00",
                      completed="2026-11-21T02:00:00+00:00", done_by={"unit_id": KANREG, "name": "Kanreg XII"}),
                 step(2, PPK, "putusan", "keputusan", ACTIVE, "2026-11-21T02:00:00+00:00", due, **more),
                 step(3, KANREG, "pantau", "hasil_pemantauan", WAITING), current=2)


def test_a_step_is_on_time_up_to_and_on_its_due_day_late_after_and_unjudged_without_a_due_date():
    ended = {"opened_at": "2026-12-01T01:00:00+00:00", "due": "2026-12-05"}
    assert step_timeliness.kept({**ended, "completed_at": "2026-12-05T16:00:00+00:00"}, TODAY) == "tepat_waktu"
    assert step_timeliness.kept({**ended, "completed_at": "2026-12-05T17:30:00+00:00"}, TODAY) == "terlambat"  # 6th, WIB
    assert step_timeliness.kept(ended, TODAY) == "terlambat" and step_timeliness.kept(ended, date(2026, 12, 5)) == "berjalan"
    assert step_timeliness.kept({"opened_at": "2026-12-01T01:00:00+00:00"}, TODAY) == "tanpa_tenggat"
    assert step_timeliness.kept({}, TODAY) == "menunggu"


def test_a_decision_reads_with_its_decree_number_date_and_sanction():
    lines = step_timeliness.outcome_lines({"kind": "keputusan", "decree_number": "800/9", "decree_date": "2026-12-01",
                                           "label": "Teguran tertulis", "summary": ""})
    assert lines == ["Keputusan PPK nomor 800/9 tanggal 2026-12-01: Teguran tertulis."]


def test_the_figures_count_cases_per_current_step_and_each_owners_steps_against_their_due_date():
    rows = [{"case_id": "a", "chain": at_ppk("2026-12-01")}, {"case_id": "b", "chain": at_ppk("2026-12-31")},
            {"case_id": "c", "chain": None}]
    assert {code: e["count"] for code, e in step_figures.per_step(rows).items() if e["count"]} == {
        "putusan": 2, "tanpa_rangkaian": 1}
    bodies = {entry["unit_id"]: entry for entry in step_figures.per_body(rows, TODAY)}
    assert (bodies[PPK]["cases"], bodies[PPK]["running"], bodies[PPK]["judged"], bodies[PPK]["rate"]) == (2, 2, 1, 0.0)
    assert (bodies[KANREG]["cases"], bodies[KANREG]["judged"], bodies[KANREG]["rate"]) == (2, 0, None)


def test_only_a_late_ppk_step_without_a_recorded_block_reaches_the_kanreg_that_recommended():
    cases = [{"case_id": "late", "chain": at_ppk("2026-12-01")}, {"case_id": "due", "chain": at_ppk("2026-12-31")},
             {"case_id": "blocked", "chain": at_ppk("2026-12-01", siasn_block={"reference": "x"})},
             {"case_id": "plain", "chain": None}]
    assert [(case["case_id"], found["number"], kanreg) for case, found, kanreg
            in ppk_overdue.overdue_steps(cases, TODAY)] == [("late", 2, KANREG)]
