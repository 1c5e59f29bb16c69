"""Codes and their words, read once from data/vocabulary.yaml.

`label("categories", "alat_peraga")` is the Bahasa Indonesia label; `lang="en"` the English one. An
unknown code reads as itself, so a code added upstream never hides a case.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

VOCABULARY_FILE = Path(__file__).resolve().parent / "data" / "vocabulary.yaml"
LANGUAGES = ("id", "en")


@cache
def _vocabulary() -> dict[str, dict[str, dict[str, str]]]:
    return yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))


def kinds() -> list[str]:
    return list(_vocabulary())


def codes(kind: str) -> tuple[str, ...]:
    return tuple(_vocabulary()[kind])


def label(kind: str, code: str | None, lang: str = "id") -> str:
    entry = _vocabulary()[kind].get(code or "")
    return entry.get(lang) or entry["id"] if entry else (code or "-")


def labels(kind: str, lang: str = "id") -> dict[str, str]:
    return {code: label(kind, code, lang) for code in codes(kind)}


def entries(kind: str, lang: str = "id") -> list[dict[str, str]]:
    """Each code with its label, plus its example or hint where the vocabulary has one in that language."""
    found = []
    for code, entry in _vocabulary()[kind].items():
        item = {"code": code, "label": label(kind, code, lang)}
        for extra in ("example", "hint"):
            if f"{extra}_{lang}" in entry:
                item[extra] = entry[f"{extra}_{lang}"]
        found.append(item)
    return found
