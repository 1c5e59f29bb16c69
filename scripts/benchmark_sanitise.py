"""CPU cost of sanitising evidence: `python scripts/benchmark_sanitise.py [--files 50]`.

Sanitises screenshots of about 512 KB (PNG and JPEG, 1366 x 768) and, for comparison, decodes and re-encodes
the same pictures with Pillow, the obvious alternative; prints CPU milliseconds per file (time.process_time)
and appends a JSON line to var/bench/sanitise.jsonl.
"""
from __future__ import annotations

import argparse
import io
import json
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from services.evidence.sanitise import sanitise  # noqa: E402
from tests.support.hostile import screenshot  # noqa: E402

FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG"}


def cpu_ms_per_file(work, files: list[bytes]) -> float:
    start = time.process_time()
    for data in files:
        work(data)
    return (time.process_time() - start) * 1000 / len(files)


def reencode(data: bytes, media_type: str) -> bytes:
    out = io.BytesIO()
    Image.open(io.BytesIO(data)).save(out, FORMATS[media_type])
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=50)
    args = parser.parse_args()
    result = {"at": datetime.now(timezone.utc).isoformat(), "files": args.files}
    for media_type in FORMATS:
        files = [screenshot(seed % 10, media_type) for seed in range(args.files)]
        result[media_type] = {
            "average_kb": round(sum(map(len, files)) / len(files) / 1024),
            "sanitise_ms": round(cpu_ms_per_file(lambda d, kind=media_type: sanitise(d, kind), files), 2),
            "pillow_reencode_ms": round(cpu_ms_per_file(lambda d, kind=media_type: reencode(d, kind), files), 2),
        }
        print(f"{media_type}: {result[media_type]}")
    out = ROOT / "var" / "bench" / "sanitise.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("a") as results:
        results.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
