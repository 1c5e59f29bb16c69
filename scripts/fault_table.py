"""The reliability table of a fault run: one row per scenario from var/log/faults-report.jsonl.

    .venv/bin/python scripts/fault_table.py var/log/faults-report.jsonl

"complaints" counts the complaints the scenario's clients got a 202 for, without the sentinel that each
scenario sends last to prove nothing more is on its way.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def rows(lines: list[dict]) -> list[str]:
    table = ["| scenario | complaints | mailed once | parked | lost | duplicated | settled in |",
             "|---|---|---|---|---|---|---|"]
    for line in lines:
        complaints = line["accepted"] - line.get("sentinel", 0)
        table.append(f"| {line['scenario']} | {complaints:,} | {line['mailed_once'] - line.get('sentinel', 0):,} "
                     f"| {line['parked']} | {line['lost']} | {line['duplicated']} | {line['settled_in_s']} s |")
    total = sum(line["accepted"] - line.get("sentinel", 0) for line in lines)
    lost = sum(line["lost"] for line in lines)
    duplicated = sum(line["duplicated"] for line in lines)
    table.append(f"| **all** | **{total:,}** | | | **{lost}** | **{duplicated}** | |")
    return table


def main(path: str) -> None:
    lines = [json.loads(text) for text in Path(path).read_text().splitlines() if text.strip()]
    print("\n".join(rows(lines)))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "var/log/faults-report.jsonl")
