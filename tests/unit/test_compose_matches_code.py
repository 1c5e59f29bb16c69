"""docker-compose.yml against the code: its commands exist, its NETRA_* names are read, nothing is missing."""
import importlib
import re
from pathlib import Path

import yaml

from services.common.settings import CommonSettings
from tests.support.system import ONE_SHOT, compose_commands

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def settings_classes():
    for path in [*ROOT.glob("services/*/settings.py"), ROOT / "services" / "provision.py"]:
        module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
        yield from (value for value in vars(module).values()
                    if isinstance(value, type) and issubclass(value, CommonSettings))


def names_read_by_the_code() -> set[str]:
    names = {f"NETRA_{field.upper()}" for cls in settings_classes() for field in cls.model_fields}
    for path in [*ROOT.glob("services/**/*.py"), ROOT / "deploy" / "gunicorn.conf.py"]:
        source = path.read_text()
        names |= set(re.findall(r'environ(?:\.get)?\(?\[?"(NETRA_[A-Z0-9_]+)"', source))
        names |= {f"NETRA_{n}" for n in re.findall(r'PREFIX \+ "([A-Z0-9_]+)"', source)}
    return names


def test_every_netra_name_compose_sets_is_read_by_the_code():
    read = names_read_by_the_code()
    assert {"NETRA_AMQP_URL", "NETRA_DATABASE_URL", "NETRA_INTAKE_BIND"} <= read
    for name, service in COMPOSE["services"].items():
        for variable in service.get("environment") or {}:
            if variable.startswith("NETRA_"):
                assert variable in read, f"{name} sets {variable}, which no code reads"


def target_of(command: list[str]) -> tuple[str, str]:
    if command[:2] == ["python", "-m"]:
        return command[2], "main"
    assert command[0] == "gunicorn", command
    module, _, factory = command[-1].partition(":")
    config = command[command.index("-c") + 1]
    assert (ROOT / config).is_file(), config
    return module, factory.removesuffix("()")


def test_every_command_compose_runs_exists():
    commands = [service["command"] for service in COMPOSE["services"].values()
                if service.get("image") == "netra:latest"]
    assert len(commands) >= 6
    for command in commands:
        module, attribute = target_of(command)
        assert callable(getattr(importlib.import_module(module), attribute)), command


def local_run_commands() -> list[str]:
    script = (ROOT / "deploy" / "run-local.sh").read_text()
    return [line for line in script.splitlines() if "services." in line and not line.lstrip().startswith("#")]


def test_every_service_the_local_run_starts_is_in_compose():
    in_compose = {target_of(command)[0] for command in compose_commands().values()}
    started = set()
    for line in local_run_commands():
        started |= set(re.findall(r"services\.[a-z_.]+(?=[:'\" ]|$)", line))
    started -= {f"services.{step}" for step in ONE_SHOT}
    assert started, "the local run starts no service?"
    assert started <= in_compose, started - in_compose
    assert in_compose <= started, in_compose - started


def test_the_image_is_built_from_deploy_dockerfile_and_every_service_has_a_health_check():
    for name, service in COMPOSE["services"].items():
        if service.get("image") == "netra:latest":
            assert service["build"]["dockerfile"] == "deploy/Dockerfile"
            assert name in ONE_SHOT or "healthcheck" in service, name
    for server in ("rabbitmq", "minio", "postgres", "mailpit"):
        assert "healthcheck" in COMPOSE["services"][server], server
    assert (ROOT / "deploy" / "Dockerfile").is_file()
