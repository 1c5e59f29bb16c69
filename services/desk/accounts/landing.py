"""Where a login lands: the desk page the officer asked for (a case link from a unit's mail), if it is one.

Only a path inside the desk is followed; anything else (another site, `//host`, a scheme, a backslash that
some browsers read as a slash, control characters) is dropped, so `next` can never redirect off the desk.
"""
from __future__ import annotations

from urllib.parse import urlsplit

DESK_PREFIX = "/desk/"


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path within the desk, else None."""
    if not target or not target.startswith(DESK_PREFIX) or "\\" in target:
        return None
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith(DESK_PREFIX) or "/../" in parts.path + "/":
        return None
    return target
