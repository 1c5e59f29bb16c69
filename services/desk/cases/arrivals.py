"""What the desk learns from events: cases that arrive or are transferred in, and reporters' answers.

The desk reads each payload with its own tolerant schema; it never sees who the reporter is.
"""
from __future__ import annotations

from datetime import datetime, timezone

from services.common.envelope import Permanent, read_payload

from ..chain import steps
from ..events import CaseRoutedSchema, ReporterAnsweredSchema
from ..ports import CaseWork, Tell
from . import deadlines, lifecycle
from .changes import Change, audit_line
from .reporter_news import ANSWERED, WHAT, nobody

SYSTEM = "sistem"


LAW_FIELDS = ("reporter_named", "contexts", "conflict_of_interest", "breach_kinds", "legal_basis", "deadlines")


def case_arrived(event: dict, cases: CaseWork) -> None:
    routed = read_payload(CaseRoutedSchema, event)
    existing = cases.get(routed["case_id"])
    if existing is None:
        cases.apply(first_arrival(routed, event["event_id"]))
    elif routed["transfer"] and existing["unit_id"] != routed["units"]["primary"]["unit_id"]:
        cases.apply(transferred_in(existing, routed))
    # any other repeat of case.routed changes nothing: the case is already here


def evidence_files(files: list[dict]) -> list[dict]:
    """What officers open: the sanitised copy of each file, the original only where there is no copy."""
    shown = []
    for position, entry in enumerate(files):
        copy = entry.get("sanitised") or entry
        shown.append({"index": entry.get("index", position), "key": copy["key"], "sha256": copy["sha256"],
                      "size": copy.get("size"), "media_type": copy.get("media_type"),
                      "sanitised": bool(entry.get("sanitised")),
                      # the original's hash too (the case file lists both): the proof stays locked in the bucket
                      "original_sha256": entry.get("sha256"), "original_size": entry.get("size")})
    return shown


def with_team(routed: dict) -> dict:
    """The violation, plus the monitoring team's public name when a team filed it (kept in the case's
    violation JSON: no new column, so an existing desk database needs no migration)."""
    source = routed.get("source") or {}
    if source.get("kind") != "team":
        return routed["violation"]
    return {**routed["violation"], "team_name": str(source.get("team_name") or source.get("team_id"))}


def first_arrival(routed: dict, event_id: str) -> Change:
    at = datetime.now(timezone.utc)
    primary = routed["units"]["primary"]
    case = {"case_id": routed["case_id"], "case_number": routed["case_number"],
            "complaint_id": routed["complaint_id"], "tracking_code": routed["tracking_code"],
            "unit_id": primary["unit_id"], "unit_name": primary["name"],
            "status": lifecycle.lifecycle()["first"], "status_since": at, "sequence": 0,
            "due_date": deadlines.due_date(lifecycle.lifecycle()["first"], at), "subject": routed["subject"],
            "violation": with_team(routed), "files": evidence_files(routed["files"]), "sanction": None,
            "received_at": at, "law": {name: routed[name] for name in LAW_FIELDS}, **group_columns(routed),
            "chain": steps.initial_chain(routed["chain"], routed["deadlines"], primary, at)}
    accesses = {copy["unit_id"]: "copy" for copy in routed["units"]["copies"]}
    accesses[primary["unit_id"]] = "primary"
    return Change(case["case_id"], new_case=case, accesses=accesses,
                  history=[arrival_entry(case, None, "Kasus diterima dari Netra.", at)],
                  audit=[audit_line(SYSTEM, primary["unit_id"], "case.received", case["case_id"], event_id)])


def group_columns(routed: dict) -> dict:
    """The group of reports of the same act; a case routed without one is a group of its own."""
    group = routed.get("group") or {}
    return {"group_id": group.get("group_id") or routed["case_id"],
            "group_matched_on": list(group.get("matched_on") or [])}


def transferred_in(existing: dict, routed: dict) -> Change:
    at = datetime.now(timezone.utc)
    primary, transfer = routed["units"]["primary"], routed["transfer"]
    first = lifecycle.lifecycle()["first"]
    accesses = {copy["unit_id"]: "copy" for copy in routed["units"]["copies"]}
    accesses.update({existing["unit_id"]: "former", primary["unit_id"]: "primary"})
    updates = {"unit_id": primary["unit_id"], "unit_name": primary["name"], "status": first,
               "status_since": at, "due_date": deadlines.due_date(first, at)}
    moved = {**existing, **updates}
    note = f"Dialihkan dari {transfer['from_unit_id']}."
    return Change(existing["case_id"], case_updates=updates, accesses=accesses,
                  history=[arrival_entry(moved, existing["status"], note, at)],
                  transfer_updates=(transfer["transfer_id"], {"state": "selesai"}),
                  audit=[audit_line(SYSTEM, primary["unit_id"], "case.transferred_in", existing["case_id"],
                                    note)])


def arrival_entry(case: dict, previous: str | None, note: str, at: datetime) -> dict:
    return {"case_id": case["case_id"], "unit_id": case["unit_id"], "status": case["status"],
            "previous_status": previous, "actor": SYSTEM, "file_note": note, "public_note": None,
            "details": None, "at": at}


def reporter_answered(event: dict, cases: CaseWork, tell: Tell = nobody) -> None:
    """Records the answer with a history line (the case shows as new to its officers) and tells the unit;
    a redelivered answer is not recorded twice but tells the unit again (services/desk/cases/reporter_news.py)."""
    answer = read_payload(ReporterAnsweredSchema, event)
    question = cases.question(answer["question_id"])
    if question is None:
        raise Permanent(f"answer to an unknown question {answer['question_id']}")
    case = cases.get(question["case_id"])
    if not cases.has_answer(answer["answer_id"]):
        cases.apply(answer_change(case, question, answer))
    tell(case, ANSWERED)


def answer_change(case: dict, question: dict, answer: dict) -> Change:
    at = answer["answered_at"] or datetime.now(timezone.utc)
    answered = {"answer_id": answer["answer_id"], "question_id": answer["question_id"],
                "answer": answer["answer"], "answered_at": at}
    entry = {**arrival_entry(case, case["status"], f"{WHAT[ANSWERED]}.", datetime.now(timezone.utc))}
    return Change(case["case_id"], new_answer=answered, history=[entry], audit=[audit_line(
        SYSTEM, question["unit_id"], "answer.received", case["case_id"], answer["question_id"])])
