"""An SMTP server whose answer the fault suite switches: accept, refuse connections, 4xx or 5xx.

Accepted mail is kept as .eml files in a folder of its own, like deploy/mailbox.py does.
"""
from __future__ import annotations

import time
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller

ANSWERS = {"tempfail": "451 4.3.0 Mailbox temporarily unavailable", "permfail": "550 5.1.1 Mailbox unknown"}


class SwitchHandler:
    def __init__(self, folder: Path):
        self.folder = folder
        self.mode = "accept"
        self.always_tempfail: set[str] = set()  # recipients that are never accepted

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.always_tempfail or self.mode != "accept":
            return ANSWERS["permfail" if self.mode == "permfail" else "tempfail"]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.eml"
        tmp = self.folder / f".{name}.tmp"
        tmp.write_bytes(f"X-Netra-Rcpt-To: {', '.join(envelope.rcpt_tos)}\r\n".encode() + envelope.original_content)
        tmp.rename(self.folder / name)
        return "250 Message accepted for delivery"


class SmtpSwitch:
    def __init__(self, folder: Path, port: int):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder, self.port = folder, port
        self.handler = SwitchHandler(folder)
        self._controller: Controller | None = None

    def up(self) -> None:
        if self._controller is None:
            self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
            self._controller.start()

    def down(self) -> None:
        """Connections are refused, as when the mail server is stopped."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def answer(self, mode: str) -> None:
        self.up()
        self.handler.mode = mode
