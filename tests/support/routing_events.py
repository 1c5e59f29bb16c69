"""evidence.archived events as routing receives them, numbered, for the grouping tests."""
from services.common.envelope import derived_event_id, new_event


def archived(n, url="https://www.facebook.com/budi/posts/1", sha="a" * 64, phash=None, nip=None,
             region="14.03"):
    complaint_id = f"5b1f0c3e-0000-4000-8000-{n:012d}"
    payload = {
        "complaint_id": complaint_id, "tracking_code": f"NTR-0000-{n:04d}",
        "subject": {"name": "Budi", "nip": nip, "employer_level": "kabupaten_kota", "region_code": region},
        "violation": {"category": "unggah_dukungan", "platform": "facebook", "post_urls": [url] if url else []},
        "files": [{"index": 0, "key": f"complaints/{complaint_id}/{sha}.png", "sha256": sha, "size": 10,
                   "media_type": "image/png", "phash": phash}],
        "manifest_key": f"complaints/{complaint_id}/manifest.json",
    }
    return new_event("evidence.archived", payload, correlation_id=complaint_id, producer="evidence",
                     event_id=derived_event_id("evidence.archived", complaint_id))


ROUTED_COMPLAINT = "5b1f0c3e-0000-4000-8000-000000000001"


def archived_case(complaint_id=ROUTED_COMPLAINT, region="14.03", level="kabupaten_kota", category="unggah_dukungan"):
    """An evidence.archived event with a whole subject and violation, as routing plans a case from it."""
    payload = {
        "complaint_id": complaint_id, "tracking_code": "NTR-7K4M-Q2XP",
        "subject": {"name": "Budi", "nip": None, "position": "Guru", "agency": "Dinas Pendidikan",
                    "employer_level": level, "region_code": region, "added_later": "ignored"},
        "violation": {"category": category, "platform": "facebook", "post_urls": ["https://fb.example/1"],
                      "occurred_on": "2026-11-02", "location": None, "description": "Mengunggah dukungan"},
        "files": [{"index": 0, "key": f"complaints/{complaint_id}/ab.png", "sha256": "ab", "size": 10,
                   "media_type": "image/png",
                   "sanitised": {"key": f"complaints/{complaint_id}/sanitised/cd.png", "sha256": "cd",
                                 "size": 9, "media_type": "image/png"}}],
        "manifest_key": f"complaints/{complaint_id}/manifest.json", "rejected": [],
    }
    return new_event("evidence.archived", payload, correlation_id=complaint_id, producer="evidence",
                     event_id=derived_event_id("evidence.archived", complaint_id))


def complaint_number(n: int) -> str:
    """The id of the n-th test complaint."""
    return f"5b1f0c3e-0000-4000-8000-{n:012d}"
