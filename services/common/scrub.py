"""Scrubs values that look like personal data out of text, wherever in a log line or a reason they hide.

Key names are not enough: an exception's text, a repr of a request, or an SMTP server's answer can quote a
reporter's address. Every string that reaches a log or a parked message's reason passes through here.
"""
from __future__ import annotations

import re

_PATTERNS = (
    ("[email]", re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")),
    # NIP (18 digits) and NIK (16 digits), possibly written with spaces or dots every few digits
    ("[nip]", re.compile(r"(?<!\d)\d{8}[ .]?\d{6}[ .]?\d[ .]?\d{3}(?!\d)")),
    ("[nik]", re.compile(r"(?<!\d)\d{6}[ .]?\d{6}[ .]?\d{4}(?!\d)")),
    # Indonesian mobile numbers: +62 8xx, 62 8xx, 08xx, with spaces, dots or dashes between groups
    ("[phone]", re.compile(r"(?<![\w+])(?:\+62|62|0)[ .\-]?8\d{1,2}(?:[ .\-]?\d){6,10}(?!\d)")),
    # receipts: 8 groups of 5 Crockford characters, hyphens between the groups or none, any case
    ("[receipt]", re.compile(r"(?<![A-Za-z0-9\-])[0-9A-HJKMNP-TV-Z]{5}(?:-?[0-9A-HJKMNP-TV-Z]{5}){7}(?![A-Za-z0-9\-])",
                             re.IGNORECASE)),
    # receipts issued before those: secrets.token_urlsafe(24), exactly 32 url-safe characters standing alone
    ("[receipt]", re.compile(r"(?<![A-Za-z0-9_\-])[A-Za-z0-9_\-]{32}(?![A-Za-z0-9_\-])")),
    # IPv4 addresses other than loopback and the unspecified address
    ("[ip]", re.compile(r"(?<![\d.])(?!127\.)(?!0\.0\.0\.0)(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?![\d.])")),
)


_DIGIT = re.compile(r"\d")


def _could_hold(replacement: str, text: str) -> bool:
    """A necessary condition for the pattern to match, cheap to test: most log values (ids, queue names,
    times) fail it, and running the six patterns over every value was most of a log line's cost."""
    if replacement == "[email]":
        return "@" in text
    if replacement == "[receipt]":
        return len(text) >= 32
    if replacement == "[ip]":
        return text.count(".") >= 3
    return _DIGIT.search(text) is not None


def scrub_text(text: str) -> str:
    for replacement, pattern in _PATTERNS:
        if _could_hold(replacement, text):
            text = pattern.sub(replacement, text)
    return text


def scrub(value):
    """The same value with every string in it scrubbed; containers are walked, other values kept."""
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {key: scrub(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(scrub(item) for item in value)
    return value
