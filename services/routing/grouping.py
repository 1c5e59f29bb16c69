"""The same act, reported many times: which earlier case a new one belongs with.

A complaint's fingerprint is what identifies the act it reports: the post's normalised URL, the SHA-256 of
each screenshot, each screenshot's perceptual hash (evidence computes it; a resized or re-encoded copy of
the same screenshot lands within a few bits), and the subject's NIP. A new case joins the group of the
earliest case of the same unit, within the window, that shares any of them; the unit then sees one group
with its count, and each reporter keeps their own case, tracking code and timeline.
"""
from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

POST_URL, SHA256, PHASH, NIP = "post_url", "sha256", "phash", "nip"
EXACT_KINDS = (POST_URL, SHA256, NIP)
# Query parameters that name the post itself on the platforms citizens report from; every other
# parameter (tracking, sharing, language) is dropped.
IDENTIFYING_PARAMETERS = {"v", "id", "story_fbid", "fbid", "p", "list"}
MOBILE_HOSTS = ("www.", "m.", "mobile.", "web.", "mbasic.")


@dataclass(frozen=True)
class GroupPolicy:
    """How far back, and how close two perceptual hashes must be, to count as the same act."""
    window: timedelta
    phash_distance: int

    @property
    def enabled(self) -> bool:
        return self.window > timedelta(0)


@dataclass(frozen=True)
class Match:
    group_id: str
    lead_case_id: str
    lead_tracking_code: str
    matched_on: tuple[str, ...]


def normalise_url(url: str) -> str:
    """One spelling per post: lower-case host without www./m., no fragment, no tracking parameters."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    for prefix in MOBILE_HOSTS:
        if host.startswith(prefix):
            host = host[len(prefix):]
            break
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if k in IDENTIFYING_PARAMETERS))
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", host, path, query, ""))


def fingerprint(archived: dict) -> list[tuple[str, str]]:
    """(kind, value) pairs that identify the reported act; phash values are compared by distance."""
    keys = {(POST_URL, normalise_url(url)) for url in archived["violation"].get("post_urls") or [] if url}
    for item in archived.get("files") or []:
        keys.add((SHA256, item["sha256"]))
        if item.get("phash"):
            keys.add((PHASH, item["phash"]))
    if nip := (archived["subject"].get("nip") or "").strip():
        keys.add((NIP, nip))
    return sorted(keys)


def is_hex(value: str) -> bool:
    return bool(value) and all(c in string.hexdigits for c in value)


def hamming(left: str, right: str) -> int:
    return bin(int(left, 16) ^ int(right, 16)).count("1")


def close_enough(kind: str, wanted: str, found: str, policy: GroupPolicy) -> bool:
    if kind == PHASH:
        return (len(wanted) == len(found) and is_hex(wanted) and is_hex(found)
                and hamming(wanted, found) <= policy.phash_distance)
    return wanted == found


def group_payload(case_id: str, tracking_code: str, match: Match | None, size: int) -> dict:
    """What case.routed says of the group: codes and counts, no reporter, nothing a unit must not see."""
    if match is None:
        return {"group_id": case_id, "lead_case_id": case_id, "lead_tracking_code": tracking_code,
                "size": 1, "matched_on": []}
    return {"group_id": match.group_id, "lead_case_id": match.lead_case_id,
            "lead_tracking_code": match.lead_tracking_code, "size": size, "matched_on": list(match.matched_on)}
