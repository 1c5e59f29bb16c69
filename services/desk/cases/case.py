"""A case as the desk handles it: the moves officers make on it, and the refusals that say why not.

The repository hands a Case to an action with the case's row locked for the transaction
(`CaseRepository.act`), so what a move decides on (status, sequence, the pending transfer) cannot change
before its Change is written. Each move returns that one Change; a move that may not be made raises
Refused, and one for an officer who may not see the case raises NotFound.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from .. import events
from . import deadlines, lifecycle
from .access import Staff, access_to
from .changes import Change, NotFound, Refused, audit_line

PENDING = "diajukan"
ONE_PENDING = "Sudah ada pengalihan yang menunggu persetujuan."
REFUSED = "ditolak"
NONE_PENDING = "Tidak ada pengalihan yang menunggu persetujuan."
READ_ONLY = "Unit Anda hanya dapat membaca kasus ini."
QUESTION_LIMIT = 2000


@dataclass
class Case:
    row: dict  # the desk's cases row
    accesses: dict[str, str]  # unit id -> primary, copy or former
    pending_transfer: dict | None = None  # the transfer waiting for the head's approval

    @property
    def case_id(self) -> str:
        return self.row["case_id"]

    @property
    def status(self) -> str:
        return self.row["status"]

    def move(self, staff: Staff, move: lifecycle.Move, at: datetime) -> Change:
        """A status change the lifecycle allows this officer (dialihkan only through approve_transfer)."""
        self._writable_by(staff)
        _refuse(lifecycle.refusals(self.status, move, chain=self.row.get("chain")))
        change = self._status_change(move, at)
        change.audit.append(audit_line(staff.username, staff.unit_id, "case.moved", self.case_id,
                                        f"{self.status} -> {move.target}"))
        return change

    def request_transfer(self, staff: Staff, to_unit_id: str, reason: str, units, at: datetime) -> Change:
        """Ask to hand the case to another unit of the directory; one request waits at a time."""
        self._writable_by(staff)
        _refuse(self.transfer_problems(to_unit_id, reason, units))
        transfer = {"transfer_id": str(uuid.uuid4()), "case_id": self.case_id, "from_unit_id": self.row["unit_id"],
                    "to_unit_id": to_unit_id, "reason": reason.strip(), "requested_by": staff.username,
                    "requested_at": at, "state": PENDING}
        return Change(self.case_id, new_transfer=transfer, audit=[audit_line(
            staff.username, staff.unit_id, "transfer.requested", self.case_id, f"ke {to_unit_id}")])

    def transfer_problems(self, to_unit_id: str, reason: str, units) -> list[str]:
        problems = []
        if not reason or not reason.strip():
            problems.append("Alasan pengalihan wajib diisi.")
        if to_unit_id not in units:
            problems.append(f"Unit '{to_unit_id}' tidak ada dalam direktori.")
        elif to_unit_id == self.row["unit_id"]:
            problems.append("Kasus sudah berada di unit tersebut.")
        if "dialihkan" not in lifecycle.statuses()[self.status]["moves"]:
            problems.append(f"Kasus berstatus '{lifecycle.label(self.status)}' tidak dapat dialihkan.")
        if self.pending_transfer:
            problems.append(ONE_PENDING)
        return problems

    def approve_transfer(self, staff: Staff, public_note: str | None, at: datetime) -> Change:
        """The head approves the waiting transfer: the case becomes dialihkan and routing hands it on."""
        self._writable_by(staff)
        transfer = self.pending_transfer
        if transfer is None:
            raise Refused([NONE_PENDING])
        move = lifecycle.Move("dialihkan", staff.username, staff.role, f"Pengalihan disetujui: {transfer['reason']}",
                              public_note or "Laporan dialihkan ke unit yang berwenang.")
        _refuse(lifecycle.refusals(self.status, move, via="transfer"))
        change = self._status_change(move, at)
        change.transfer_updates = (transfer["transfer_id"], {"state": "disetujui", "approved_by": staff.username,
                                                             "approved_at": at})
        change.events.append(events.transfer_approved(self.row, transfer, at))
        change.audit.append(audit_line(staff.username, staff.unit_id, "transfer.approved", self.case_id,
                                        f"ke {transfer['to_unit_id']}"))
        return change

    def refuse_transfer(self, staff: Staff, reason: str, at: datetime) -> Change:
        """The head refuses the waiting transfer, saying why: the case stays, the requester reads the reason."""
        self._writable_by(staff)
        transfer = self.pending_transfer
        if transfer is None:
            raise Refused([NONE_PENDING])
        if not reason or not reason.strip():
            raise Refused(["Alasan penolakan wajib diisi: petugas yang mengajukan membacanya."])
        change = Change(self.case_id, transfer_updates=(transfer["transfer_id"], {
            "state": REFUSED, "refused_by": staff.username, "refused_at": at, "refusal_reason": reason.strip()}))
        change.audit.append(audit_line(staff.username, staff.unit_id, "transfer.refused", self.case_id,
                                        f"ke {transfer['to_unit_id']}"))
        return change

    def ask_reporter(self, staff: Staff, question: str, at: datetime) -> Change:
        self._writable_by(staff)
        if not question or not question.strip():
            raise Refused(["Pertanyaan tidak boleh kosong."])
        if len(question) > QUESTION_LIMIT:
            raise Refused([f"Pertanyaan paling panjang {QUESTION_LIMIT} karakter."])
        asked = {"question_id": str(uuid.uuid4()), "case_id": self.case_id, "unit_id": self.row["unit_id"],
                 "question": question.strip(), "asked_by": staff.username, "asked_at": at}
        return Change(self.case_id, new_question=asked, events=[events.question_asked(self.row, asked)],
                      audit=[audit_line(staff.username, staff.unit_id, "question.asked", self.case_id)])

    def _writable_by(self, staff: Staff) -> None:
        """NotFound for an officer who may not see the case; Refused for one who may only read it."""
        access = access_to(staff, self.accesses)
        if access is None:
            raise NotFound(self.case_id)
        if access != "write":
            raise Refused([READ_ONLY])

    def _status_change(self, move: lifecycle.Move, at: datetime) -> Change:
        sequence = self.row["sequence"] + 1
        updates = {"status": move.target, "status_since": at, "sequence": sequence,
                   "due_date": deadlines.due_date(move.target, at)}
        if move.target == "sanksi_dijatuhkan":
            updates["sanction"] = dict(move.details)
        entry = {"case_id": self.case_id, "unit_id": self.row["unit_id"], "status": move.target,
                 "previous_status": self.status, "actor": move.actor, "file_note": move.file_note,
                 "public_note": move.public_note or None, "details": dict(move.details) or None, "at": at}
        event = events.status_changed(self.row, move.target, self.status, move.public_note, sequence, at)
        return Change(self.case_id, case_updates=updates, expected_sequence=self.row["sequence"],
                      history=[entry], events=[event])


def _refuse(reasons: list[str]) -> None:
    if reasons:
        raise Refused(reasons)
