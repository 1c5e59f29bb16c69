"""docker-compose.yml against the code: its commands exist, its NETRA_* names are read, nothing is missing,
every key and password arrives as a secret file, and `docker-compose config` (Debian's package) accepts it."""
import importlib
import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import yaml

from tests.support.deployment import (DATA_FILES, MIGRATE_NAMES, SECRET_WORDS, make_secrets_module, names_read_by_the_code,
                                      setting_name, target_of)
from tests.support.system import ONE_SHOT, compose_commands
from tests.support.tools import require

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
NETRA = {name: spec for name, spec in COMPOSE["services"].items() if spec.get("image") == "netra:latest"}


def test_every_netra_name_compose_sets_is_read_by_the_code():
    read = names_read_by_the_code()
    assert {"NETRA_AMQP_URL", "NETRA_DATABASE_URL", "NETRA_INTAKE_BIND"} <= read
    for name, service in COMPOSE["services"].items():
        for variable in service.get("environment") or {}:
            if variable.startswith("NETRA_"):
                assert setting_name(variable) in read, f"{name} sets {variable}, which no code reads"


def test_keys_and_passwords_arrive_as_secret_files_never_as_values():
    for name, service in NETRA.items():
        environment = service.get("environment") or {}
        mounted = set(service.get("secrets") or [])
        for variable, value in environment.items():
            if variable.endswith("_FILE") and variable not in DATA_FILES:
                secret = value.removeprefix("/run/secrets/")
                assert value.startswith("/run/secrets/") and secret in mounted, f"{name}: {variable} -> {value}"
            else:
                assert not any(word in variable for word in SECRET_WORDS), f"{name} sets {variable} in plain"
        used = {value.removeprefix("/run/secrets/") for variable, value in environment.items()
                if variable.endswith("_FILE") and variable not in DATA_FILES}
        assert mounted == used, f"{name} mounts secrets it does not read: {mounted - used}"


def test_the_servers_take_their_passwords_from_secret_files_too():
    servers = COMPOSE["services"]
    assert servers["postgres"]["environment"]["POSTGRES_PASSWORD_FILE"] == "/run/secrets/postgres_password"
    assert servers["minio"]["environment"]["MINIO_ROOT_PASSWORD_FILE"] == "/run/secrets/s3_root_password"
    assert "RABBITMQ_DEFAULT_PASS" not in (servers["rabbitmq"].get("environment") or {})
    conf = (ROOT / "deploy" / "rabbitmq" / "10-netra.conf").read_text()
    assert "load_definitions = /run/secrets/rabbitmq_definitions.json" in conf
    for name, server in servers.items():
        for variable in server.get("environment") or {}:
            if not variable.endswith("_FILE"):
                assert not re.search(r"PASS(WORD)?$|SECRET", variable), f"{name} sets {variable} in plain"


def test_make_secrets_writes_every_secret_compose_declares(tmp_path):
    make_secrets = make_secrets_module().make_secrets
    written = set(make_secrets(tmp_path / "secrets"))
    declared = COMPOSE["secrets"]
    for secret, spec in declared.items():
        assert spec["file"] == f"./deploy/secrets/{secret}", secret
        assert secret in written, secret
    assert make_secrets(tmp_path / "secrets") == [], "a second run overwrites nothing"
    assert "custodian-identity.keys" in written and "custodian-identity.keys" not in declared
    ignored = (ROOT / "deploy" / "secrets" / ".gitignore").read_text().split()
    assert "*" in ignored


def test_a_secrets_folder_from_before_a_new_key_pair_gets_only_that_pair(tmp_path):
    make_secrets = make_secrets_module().make_secrets
    folder = tmp_path / "secrets"
    make_secrets(folder)
    kept = {name: (folder / name).read_text() for name in ("identity_public_key", "contact_private_keys")}
    for name in ("disclosure_public_key", "disclosure_private_keys"):  # as a release before that pair left it
        (folder / name).unlink()
    assert sorted(make_secrets(folder)) == ["disclosure_private_keys", "disclosure_public_key"]
    assert {name: (folder / name).read_text() for name in kept} == kept  # data sealed to them stays readable


def test_the_broker_user_may_use_the_netra_vhost_only(tmp_path):
    import json
    from urllib.parse import urlparse
    make_secrets = make_secrets_module().make_secrets
    make_secrets(tmp_path)
    url = urlparse((tmp_path / "amqp_url").read_text().strip())
    definitions = json.loads((tmp_path / "rabbitmq_definitions.json").read_text())
    assert url.username == "netra" and url.path == "/netra"
    users = {user["name"]: user for user in definitions["users"]}
    assert set(users) == {"netra", "netra-keda", "netra-admin"} and "guest" not in users
    assert users["netra"]["tags"] == [] and users["netra-keda"]["tags"] == []
    grants = {p["user"]: p for p in definitions["permissions"]}
    assert {p["vhost"] for p in grants.values()} == {"netra"}
    assert (grants["netra-keda"]["configure"], grants["netra-keda"]["write"]) == ("^$", "^$")


def test_admin_consoles_listen_on_loopback_only():
    for server in ("rabbitmq", "minio", "mailpit"):
        for port in COMPOSE["services"][server].get("ports", []):
            assert port.startswith("127.0.0.1:"), (server, port)


def graceful_timeout(config: str) -> int:
    return int(re.search(r"^graceful_timeout = (\d+)", (ROOT / config).read_text(), re.M).group(1))


def seconds(duration: str) -> int:
    return int(duration.removesuffix("s"))


def test_containers_get_longer_to_stop_than_their_work_takes():
    from services.common.publishers import BatchPublisher
    from services.common.smtp import SmtpConfig
    confirm = inspect_default(BatchPublisher.__init__, "confirm_timeout")
    longest_handler = SmtpConfig.__dataclass_fields__["timeout"].default + confirm
    for name, service in NETRA.items():
        if service.get("restart") == "no":
            continue
        if service["command"][0] == "gunicorn":
            config = service["command"][service["command"].index("-c") + 1]
            assert seconds(service["stop_grace_period"]) > graceful_timeout(config), name
        else:
            assert seconds(service["stop_grace_period"]) > longest_handler, name


def inspect_default(function, parameter: str):
    import inspect
    return inspect.signature(function).parameters[parameter].default


def test_netra_containers_are_read_only_with_a_tmpfs_and_no_privileges():
    for name, service in NETRA.items():
        assert service["read_only"] is True, name
        mounts = {entry.split(":")[0] for entry in service["tmpfs"]}
        assert {"/tmp", "/tmp/prometheus"} <= mounts, name
        assert service["cap_drop"] == ["ALL"] and "no-new-privileges:true" in service["security_opt"], name


def test_services_start_after_the_one_shots_finished():
    assert NETRA["migrate"]["command"] == ["python", "-m", "services.migrate"]
    assert {setting_name(v) for v in NETRA["migrate"]["environment"] if v.endswith("_FILE")} == MIGRATE_NAMES
    assert NETRA["migrate"]["environment"]["NETRA_DATABASE_SERVICE_ROLE"] == "netra_app"
    assert all(NETRA["migrate"]["environment"][f"{name}_FILE"].endswith("_owner_database_url")
               for name in MIGRATE_NAMES), "migrate signs in as the tables' owner"
    for name, service in NETRA.items():
        if service.get("restart") == "no":
            continue
        for step in ("migrate", "topology", "provision"):
            assert service["depends_on"][step]["condition"] == "service_completed_successfully", (name, step)


def test_docker_compose_config_accepts_the_file():
    tool = require("docker-compose", shutil.which("docker-compose"),
                   "`deploy/infra.sh tests` (deploy/test.sh) installs Debian's docker-compose package")
    result = subprocess.run([tool, "-f", str(ROOT / "docker-compose.yml"), "config", "-q"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_every_command_compose_runs_exists():
    commands = [service["command"] for service in NETRA.values()]
    assert len(commands) >= 6
    for command in commands:
        module, attribute = target_of(command)
        assert callable(getattr(importlib.import_module(module), attribute)), command


def local_run_commands() -> list[str]:
    script = (ROOT / "deploy" / "run-local.sh").read_text()
    return [line for line in script.splitlines() if "services." in line and not line.lstrip().startswith("#")]


def test_every_service_the_local_run_starts_is_in_compose():
    # `python -m package` names the package; target_of says which module of it runs (its __main__).
    in_compose = {target_of(command)[0].removesuffix(".__main__") for command in compose_commands().values()}
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
            if name in ONE_SHOT or service.get("restart") == "no":
                assert service["healthcheck"] == {"disable": True}, f"{name} is a one-shot: no /readyz"
            else:
                assert "test" in service["healthcheck"], name
    for server in ("rabbitmq", "minio", "postgres", "mailpit"):
        assert "healthcheck" in COMPOSE["services"][server], server
    assert (ROOT / "deploy" / "Dockerfile").is_file()
