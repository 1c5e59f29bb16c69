"""The architecture picture in docs/architecture.md, generated from the code and the event contract.

Services and queues come from `services.topology.all_queues` (what each consumer binds); who produces each
event comes from the examples in docs/events/*.json. `python scripts/architecture_diagram.py` rewrites the
Mermaid block between the markers; tests/unit/test_architecture_diagram.py fails when they disagree.
"""
from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from services.common.settings import CommonSettings  # noqa: E402
from services.topology import all_queues  # noqa: E402

DOC = ROOT / "docs" / "architecture.md"
EXAMPLES = ROOT / "docs" / "events"
BEGIN, END = "<!-- diagram:begin (scripts/architecture_diagram.py) -->", "<!-- diagram:end -->"
FOLDERS_BEGIN, FOLDERS_END = "<!-- folders:begin (scripts/architecture_diagram.py) -->", "<!-- folders:end -->"
SERVICES = ROOT / "services"
NOT_CODE = {"migrations", "templates", "static", "data", "__pycache__"}
# What happens outside the bus: who speaks HTTP or SMTP to whom.
OUTSIDE = (
    ("citizen", "HTTP", "intake"),
    ("notify", "SMTP", "unit"),
    ("unit", "HTTPS", "desk"),
)
PEOPLE = ("citizen", "unit")


def producers() -> dict[str, str]:
    """Event type -> the service that emits it, as the contract's examples say."""
    found = {}
    for path in sorted(EXAMPLES.glob("*.json")):
        event = json.loads(path.read_text(encoding="utf-8"))
        found[event["event_type"]] = event["producer"]
    return found


def consumers() -> list[tuple[str, str, tuple[str, ...]]]:
    """(service, queue, event types) for every queue the topology declares."""
    return [(spec.name.split(".")[0], spec.name, spec.event_types) for spec in all_queues(CommonSettings())]


def node(name: str) -> str:
    return name.replace(".", "_").replace("-", "_")


def render() -> str:
    made_by = producers()
    lines = ["```mermaid", "flowchart LR"]
    services = sorted({s for s, _, _ in consumers()} | set(made_by.values())
                      | {a for a, _, _ in OUTSIDE} | {b for _, _, b in OUTSIDE})
    for name in services:
        lines.append(f"  {node(name)}(({name}))" if name in PEOPLE else f"  {node(name)}[{name}]")
    for source, protocol, target in OUTSIDE:
        lines.append(f"  {node(source)} -. {protocol} .-> {node(target)}")
    for service, queue, event_types in consumers():
        lines.append(f"  q_{node(queue)}[[{queue}]] --> {node(service)}")
        for event_type in event_types:
            producer = made_by.get(event_type, "unknown_producer")
            lines.append(f"  {node(producer)} -- {event_type} --> q_{node(queue)}")
    lines.append("```")
    return "\n".join(lines)


def summary(package: Path) -> str:
    """The first sentence of a folder's __init__.py docstring."""
    doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8"))) or ""
    return doc.split("\n")[0]


def modules(folder: Path) -> str:
    return ", ".join(f"`{p.stem}`" for p in sorted(folder.glob("*.py")) if p.stem != "__init__")


def folders() -> str:
    """Every service's folder and feature folders, each with what it holds, read from the tree."""
    lines = ["| folder | what it holds | modules |", "|---|---|---|"]
    for service in sorted(p for p in SERVICES.iterdir() if (p / "__init__.py").exists()):
        for folder in [service] + sorted(p for p in service.iterdir()
                                         if p.is_dir() and p.name not in NOT_CODE and (p / "__init__.py").exists()):
            place = folder.relative_to(ROOT).as_posix() + "/"
            lines.append(f"| `{place}` | {summary(folder)} | {modules(folder)} |")
    return "\n".join(lines)


def unproduced() -> list[str]:
    """Event types a queue consumes that no example documents."""
    made_by = producers()
    return sorted({t for _, _, types in consumers() for t in types if t not in made_by})


def current_block(text: str, begin: str = BEGIN, end: str = END) -> str:
    start, stop = text.index(begin) + len(begin), text.index(end)
    return text[start:stop].strip()


def replaced(text: str, begin: str, end: str, block: str) -> str:
    start, stop = text.index(begin) + len(begin), text.index(end)
    return text[:start] + "\n" + block + "\n" + text[stop:]


def write() -> None:
    text = DOC.read_text(encoding="utf-8")
    text = replaced(text, BEGIN, END, render())
    DOC.write_text(replaced(text, FOLDERS_BEGIN, FOLDERS_END, folders()), encoding="utf-8")


if __name__ == "__main__":
    write()
    print(f"wrote the diagram and the folders into {DOC.relative_to(ROOT)}")
