"""The tests' mailbox reader sees only mail that arrived while its test process ran."""
from __future__ import annotations

import time

from tests.support.servers import Mailbox, arrived_ns


def _mail(folder, stamp: int, subject: str) -> None:
    (folder / f"{stamp}-abcd1234.eml").write_bytes(f"Subject: {subject}\r\n\r\nbody\r\n".encode())


def test_mail_older_than_the_reader_is_skipped_unread(tmp_path):
    now = time.time_ns()
    _mail(tmp_path, now - 10**9, "before NTR-AAAA-AAAA")
    (tmp_path / f"{now - 1}-unreadable.eml").mkdir()  # reading it would raise: it is skipped by its name
    _mail(tmp_path, now + 1, "after NTR-AAAA-AAAA")

    mailbox = Mailbox(tmp_path, since_ns=now)

    assert [m["Subject"] for m in mailbox.matching("NTR-AAAA-AAAA")] == ["after NTR-AAAA-AAAA"]
    _mail(tmp_path, now + 2, "later NTR-AAAA-AAAA")
    assert len(mailbox.wait_for("NTR-AAAA-AAAA", count=2, timeout=5)) == 2


def test_a_name_without_an_arrival_stamp_counts_as_oldest():
    assert arrived_ns("1732262400000000000-ab12cd34.eml") == 1732262400000000000
    assert arrived_ns("notes.eml") == 0
