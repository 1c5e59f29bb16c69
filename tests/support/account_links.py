"""Finding the one-time link a test's own action mailed: the shared mailbox holds every run's mail, so a link
counts only when its token is one the test's database stored (as a SHA-256)."""
from __future__ import annotations

import hashlib
import re
import time

from tests.support.desk import SECRET, FlaskBrowser, fresh_code, token
from tests.support.servers import body_text

CODES = re.compile(r'<li class="hash">([a-z2-9]{5}-[a-z2-9]{5})</li>')
LINK = re.compile(r"(https?://\S+/desk/(?:undangan|masuk/atur-ulang)/([A-Za-z0-9_-]+))")


def mailed_link(mailbox, to: str, stored, timeout: float = 30) -> tuple[str, object]:
    """(link, message) of the newest mail to `to` whose token `stored(sha256)` knows."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in reversed(mailbox.matching(to)):
            for link, mailed in LINK.findall(body_text(message)):
                if stored(hashlib.sha256(mailed.encode()).hexdigest()):
                    return link, message
        time.sleep(0.2)
    raise AssertionError(f"no link for {to} within {timeout}s")


def path_of(link: str) -> str:
    return "/desk/" + link.split("/desk/", 1)[1]


def accept(app, link: str, username: str, password: str) -> tuple[FlaskBrowser, str, list[str]]:
    """Opens the invitation as the invitee: name, username, password, then the TOTP enrolment and its
    recovery codes; returns the signed-in browser, the TOTP secret and the codes."""
    browser = FlaskBrowser(app.test_client())
    page = browser.get(path_of(link))
    assert page.status_code == 200 and "Akun Meja Unit baru" in page.text
    page = browser.post(path_of(link), data={"csrf_token": token(page), "name": f"Nama {username}",
                                             "username": username, "password": password, "confirm": password})
    secret = SECRET.search(page.text).group(1)
    page = browser.post("/desk/masuk/daftar-kode", data={"csrf_token": token(page), "code": fresh_code(secret)})
    codes = CODES.findall(page.text)
    assert page.status_code == 200 and len(codes) == 8, page.text[:1500]
    return browser, secret, codes


def stored_in(app):
    """The app's test: is this SHA-256 a link the desk stored?"""
    return lambda digest: app.extensions["netra.desk"].accounts.link(digest) is not None
