"""The API's error texts in Bahasa Indonesia, for clients that ask with `Accept-Language: id` (the form does).

The English texts stay the source (API clients, operators, tests); each is matched here by a pattern and
said again in Bahasa Indonesia, its numbers and names kept. Field keys (`subject.nip`) are never translated.
A text no pattern knows reads as a plain "this entry is not valid", never as English on a citizen's page.
"""
from __future__ import annotations

import re

from flask import has_request_context, request

LANGUAGES = ("en", "id")
TITLES = {
    "Invalid complaint": "Pengaduan belum lengkap atau ada isian yang salah",
    "Unreadable complaint": "Pengaduan tidak dapat dibaca",
    "Unsupported Media Type": "Format kiriman tidak didukung",
    "Unsupported evidence type": "Jenis berkas bukti tidak didukung",
    "Idempotency-Key reused": "Kiriman ganda dengan isi berbeda",
    "Service unavailable": "Layanan sedang tidak tersedia",
    "Internal error": "Terjadi kesalahan di server",
    "URI Too Long": "Alamat terlalu panjang",
    "Cross-site request refused": "Kiriman dari situs lain ditolak",
    "Bad Request": "Permintaan tidak valid",
    "Not Found": "Tidak ditemukan",
    "Method Not Allowed": "Metode tidak diizinkan",
    "Request Entity Too Large": "Kiriman terlalu besar",
    "Content Too Large": "Kiriman terlalu besar",
    "Unprocessable Entity": "Isian tidak valid",
    "Unprocessable Content": "Isian tidak valid",
}
T = tuple[str, str]
MESSAGES: tuple[T, ...] = (
    # intake's own texts (validation.py, problems.py, edge.py, api.py)
    (r"One or more fields are invalid; see errors\.", "Ada isian yang perlu diperbaiki; lihat keterangan di tiap isian."),
    (r"NIP must be exactly 18 digits\.", "NIP harus tepat 18 angka."),
    (r"Not a valid phone number\.", "Nomor telepon tidak valid: gunakan angka, boleh diawali +."),
    (r"Unknown region code.*", "Wilayah tidak dikenal: pilih provinsi atau kabupaten/kota dari daftar."),
    (r"Required unless employer_level is pusat\.",
     "Wajib diisi, kecuali ASN bekerja di instansi pusat: pilih provinsi atau kabupaten/kota."),
    (r"You must declare that the report is true\.", "Centang pernyataan bahwa laporan ini benar."),
    (r"Missing the complaint part\.", "Bagian pengaduan tidak ada dalam kiriman."),
    (r"Attach at least one evidence file or give one violation\.post_urls entry\.",
     "Lampirkan minimal satu berkas bukti atau isi satu tautan unggahan."),
    (r"At most (\d+) evidence files\.", r"Paling banyak \1 berkas bukti."),
    (r"The file is empty\.", "Berkas ini kosong."),
    (r"Not a PNG, JPEG, WebP, GIF or PDF file.*",
     "Bukan berkas PNG, JPEG, WebP, GIF, atau PDF (dinilai dari isinya, bukan namanya)."),
    (r"Evidence must be PNG, JPEG, WebP, GIF or PDF\.", "Bukti harus berupa berkas PNG, JPEG, WebP, GIF, atau PDF."),
    (r"Contains control, bidirectional-override or invalid Unicode characters; remove them\.",
     "Berisi karakter kendali atau karakter tak terlihat; hapus karakter tersebut."),
    (r"Cannot be in the future\.", "Tanggal tidak boleh setelah hari ini."),
    (r"Already used for a different request\.", "Sudah dipakai untuk kiriman lain."),
    (r"This Idempotency-Key was already used for a different request\.",
     "Kunci kiriman ini sudah dipakai untuk pengaduan lain. Muat ulang halaman lalu kirim lagi."),
    (r"The complaint document is nested too deeply\.", "Dokumen pengaduan bertingkat terlalu dalam."),
    (r"The complaint is not valid JSON.*", "Dokumen pengaduan bukan JSON yang valid."),
    (r"Send application/json or multipart/form-data with a complaint part\.",
     "Kirim sebagai application/json atau multipart/form-data dengan bagian complaint."),
    (r"Storage is unavailable; retry shortly \((\w+)\)\.",
     r"Penyimpanan sedang tidak tersedia. Pengaduan belum diterima; coba lagi sebentar lagi (kode \1)."),
    (r"The complaint was not accepted; retry shortly \((\w+)\)\.",
     r"Pengaduan belum diterima; coba lagi sebentar lagi (kode \1)."),
    (r"The address is longer than (\d+) characters\.", r"Alamat lebih panjang dari \1 karakter."),
    (r"Complaints are accepted from Netra's own form.*",
     "Pengaduan hanya diterima dari formulir Netra sendiri atau dari klien API, bukan dari formulir situs lain."),
    (r"Idempotency-Key must be 1 to 200 visible ASCII characters\.",
     "Idempotency-Key harus 1 sampai 200 karakter ASCII yang terlihat."),
    (r"No complaint with this tracking code and receipt\.",
     "Tidak ada pengaduan dengan kode pelacakan dan tanda terima ini."),
    (r"The data value transmitted exceeds the capacity limit\.", "Kiriman melebihi batas ukuran."),
    # marshmallow's default messages
    (r"Missing data for required field\.", "Wajib diisi."),
    (r"Field may not be null\.", "Wajib diisi."),
    (r"Unknown field\.", "Isian tidak dikenal."),
    (r"Invalid input type\.", "Jenis isian tidak valid."),
    (r"Not a valid string\.", "Harus berupa teks."),
    (r"Not a valid email address\.", "Alamat email tidak valid."),
    (r"Not a valid URL\.", "Tautan tidak valid: harus diawali http:// atau https://."),
    (r"Not a valid date\.", "Tanggal tidak valid."),
    (r"Not a valid boolean\.", "Harus ya atau tidak."),
    (r"Not a valid list\.", "Harus berupa daftar."),
    (r"Not a valid mapping type\.", "Harus berupa objek."),
    (r"Must be one of: .*", "Pilih salah satu pilihan yang tersedia."),
    (r"Shorter than minimum length (\d+)\.", r"Terlalu pendek: minimal \1 karakter."),
    (r"Longer than maximum length (\d+)\.", r"Terlalu panjang: maksimal \1 karakter."),
    (r"Length must be between (\d+) and (\d+)\.", r"Panjang harus antara \1 dan \2 karakter."),
    (r"Must be equal to .*", "Nilai ini tidak sesuai."),
)
FALLBACK_TITLE = "Permintaan tidak dapat diproses"
FALLBACK_MESSAGE = "Isian ini tidak valid."
_COMPILED = tuple((re.compile(pattern), replacement) for pattern, replacement in MESSAGES)
_INDONESIAN = re.compile(r"\b(silakan|coba|tidak|harus|wajib|pengaduan|terlalu)\b", re.IGNORECASE)


def wanted_language() -> str:
    """`id` when the client asks for Bahasa Indonesia before English, otherwise `en`."""
    if not has_request_context():
        return "en"
    return request.accept_languages.best_match(LANGUAGES, default="en")


def title_in(title: str, lang: str) -> str:
    if lang != "id" or _INDONESIAN.search(title):
        return title
    return TITLES.get(title, FALLBACK_TITLE)


def message_in(message: str, lang: str) -> str:
    if lang != "id" or _INDONESIAN.search(message):
        return message
    for pattern, replacement in _COMPILED:
        if pattern.fullmatch(message):
            return pattern.sub(replacement, message)
    return FALLBACK_MESSAGE


def errors_in(errors: dict[str, list[str]], lang: str) -> dict[str, list[str]]:
    return {field: [message_in(m, lang) for m in messages] for field, messages in errors.items()}
