"""The fault suite's pipeline: the real services as processes, a switchable SMTP server, a checker.

CI runs every scenario at CI size; NETRA_FAULT_COMPLAINTS sets the stream size for a full run.
"""
import json
import os
import threading
import time
from dataclasses import dataclass, field
from itertools import cycle

import requests

from tests.support.checker import Checker, report_line
from tests.support.complaints import complaint, png_bytes
from tests.support.smtp_switch import SmtpSwitch
from tests.support.system import ROOT

COMPLAINTS = int(os.environ.get("NETRA_FAULT_COMPLAINTS", "30"))
REPORT = ROOT / "var" / "log" / "faults-report.jsonl"
REGIONS = cycle([("14.03", "kabupaten_kota"), ("19", "provinsi"), ("52", "provinsi"), ("31", "provinsi"),
                 ("62.10", "kabupaten_kota")])
RESULTS: list[str] = []  # one report line per scenario, printed at the end of the run


@dataclass
class Pipeline:
    system: object
    smtp: SmtpSwitch
    checker: Checker
    refusals: list = field(default_factory=list)  # what each refused request got: a status or an exception
    regions: dict = field(default_factory=dict)  # tracking code -> region code of every accepted complaint
    threads: list = field(default_factory=list)
    checker_done: threading.Event = field(default_factory=threading.Event)

    @property
    def refused(self) -> int:
        return len(self.refusals)

    def submit_one(self, index: int, headers: dict | None = None, document: dict | None = None) -> dict | None:
        region, level = next(REGIONS)
        document = document or complaint(region_code=region, employer_level=level)
        files = [("evidence", ("bukti.png", png_bytes(index % 250), "image/png"))]
        try:
            answer = requests.post(f"{self.system.api}/complaints", data={"complaint": json.dumps(document)},
                                   files=files, headers=headers or {}, timeout=30)
        except requests.RequestException as exc:
            answer = exc
        if isinstance(answer, requests.Response) and answer.status_code == 202:
            code = answer.json()["tracking_code"]
            self.regions[code] = document["subject"]["region_code"]
            self.checker.accepted.add(code)
            return answer.json()
        self.refusals.append(getattr(answer, "status_code", None) or type(answer).__name__)
        return None

    def sentinel(self) -> str | None:
        """One more complaint, sent once every other one is resolved (see Checker.settle)."""
        for attempt in range(30):
            # Bengkalis: a region whose unit no scenario makes fail
            answer = self.submit_one(10_000 + attempt, document=complaint(region_code="14.03",
                                                                          employer_level="kabupaten_kota"))
            if answer is not None:
                return answer["tracking_code"]
            self.refusals.pop()  # not a refusal of the stream's: the sentinel tries again
            time.sleep(1)
        return None

    def stream(self, count: int = COMPLAINTS, per_second: float = 10) -> threading.Thread:
        """Submits in the background at a steady pace, as citizens would."""
        def run():
            for index in range(count):
                self.submit_one(index)
                time.sleep(1 / per_second)
        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        self.threads.append(thread)
        return thread

    def supervise(self) -> None:
        """Restarts services that die, as docker-compose's restart policy would."""
        def run():
            while not self.checker_done.is_set():
                self.system.revive_dead()
                time.sleep(0.5)
        threading.Thread(target=run, daemon=True).start()

    def wait_streams(self) -> None:
        for thread in self.threads:
            thread.join(300)

    def settle_and_check(self, scenario: str, started: float, timeout: float = 240, **extra):
        self.wait_streams()
        outcome = self.checker.settle(started, timeout, sentinel=self.sentinel)
        self.checker_done.set()
        line = report_line(scenario, outcome, refused=self.refused, restarts=self.system.restarts, sentinel=1,
                           **extra)
        REPORT.parent.mkdir(parents=True, exist_ok=True)
        with REPORT.open("a") as report:
            report.write(line + "\n")
        RESULTS.append(line)
        assert outcome.lost == [], f"lost: {outcome.lost}"
        assert outcome.duplicated == {}, f"duplicated: {outcome.duplicated}"
        return outcome
