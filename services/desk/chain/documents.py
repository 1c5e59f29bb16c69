"""Documents a unit uploads with its step's outcome (the PPK's decree and the BAP, the examination record),
archived like evidence: under the case's complaint, at the SHA-256 of their bytes, written once (a second
upload of the same file finds it there), locked for the evidence retention period, listed on the case with
their hash and size. The evidence service makes the sanitised copy units open and lists both in the
complaint's manifest (services/evidence/documents.py), told by case.step_completed.

Only a real PDF within the size limit is taken; anything else is refused with the reason, in Bahasa
Indonesia and naming the document, before anything is written.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pikepdf
from minio import Minio
from minio.retention import Retention

from services.common.storage import put_locked_once

PDF = "application/pdf"


class DocumentRefused(Exception):
    """The upload is not a document the desk takes; the message says why."""


# The documents of a decision: the field of the form, the kind in the manifest, the name the officer reads.
DECREE = ("decree_pdf", "decree", "PDF keputusan")
BAP = ("bap_pdf", "bap", "PDF berita acara pemeriksaan (BAP)")


def read_pdf(upload, limit: int, name: str = DECREE[2], required: bool = True) -> bytes | None:
    """The uploaded file's bytes once they are a readable PDF of at most `limit` bytes; None when an optional
    document was not given."""
    if upload is None or not upload.filename:
        if required:
            raise DocumentRefused(f"Unggah berkas {name}.")
        return None
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise DocumentRefused(f"{name}: berkas PDF paling besar {limit // (1024 * 1024)} MB.")
    if not data.startswith(b"%PDF-"):
        raise DocumentRefused(f"{name}: Berkas yang diunggah bukan PDF.")
    _readable(data, name)
    return data


def _readable(data: bytes, name: str) -> None:
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) == 0:
                raise DocumentRefused(f"{name}: Berkas PDF tidak memiliki halaman.")
    except pikepdf.PasswordError:
        raise DocumentRefused(f"{name}: Berkas PDF terkunci dengan kata sandi; unggah salinan tanpa kata sandi.") \
            from None
    except pikepdf.PdfError:
        raise DocumentRefused(f"{name}: Berkas PDF rusak dan tidak dapat dibaca.") from None


@dataclass(frozen=True)
class DocumentArchive:
    """The evidence bucket as the desk writes to it: only new, locked objects under complaints/."""
    s3: Minio
    retention_days: int
    retention_mode: str

    def put(self, complaint_id: str, data: bytes, kind: str = DECREE[1]) -> dict:
        sha256 = hashlib.sha256(data).hexdigest()
        key = f"complaints/{complaint_id}/documents/{sha256}.pdf"
        until = datetime.now(timezone.utc) + timedelta(days=self.retention_days)
        put_locked_once(self.s3, key, data, PDF, Retention(self.retention_mode, until), sha256)
        return {"kind": kind, "key": key, "sha256": sha256, "size": len(data), "media_type": PDF}
