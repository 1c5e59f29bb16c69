"""The public status timeline: what a reporter sees with the tracking code and the receipt."""
from __future__ import annotations

from datetime import datetime, timezone

from services.common.envelope import Permanent, read_payload
from services.reference.vocabulary import codes, label

from ..complaints.receipts import receipt_matches
from ..events import READERS
from ..ports import Complaints


def complaint_status(repository: Complaints, tracking_code: str, receipt: str | None) -> dict | None:
    """None both for an unknown code and a wrong receipt, so the two cannot be told apart."""
    found = repository.status(tracking_code)
    if found is None or not receipt_matches(receipt, found["receipt_hash"]):
        return None
    status = {key: value for key, value in found.items() if key != "receipt_hash"}
    status["status_label"] = status_words(status["status"])
    status["timeline"] = [{**entry, "label": status_words(entry["status"])} for entry in status["timeline"]]
    return status


def status_words(code: str) -> str:
    """A status as the citizen reads it: intake's own steps, then the unit's (the desk's lifecycle)."""
    return label("timeline_statuses" if code in codes("timeline_statuses") else "case_statuses", code)


def timeline_entry(event_type: str, payload: dict) -> tuple[str, str | None] | None:
    """The public status and note an event adds to the timeline, or None if it adds nothing."""
    if event_type == "evidence.archived":
        return "evidence_archived", f"{len(payload['files'])} berkas bukti diarsipkan"
    if event_type == "evidence.rejected":
        return "evidence_rejected", f"{len(payload['rejected'])} berkas bukti ditolak"
    if event_type == "case.routed":
        return "routed", routed_note(payload)
    if event_type in ("notification.sent", "notification.failed") and payload["recipient_kind"] == "unit" \
            and payload["purpose"] == "case":  # the case mail, not a reporter's
        return ("unit_notified", None) if event_type == "notification.sent" else ("notification_failed", None)
    if event_type == "case.status_changed":
        return payload["status"], payload["public_note"]
    if event_type == "case.step_opened":
        return "step_handed_on", handed_on_note(payload)
    return None


DONE_WORDS = {"periksa": "memeriksa", "rekomendasi": "menelaah", "putusan": "menetapkan keputusan",
              "pantau": "memantau"}
HANDED_WORDS = {"rekomendasi": "rekomendasi", "keputusan": "keputusan Pejabat Pembina Kepegawaian",
                "hasil_pemantauan": "hasil pemantauan"}


def handed_on_note(payload: dict) -> str:
    """One plain sentence of who handed the case to whom: the bodies' public names, never an officer's name or
    what the outcome said (e.g. "Bawaslu Kabupaten Bengkalis selesai memeriksa dan meneruskan rekomendasi ke
    Kantor Regional XII BKN Pekanbaru")."""
    previous, step = payload["previous"], payload["step"]
    kind = (previous.get("outcome") or {}).get("kind") if isinstance(previous.get("outcome"), dict) else None
    done = DONE_WORDS.get(previous.get("task"), "menyelesaikan langkahnya")
    return f"{previous['name']} selesai {done} dan meneruskan {HANDED_WORDS.get(kind, 'hasilnya')} ke {step['name']}"


def routed_note(payload: dict) -> str:
    """The unit's name and the case number it works under (the number to quote to the unit); for a later report
    of an act others reported too, that the unit handles them together."""
    unit = payload["units"]["primary"]["name"]
    if payload.get("case_number"):
        unit += f" (nomor kasus {payload['case_number']})"
    size = (payload.get("group") or {}).get("size", 1)
    if size > 1:
        return f"{unit}; laporan Anda adalah laporan ke-{size} atas perbuatan yang sama dan ditangani bersama " \
               "laporan lainnya"
    return unit


def record_timeline(event: dict, repository: Complaints) -> None:
    reader = READERS.get(event["event_type"])
    if reader is None:
        raise Permanent(f"intake does not read {event['event_type']}")
    payload = read_payload(reader, event)
    repository.add_to_timeline(event, payload["complaint_id"], timeline_entry(event["event_type"], payload),
                               event_time(event))


def event_time(event: dict) -> datetime:
    try:
        return datetime.fromisoformat(event["occurred_at"])
    except (KeyError, TypeError, ValueError):
        return datetime.now(timezone.utc)
