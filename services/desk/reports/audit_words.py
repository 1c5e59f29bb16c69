"""The audit log in words an officer reads: each action code with its Indonesian wording, the case by its
number, the actor by name. The codes stay in the database as they are; a code without wording here is shown
as itself, so a new action is never hidden (add its line to ACTIONS)."""
from __future__ import annotations

import re

from ..cases import lifecycle

ACTIONS = {
    "login": "Masuk ke meja unit",
    "login.recovery_code": "Masuk dengan kode pemulihan",
    "account.created": "Membuat akun",
    "account.invited": "Mengundang petugas",
    "account.invitation_accepted": "Menerima undangan dan membuat akun",
    "account.disabled": "Menonaktifkan akun",
    "account.enabled": "Mengaktifkan kembali akun",
    "account.disable": "Menonaktifkan akun",
    "account.enable": "Mengaktifkan kembali akun",
    "account.reset-otp": "Mencabut faktor kedua",
    "account.unlocked": "Membuka kunci masuk akun",
    "account.password_changed": "Mengganti kata sandi",
    "account.password_reset": "Mengatur ulang kata sandi lewat tautan surel",
    "account.password_reset_requested": "Meminta tautan atur ulang kata sandi",
    "account.second_factor_enrolled": "Mendaftarkan faktor kedua (kode OTP)",
    "account.second_factor_reset": "Mencabut faktor kedua",
    "case.received": "Kasus diterima unit",
    "case.transferred_in": "Kasus masuk karena pengalihan",
    "case.viewed": "Membuka kasus",
    "case.moved": "Mengubah status kasus",
    "case.file_exported": "Mengunduh berkas kasus (PDF)",
    "cases.exported": "Mengekspor daftar kasus",
    "evidence.added": "Pelapor menambah bukti",
    "evidence.viewed": "Membuka berkas bukti",
    "evidence.verified": "Memeriksa SHA-256 berkas bukti",
    "question.asked": "Mengirim pertanyaan kepada pelapor",
    "answer.received": "Pelapor menjawab pertanyaan",
    "transfer.requested": "Mengajukan pengalihan",
    "transfer.approved": "Menyetujui pengalihan",
    "transfer.refused": "Menolak pengalihan",
    "case.step_completed": "Menyelesaikan langkah dan meneruskan kasus",
    "case.step_opened": "Langkah kasus dibuka untuk unit ini",
    "document.viewed": "Membuka salinan aman dokumen langkah (PDF keputusan atau BAP)",
    "document.sanitised": "Salinan aman dokumen langkah tersedia",
    "siasn.block_recorded": "Mencatat pemblokiran data di SIASN",
    "identity.requested": "Meminta identitas pelapor",
    "identity.queue_viewed": "Membuka daftar permintaan identitas",
    "identity.approved": "Menyetujui permintaan identitas pelapor",
    "identity.refused": "Menolak permintaan identitas pelapor",
    "identity.released": "Identitas pelapor dilepas oleh intake",
    "identity.shown": "Melihat identitas pelapor (sekali)",
    "identity.view_refused": "Membuka lagi identitas yang sudah ditampilkan (ditolak)",
}
ACTORS = {"sistem": "Sistem Netra", "cli": "Operator (baris perintah)"}
# Internal ids (an event's, an addition's, a question's) say nothing to a reader; the database keeps them.
BARE_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
MOVE = re.compile(r"^([a-z_]+) -> ([a-z_]+)$")


def action_words(code: str) -> str:
    return ACTIONS.get(code, code)


def actor_words(username: str, name: str | None) -> str:
    if username in ACTORS:
        return ACTORS[username]
    return f"{name} ({username})" if name else username


def detail_words(detail: str | None) -> str:
    if not detail or BARE_ID.match(detail):
        return ""
    if moved := MOVE.match(detail):
        return f"{lifecycle.label(moved.group(1))} → {lifecycle.label(moved.group(2))}"
    return "dari API" if detail == "api" else detail


def readable(line: dict) -> dict:
    """One audit line as the audit page shows it."""
    return {**line, "action_words": action_words(line["action"]),
            "actor_words": actor_words(line["actor"], line.get("actor_name")),
            "case_words": line.get("case_number") or line.get("tracking_code") or "",
            "detail_words": detail_words(line.get("detail"))}
