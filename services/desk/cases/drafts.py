"""What an officer typed into a form that could not be accepted because the session had ended: kept in the
officer's own session cookie (signed, sent only to the desk over its cookie path) until the page it came from
is shown again after the next login, then put back into the form and forgotten.

Secrets are never kept (passwords, codes), and a draft too long for a cookie is not kept either: the page
that says the session ended then shows it, to be copied.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import g, request, session, url_for

from ..accounts.landing import safe_next

KEY = "draft"
NOT_KEPT = ("csrf_token", "password", "confirm", "current", "code", "next", "username")
# A browser drops a cookie over 4 KB; the session's own keys and the signature need the rest.
MAX_CHARACTERS = 2500


def typed_fields(form) -> dict[str, str]:
    return {name: value for name, value in form.items() if name not in NOT_KEPT and value.strip()}


def stash(form, page: str) -> bool:
    """Keeps the typed fields for `page`; False when they are too long to keep (nothing is kept then)."""
    if not from_a_desk_form():
        return True  # nothing of ours to keep
    fields = typed_fields(form)
    if sum(len(name) + len(value) for name, value in fields.items()) > MAX_CHARACTERS:
        return False
    if fields:
        session[KEY] = {"page": page, "fields": fields}
    return True


def carried(values: dict) -> dict:
    """The draft, if any, to keep across a login step that starts the session afresh."""
    return {KEY: values[KEY]} if KEY in values else {}


def typed(name: str) -> str:
    """In a template: what was typed into field `name` of this page before the session ended, once."""
    if "draft_fields" not in g:
        draft = session.get(KEY)
        g.draft_fields = {}
        if draft and draft.get("page", "").split("?")[0] == request.path and "account_id" in session:
            g.draft_fields = session.pop(KEY)["fields"]
    return g.draft_fields.get(name, "")


def from_a_desk_form() -> bool:
    """A form one of the desk's pages served (it has a token field, and its Referer is a desk page of this
    host): only such a form is kept, so no other site can fill an officer's form."""
    return "csrf_token" in request.form and _referring_page() is not None


def form_page() -> str:
    """The desk page a posted form was on, else the case list: the page to return to, never the address
    the form posts to."""
    return _referring_page() or url_for("pages.cases")


def _referring_page() -> str | None:
    parts = urlsplit(request.referrer or "")
    page = parts.path + (f"?{parts.query}" if parts.query else "")
    return safe_next(page) if parts.netloc == request.host else None
