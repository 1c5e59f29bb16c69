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
