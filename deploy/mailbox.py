"""A real SMTP server on loopback that keeps every message it accepts as one .eml file in a folder.

Used by the local run and the test suite in place of a relay: tests read the folder to see what units
and reporters received. `NETRA_MAILBOX_DIR` names the folder; by default it is one folder per port for
the whole machine (/var/tmp/netra/mail-<port>), so whichever checkout started the server, every reader on
the machine finds its mail in the same place.
"""
from __future__ import annotations

import argparse
import os
import signal
import threading
import time
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller


class FolderHandler:
    def __init__(self, folder: Path):
        self.folder = folder

    async def handle_DATA(self, server, session, envelope):
        name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.eml"
        tmp = self.folder / f".{name}.tmp"
        rcpts = ", ".join(envelope.rcpt_tos)
        tmp.write_bytes(f"X-Netra-Rcpt-To: {rcpts}\r\n".encode() + envelope.original_content)
        tmp.rename(self.folder / name)  # readers never see half a message
        return "250 Message accepted for delivery"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default=os.environ.get("NETRA_SMTP_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("NETRA_SMTP_PORT", "1025")))
    parser.add_argument("--dir", default=os.environ.get("NETRA_MAILBOX_DIR"))
    args = parser.parse_args()
    args.dir = args.dir or f"/var/tmp/netra/mail-{args.port}"
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    controller = Controller(FolderHandler(folder), hostname=args.host, port=args.port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print(f"mailbox listening on {args.host}:{args.port}, writing to {folder}", flush=True)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
