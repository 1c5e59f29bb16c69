"""Documents a unit uploads with its step's outcome (the PPK's decree), archived like evidence: under the
case's complaint, at the SHA-256 of their bytes, written once (a second upload of the same file finds it
there), locked for the evidence retention period, listed on the case with their hash and size.

Only a real PDF within the size limit is taken; anything else is refused with the reason, in Bahasa
Indonesia, before anything is written.
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


def read_pdf(upload, limit: int) -> bytes:
    """The uploaded file's bytes once they are a readable PDF of at most `limit` bytes."""
    if upload is None or not upload.filename:
        raise DocumentRefused("Unggah berkas PDF keputusan.")
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise DocumentRefused(f"Berkas PDF paling besar {limit // (1024 * 1024)} MB.")
    if not data.startswith(b"%PDF-"):
        raise DocumentRefused("Berkas yang diunggah bukan PDF.")
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) == 0:
                raise DocumentRefused("Berkas PDF tidak memiliki halaman.")
    except pikepdf.PasswordError:
        raise DocumentRefused("Berkas PDF terkunci dengan kata sandi; unggah salinan tanpa kata sandi.") from None
    except pikepdf.PdfError:
        raise DocumentRefused("Berkas PDF rusak dan tidak dapat dibaca.") from None
    return data


@dataclass(frozen=True)
class DocumentArchive:
    """The evidence bucket as the desk writes to it: only new, locked objects under complaints/."""
    s3: Minio
    retention_days: int
    retention_mode: str

    def put(self, complaint_id: str, data: bytes) -> dict:
        sha256 = hashlib.sha256(data).hexdigest()
        key = f"complaints/{complaint_id}/documents/{sha256}.pdf"
        until = datetime.now(timezone.utc) + timedelta(days=self.retention_days)
        put_locked_once(self.s3, key, data, PDF, Retention(self.retention_mode, until))
        return {"key": key, "sha256": sha256, "size": len(data), "media_type": PDF}
