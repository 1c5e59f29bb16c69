"""deploy/Dockerfile and .dockerignore, read as the builder reads them (no Docker engine is needed)."""
import fnmatch
import re
import shlex
import tomllib

from dockerfile_parse import DockerfileParser

from tests.support.system import ROOT

DOCKERFILE = DockerfileParser(path=str(ROOT / "deploy" / "Dockerfile"))
TEST_AND_DEV = {"pytest", "selenium", "schemathesis", "celery", "aiosmtpd", "dockerfile-parse",
                "kubernetes-validate", "pip-tools"}


def stages() -> list[list[dict]]:
    found: list[list[dict]] = []
    for instruction in DOCKERFILE.structure:
        if instruction["instruction"] == "FROM":
            found.append([])
        if found and instruction["instruction"] != "COMMENT":
            found[-1].append(instruction)
    return found


def runtime() -> list[dict]:
    return stages()[-1]


def values(stage: list[dict], name: str) -> list[str]:
    return [i["value"] for i in stage if i["instruction"] == name]


def copies(stage: list[dict]) -> list[list[str]]:
    return [shlex.split(value) for value in values(stage, "COPY")]


def test_a_builder_installs_the_lock_with_hashes_and_the_runtime_stage_copies_its_venv():
    builder, final = stages()
    assert builder[0]["value"].endswith(" AS builder")
    install = " ".join(values(builder, "RUN"))
    assert "--require-hashes" in install and "runtime.lock" in install and "/opt/venv/bin/pip" in install
    assert not any("pip install" in run for run in values(final, "RUN")), "the runtime stage installs nothing"
    assert ["--from=builder", "--chown=root:root", "/opt/venv", "/opt/venv"] in copies(final)


def test_the_dependency_layer_comes_before_the_code():
    builder = stages()[0]
    lock_copy = next(n for n, i in enumerate(builder) if i["instruction"] == "COPY")
    assert copies(builder)[0][0] == "requirements/runtime.lock"
    assert lock_copy < next(n for n, i in enumerate(builder) if "pip install" in i["value"])
    final = runtime()
    code = [n for n, i in enumerate(final) if i["instruction"] == "COPY" and "services" in i["value"]]
    venv = [n for n, i in enumerate(final) if "--from=builder" in i["value"]]
    assert venv and code and venv[0] < code[0]


def test_it_runs_as_a_numeric_non_root_user_and_the_code_belongs_to_root():
    user = values(runtime(), "USER")
    assert len(user) == 1 and re.fullmatch(r"[1-9]\d{3,}(:[1-9]\d{3,})?", user[0]), user
    for copy in copies(runtime()):
        assert "--chown=root:root" in copy, copy
    assert not any("chown" in run and "10001" in run for run in values(runtime(), "RUN"))


def test_environment_for_a_read_only_root_filesystem():
    env = DOCKERFILE.envs
    assert env["PYTHONDONTWRITEBYTECODE"] == "1"
    assert env["PROMETHEUS_MULTIPROC_DIR"] == "/tmp/prometheus"


def test_a_healthcheck_asks_readyz_with_python():
    check = values(runtime(), "HEALTHCHECK")
    assert len(check) == 1 and "CMD" in check[0] and '"python"' in check[0] and "READY_URL" in check[0]
    assert DOCKERFILE.envs["READY_URL"].endswith("/readyz")


def test_no_test_or_development_tool_reaches_the_image():
    copied = " ".join(" ".join(copy) for copy in copies(runtime()))
    assert "mailbox.py" not in copied and "tests" not in copied
    runtime_deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    named = {re.split(r"[<>=\[ ;]", dep, maxsplit=1)[0].lower() for dep in runtime_deps}
    assert not named & TEST_AND_DEV, named & TEST_AND_DEV
    lock = (ROOT / "requirements" / "runtime.lock").read_text()
    for name in TEST_AND_DEV - {"aiosmtpd"}:  # aiosmtpd leaves the lock at the next deploy/lock.sh
        assert not re.search(rf"^{name}==", lock, re.M), name


def ignored(path: str) -> bool:
    """Docker's rule: the last pattern that matches decides; '!' re-includes."""
    verdict = False
    for line in (ROOT / ".dockerignore").read_text().splitlines():
        pattern = line.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").rstrip("/")
        if pattern == "**" or fnmatch.fnmatch(path, pattern) or path.startswith(pattern + "/"):
            verdict = not negate
    return verdict


def test_the_build_context_holds_what_the_image_copies_and_nothing_else():
    for copy in [*copies(stages()[0]), *copies(runtime())]:
        for source in [part for part in copy[:-1] if not part.startswith("--")]:
            if not source.startswith("/"):
                assert not ignored(source), source
    for path in ("tests/conftest.py", "docs/architecture.md", ".venv/bin/python", "var/log/x.log", ".git/HEAD",
                 "deploy/mailbox.py", "deploy/secrets/amqp_url", "services/__pycache__/x.pyc", "bench/x.py"):
        assert ignored(path), path
