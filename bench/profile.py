"""py-spy on every process of a system while the load runs: where each service spends its CPU.

`py-spy record --subprocesses --format raw` samples each root process and its children (gunicorn's
workers, Celery's pool) 100 times a second without pausing them (`--nonblocking`), idle threads left out.
Each service's samples go to `<dir>/<system>-<service>.txt` as collapsed stacks (flamegraph.pl and
speedscope read them), and `top()` reduces them to the functions where the samples were taken (self time),
and to the project's own functions with everything they called (total time).
"""
from __future__ import annotations

import re
import signal
import subprocess
import sys
from collections import Counter
from contextlib import contextmanager
from itertools import zip_longest
from pathlib import Path

PY_SPY = Path(sys.executable).parent / "py-spy"
FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^():]*)(?::\d+)?\)$")


@contextmanager
def recording(roots: dict[str, list[int]], out_dir: Path, label: str):
    """py-spy on each root pid for as long as the block runs; yields {service: [files]}."""
    out_dir.mkdir(parents=True, exist_ok=True)
    spies, files = [], {}
    for service, pids in roots.items():
        for n, pid in enumerate(pids):
            out = out_dir / f"{label}-{service}{'-' + str(n + 1) if n else ''}.txt"
            files.setdefault(service, []).append(out)
            spies.append(subprocess.Popen([str(PY_SPY), "record", "--pid", str(pid), "--subprocesses", "--rate", "100",
                                           "--nonblocking", "--format", "raw", "--output", str(out)],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    try:
        yield files
    finally:
        for spy in spies:
            spy.send_signal(signal.SIGINT)  # py-spy writes its file when interrupted
        for spy in spies:
            spy.wait(60)


def collapsed(files: list[Path]) -> Counter:
    """Sample counts per stack (frames outermost first) over one service's files."""
    stacks: Counter = Counter()
    for path in files:
        if not path.exists():
            continue
        for line in path.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if count.isdigit():
                stacks[tuple(stack.split(";"))] += int(count)
    return stacks


def short(frame: str) -> str:
    """`function (file)` with the file shortened to what names it: the package path inside site-packages."""
    match = FRAME.match(frame)
    if not match:
        return frame
    path = match["file"]
    for marker in ("site-packages/", "lib/python3.11/", "/services/", "/bench/"):
        if marker in path:
            path = marker.lstrip("/") * marker.startswith("/") + path.split(marker, 1)[1]
            break
    return f"{match['function']} ({path})"


def top(stacks: Counter, n: int = 10) -> list[tuple[str, float]]:
    """The n leaf functions holding the most samples, each with its share of the service's samples."""
    total = sum(stacks.values()) or 1
    leaves: Counter = Counter()
    for stack, count in stacks.items():
        leaves[short(stack[-1])] += count
    return [(name, round(100 * count / total, 1)) for name, count in leaves.most_common(n)]


def top_own(stacks: Counter, n: int = 10, own: str = "services/") -> list[tuple[str, float]]:
    """The n project functions whose calls (everything under them) hold the most samples."""
    total = sum(stacks.values()) or 1
    inclusive: Counter = Counter()
    for stack, count in stacks.items():
        for name in {short(frame) for frame in stack if own in frame}:
            inclusive[name] += count
    return [(name, round(100 * count / total, 1)) for name, count in inclusive.most_common(n)]


def report(label: str, files: dict[str, list[Path]], n: int = 10) -> str:
    """Markdown: per service, its samples, then the top leaf functions and the top project functions."""
    parts = [f"### Profiles: {label}"]
    for service, paths in sorted(files.items()):
        stacks = collapsed(paths)
        parts.append(f"\n**{service}** ({sum(stacks.values())} samples)\n\n| self | % | own code, with callees | % |\n"
                     "|---|---|---|---|")
        rows = list(zip_longest(top(stacks, n), top_own(stacks, n), fillvalue=("", "")))
        parts += [f"| {a} | {pa} | {b} | {pb} |" for (a, pa), (b, pb) in rows]
    return "\n".join(parts)


def around_load(out_dir: Path):
    """For measure.run: each system's load recorded, and its summary appended to <out_dir>/profiles.md."""
    @contextmanager
    def profiled(system):
        label = f"{system.name} ({system.workers})"
        with recording(system.roots(), out_dir, re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")) as files:
            yield
        with open(out_dir / "profiles.md", "a") as summary:
            summary.write(report(label, files) + "\n\n")
    return profiled
