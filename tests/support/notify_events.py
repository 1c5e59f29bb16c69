"""Events as notify receives them, for notify's tests; ids are derived the way their producers derive them."""
from __future__ import annotations

import uuid

from services.common.envelope import derived_event_id, new_event
from services.common.sealing import public_key, seal
from services.common.settings import DEV_CONTACT_PUBLIC_KEY


def seal_contact(email: str, key: str = DEV_CONTACT_PUBLIC_KEY) -> str:
    """What intake puts in reporter_contact: {"email": ...} sealed to notify's public key."""
    return seal(public_key(key), {"email": email})


def unit(unit_id: str, name: str) -> dict:
    return {"unit_id": unit_id, "name": name, "email": f"{unit_id}@unit.netra.invalid", "kind": "bkd",
            "region_code": "14.03"}


def case_routed(complaint_id: str | None = None, tracking_code: str = "NTR-7K4M-Q2XP", files=None,
                **extra) -> dict:
    complaint_id = complaint_id or str(uuid.uuid4())
    payload = {
        "case_id": str(uuid.uuid5(uuid.NAMESPACE_URL, complaint_id)), "complaint_id": complaint_id,
        "case_number": "NTR-2026-1403-00123", "tracking_code": tracking_code,
        "units": {"primary": unit("bkpsdm-14.03", "BKPSDM Kabupaten Bengkalis"),
                  "copies": [unit("bawaslu-14.03", "Bawaslu Kabupaten Bengkalis")]},
        "matched_rule": "kabupaten_kota-default",
        "fallback": [{"wanted": "kesbangpol@14.03", "used": "kesbangpol@14", "reason": "no_unit_in_region"}],
        "subject": {"name": "Andi Saputra", "nip": "198001012005011001", "position": "Kepala Seksi Kurikulum",
                    "agency": "Dinas Pendidikan Kabupaten Bengkalis", "employer_level": "kabupaten_kota",
                    "region_code": "14.03"},
        "violation": {"category": "unggah_dukungan", "platform": "facebook",
                      "post_urls": ["https://www.facebook.com/andi.saputra/posts/123"],
                      "occurred_on": "2026-11-02", "location": "Bengkalis",
                      "description": "Mengunggah foto bersama pasangan calon nomor 2 dengan ajakan memilih."},
        "files": files if files is not None else [
            {"index": 0, "key": f"complaints/{complaint_id}/{'ab' * 32}.png", "sha256": "ab" * 32,
             "size": 123456, "media_type": "image/png",
             "sanitised": {"key": f"complaints/{complaint_id}/sanitised/{'cd' * 32}.png", "sha256": "cd" * 32,
                           "size": 120000, "media_type": "image/png"}}],
        "manifest_key": f"complaints/{complaint_id}/manifest.json",
        "routed_at": "2026-11-03T01:02:03+00:00",
        **extra,
    }
    key = payload["transfer"]["transfer_id"] if payload.get("transfer") else complaint_id
    return new_event("case.routed", payload, correlation_id=complaint_id, producer="routing",
                     event_id=derived_event_id("case.routed", key))


def transferred(routed: dict, transfer_id: str | None = None, to=("bkd-14", "Badan Kepegawaian Daerah Provinsi Riau")) -> dict:
    """case.routed for an approved transfer of the case `routed` announced."""
    payload = routed["payload"]
    transfer = {"transfer_id": transfer_id or str(uuid.uuid4()),
                "from_unit_id": payload["units"]["primary"]["unit_id"]}
    return case_routed(payload["complaint_id"], payload["tracking_code"], files=payload["files"],
                       case_id=payload["case_id"], units={"primary": unit(*to), "copies": []},
                       matched_rule="transfer", fallback=[], transfer=transfer)


def complaint_submitted(complaint_id: str | None = None, tracking_code: str = "NTR-7K4M-Q2XP",
                        reporter_contact: str | None = None) -> dict:
    complaint_id = complaint_id or str(uuid.uuid4())
    payload = {
        "complaint_id": complaint_id, "tracking_code": tracking_code, "submitted_at": "2026-11-02T08:00:00+00:00",
        "subject": {"name": "Andi Saputra"}, "violation": {"category": "unggah_dukungan"},
        "evidence": [{"index": 0, "key": f"complaints/{complaint_id}/{'ab' * 32}.png", "sha256": "ab" * 32,
                      "size": 10}],
        "reporter_contact": reporter_contact,
    }
    return new_event("complaint.submitted", payload, correlation_id=complaint_id, producer="intake")


def evidence_rejected(complaint_id: str, tracking_code: str = "NTR-7K4M-Q2XP", rejected=None) -> dict:
    payload = {"complaint_id": complaint_id, "tracking_code": tracking_code,
               "rejected": rejected or [{"index": 1, "reason": "unknown_type"}]}
    return new_event("evidence.rejected", payload, correlation_id=complaint_id, producer="evidence",
                     event_id=derived_event_id("evidence.rejected", complaint_id))


def status_changed(complaint_id: str, case_id: str, sequence: int = 3, status: str = "dalam_pemeriksaan") -> dict:
    payload = {"case_id": case_id, "complaint_id": complaint_id, "tracking_code": "NTR-7K4M-Q2XP",
               "unit_id": "bkpsdm-14.03", "sequence": sequence, "status": status, "previous_status": "diverifikasi",
               "public_note": "Diperiksa oleh Bapak Petugas Rahasia.", "changed_at": "2026-11-10T03:00:00+00:00"}
    return new_event("case.status_changed", payload, correlation_id=complaint_id, producer="desk",
                     event_id=derived_event_id("case.status_changed", f"{case_id}:{sequence}"))


def question_asked(complaint_id: str, case_id: str, question_id: str | None = None) -> dict:
    payload = {"question_id": question_id or str(uuid.uuid4()), "case_id": case_id, "complaint_id": complaint_id,
               "tracking_code": "NTR-7K4M-Q2XP", "unit_id": "bkpsdm-14.03",
               "question": "Mohon kirimkan tangkapan layar yang menunjukkan tanggal unggahan.",
               "asked_at": "2026-11-10T05:00:00+00:00"}
    return new_event("reporter.question_asked", payload, correlation_id=complaint_id, producer="desk")
