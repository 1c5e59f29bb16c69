"""Every file, module and command that README.md and docs/*.md name must exist (the static gate, deploy/gate.sh).

Checked: repository paths (`services/...`, `deploy/...`, `tests/...::test_name`, relative links), Python
modules and their attributes (`services.a.b`, `python -m services.a.b`, `services.a.app:create_app()`), and
the subcommand after a module or script (`python -m services.notify.cli purge-contacts`, `deploy/run-local.sh
stop`), which must appear in that module's or script's source. Prints each broken name with its place; exits 1
if there is one.
"""
from __future__ import annotations

import importlib
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted((ROOT / "services").glob("*/README.md"))]
TOP_DIRS = ("services", "deploy", "scripts", "tests", "docs", "bench", "requirements", ".ci")
TOP_FILES = ("docker-compose.yml", "pyproject.toml", "README.md")
PATH = re.compile(rf"(?<![\w./-])(?:(?:{'|'.join(re.escape(d) for d in TOP_DIRS)})/[\w./*{{}},-]*|"
                  rf"{'|'.join(re.escape(f) for f in TOP_FILES)})(?:::\w+)?")
MODULE = re.compile(r"(?<![\w./-])services(?:\.\w+)+(?::\w+)?")
LINK = re.compile(r"\]\(([^)\s]+)\)")
CODE = re.compile(r"`([^`\n]+)`")
RUNS = re.compile(r"(?:-m\s+(services(?:\.\w+)+)|((?:deploy|scripts|\.ci)/[\w./-]+))\s+([a-z][a-z-]+)(?![\w./-])")


def code_texts(text: str) -> list[str]:
    """Code spans and the lines of fenced blocks: where commands are written."""
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", text, flags=re.S | re.M)
    return CODE.findall(re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)) + \
        [line for block in blocks for line in block.splitlines()]


def broken_path(name: str, line: str) -> str | None:
    path, _, test = name.rstrip(".,;:").partition("::")
    if "kubectl" in line and re.fullmatch(r"deploy/[\w-]+", path):
        return None  # kubectl's deploy/NAME is a Deployment
    if "*" in path or "{" in path:
        return None if list(ROOT.glob(path.replace("{", "").replace("}", ""))) or _brace_paths_exist(path) \
            else f"no file matches {path}"
    if not (ROOT / path).exists() and not made_at_run_time(path):
        return f"{path} does not exist"
    if test and not re.search(rf"^(?:async )?def {re.escape(test)}\b", (ROOT / path).read_text(), flags=re.M):
        return f"{path} has no {test}"
    return None


def made_at_run_time(path: str) -> bool:
    """A file git ignores, in a folder that exists (deploy/secrets/: deploy/make_secrets.py writes them)."""
    ignored = subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT).returncode == 0
    return ignored and (ROOT / path).parent.is_dir()


def _brace_paths_exist(path: str) -> bool:
    match = re.search(r"\{([^}]*)\}", path)
    if not match:
        return False
    return all(list(ROOT.glob(path[:match.start()] + choice + path[match.end():]))
               for choice in match.group(1).split(","))


def broken_link(target: str, doc: Path) -> str | None:
    if re.match(r"^[a-z]+:|^#", target):
        return None
    path = (doc.parent / target.split("#")[0]).resolve()
    return None if path.exists() else f"link {target} leads nowhere"


def broken_module(name: str) -> str | None:
    dotted, _, factory = name.partition(":")
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        module_name = ".".join(parts[:cut])
        try:
            found = importlib.util.find_spec(module_name)
        except (ImportError, ValueError):
            found = None
        if found is not None:
            break
    else:
        return f"no module {dotted}"
    target = importlib.import_module(module_name)
    for attribute in [*parts[cut:], *([factory] if factory else [])]:
        if not hasattr(target, attribute):
            return f"{module_name} has no {'.'.join(parts[cut:] + ([factory] if factory else []))}"
        target = getattr(target, attribute)
    return None


def broken_subcommand(module: str | None, script: str | None, word: str) -> str | None:
    if module:
        spec = importlib.util.find_spec(module)
        if spec is None or spec.origin is None:
            return None  # reported as a missing module
        origin = Path(spec.origin)
        sources = origin.parent.glob("*.py") if origin.name == "__init__.py" else [origin]
        where = f"python -m {module}"
    else:
        if not (ROOT / script).is_file():
            return None  # reported as a missing path
        sources, where = [ROOT / script], script
    if any(re.search(rf"""["'(|\s]{re.escape(word)}["')|\s]""", source.read_text()) for source in sources):
        return None
    return f"{where} has no subcommand {word}"


def problems(doc: Path) -> list[str]:
    text = doc.read_text(encoding="utf-8")
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for name in PATH.findall(line):
            found.append((number, broken_path(name, line)))
        for target in LINK.findall(line):
            found.append((number, broken_link(target, doc)))
        for name in MODULE.findall(line):
            found.append((number, broken_module(name.rstrip("."))))
    lines = {line: number for number, line in reversed(list(enumerate(text.splitlines(), start=1)))}
    for code in code_texts(text):
        number = next((n for line, n in lines.items() if code in line), 0)
        for module, script, word in RUNS.findall(code):
            found.append((number, broken_subcommand(module or None, script or None, word)))
    where = doc.relative_to(ROOT) if doc.is_relative_to(ROOT) else doc
    return sorted({f"{where}:{number}: {problem}" for number, problem in found if problem})


def main() -> int:
    found = [problem for doc in DOCS for problem in problems(doc)]
    for problem in found:
        print(problem)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
