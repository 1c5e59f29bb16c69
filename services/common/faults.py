"""Named points where the fault-injection suite can kill a process; inert unless NETRA_FAULT_KILL is set.

NETRA_FAULT_KILL="<point>:<n>[,<point>:<n>...]" kills the process with SIGKILL the n-th time it passes
<point>, the way a power cut or the OOM killer would: no cleanup, no ack, no rollback.
Points: `before_ack:<queue>` (a handler's side effect is done, its message not yet acked) and
`relay_after_publish` (a batch is confirmed by the broker, its outbox rows not yet marked).
"""
from __future__ import annotations

import os
import signal
from collections import Counter

_passes: Counter = Counter()


def _targets() -> dict[str, int]:
    spec = os.environ.get("NETRA_FAULT_KILL", "")
    targets = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        point, _, count = item.rpartition(":")
        targets[point] = int(count)
    return targets


_TARGETS = _targets()


def fault_point(name: str) -> None:
    if name not in _TARGETS:
        return
    _passes[name] += 1
    if _passes[name] == _TARGETS[name]:
        os.kill(os.getpid(), signal.SIGKILL)
