"""Every tracking code that got a 202 must end as exactly one unit email or in a parking lot."""
from __future__ import annotations

import json
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from pathlib import Path

from kombu import Connection

from services.common.brokers import broker_urls

CODE = re.compile(r"NTR-[0-9A-Z]{4}-[0-9A-Z]{4}")


@dataclass
class Outcome:
    accepted: int
    mailed: int
    parked: int
    lost: list[str]
    duplicated: dict[str, int]
    poison_parked: int
    seconds: float

    def summary(self) -> dict:
        return {"accepted": self.accepted, "mailed_once": self.mailed - len(self.duplicated),
                "parked": self.parked, "lost": len(self.lost), "duplicated": len(self.duplicated),
                "poison_parked": self.poison_parked, "settled_in_s": round(self.seconds, 1)}


@dataclass
class Checker:
    mail_dir: Path
    amqp_url: str
    parking_queues: list[str]
    accepted: set[str] = field(default_factory=set)

    def unit_mails(self) -> Counter:
        counts: Counter = Counter()
        for path in self.mail_dir.glob("*.eml"):
            mail = message_from_bytes(path.read_bytes(), policy=policy.default)
            if (mail["Message-ID"] or "").startswith("<case-"):
                counts.update(set(CODE.findall(mail["Subject"] or "")))
        return counts

    def parked(self) -> tuple[set[str], int]:
        """Tracking codes of parked messages, and how many parked messages name no complaint."""
        codes, poison = set(), 0
        with Connection(broker_urls(self.amqp_url)) as conn:
            channel = conn.channel()
            for queue in self.parking_queues:
                while (message := channel.basic_get(queue, no_ack=False)) is not None:
                    body = message.body
                    found = set(CODE.findall(body if isinstance(body, str) else body.decode("utf-8", "replace")))
                    codes |= found
                    poison += not found
            channel.close()  # unacked: every browsed message goes back to its parking queue
        return codes, poison

    def outcome(self, started: float) -> Outcome:
        mails = self.unit_mails()
        parked, poison = self.parked()
        lost = sorted(code for code in self.accepted if code not in mails and code not in parked)
        duplicated = {code: n for code, n in mails.items() if n > 1 and code in self.accepted}
        return Outcome(len(self.accepted), sum(1 for c in self.accepted if c in mails),
                       len(parked & self.accepted - set(mails)), lost, duplicated, poison,
                       time.monotonic() - started)

    def depths(self, queues: list[str]) -> dict[str, int]:
        """Messages ready in each of these queues (passive declare: nothing is created)."""
        with Connection(broker_urls(self.amqp_url)) as conn:
            channel = conn.channel()
            found = {queue: channel.queue_declare(queue=queue, passive=True).message_count for queue in queues}
            channel.close()
        return found

    def settle(self, started: float, timeout: float, sentinel=None) -> Outcome:
        """Waits until every accepted code is resolved. Then, to catch a late duplicate, `sentinel()` (which
        submits one more complaint and returns its tracking code) goes through the whole pipeline after all
        the others: once its mail is there, nothing sent before it is still on its way."""
        deadline = time.monotonic() + timeout
        while True:
            result = self.outcome(started)
            if not result.lost or time.monotonic() > deadline:
                break
            time.sleep(1)
        if sentinel is not None and not result.lost:
            code = sentinel()
            while code and code not in self.unit_mails() and time.monotonic() < deadline + 60:
                time.sleep(0.5)
        final = self.outcome(started)
        final.seconds = result.seconds
        return final


def report_line(scenario: str, outcome: Outcome, **extra) -> str:
    return json.dumps({"scenario": scenario, **outcome.summary(), **extra})
