"""What the deployment files (docker-compose.yml, deploy/k8s/) are checked against: the NETRA_* names the
code reads, the secrets deploy/make_secrets.py writes, and the module each command runs."""
import importlib
import importlib.util
import re

from pydantic_settings import BaseSettings

from tests.support.system import ROOT

# `python -m services.migrate` reads one URL per service database, as the tables' owner.
MIGRATE_NAMES = {f"NETRA_{service}_DATABASE_URL" for service in ("INTAKE", "ROUTING", "NOTIFY", "DESK")}
SECRET_WORDS = ("PASSWORD", "SECRET", "PRIVATE", "DATABASE_URL", "AMQP_URL", "PUBLIC_KEY")


def settings_classes():
    for path in [*ROOT.glob("services/*/settings.py"), ROOT / "services" / "provision.py"]:
        module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
        yield from (value for value in vars(module).values()
                    if isinstance(value, type) and issubclass(value, BaseSettings))


def names_read_by_the_code() -> set[str]:
    names = {f"NETRA_{field.upper()}" for cls in settings_classes() for field in cls.model_fields}
    for path in [*ROOT.glob("services/**/*.py"), ROOT / "deploy" / "gunicorn.conf.py"]:
        source = path.read_text()
        names |= set(re.findall(r'environ(?:\.get)?\(?\[?"(NETRA_[A-Z0-9_]+)"', source))
        names |= {f"NETRA_{n}" for n in re.findall(r'PREFIX \+ "([A-Z0-9_]+)"', source)}
    return names


def make_secrets_module():
    spec = importlib.util.spec_from_file_location("make_secrets", ROOT / "deploy" / "make_secrets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Settings whose own name ends in _FILE: the path of a data file the operator keeps, not a secret's file.
DATA_FILES = {"NETRA_UNITS_FILE", "NETRA_RULES_FILE", "NETRA_ESTIMATED_HOLIDAYS_FILE"}


def setting_name(variable: str) -> str:
    """NETRA_X_FILE names the file that holds NETRA_X (services.common.settings.SecretFiles)."""
    return variable if variable in DATA_FILES else variable.removesuffix("_FILE")


def target_of(command: list[str]) -> tuple[str, str]:
    if command[:2] == ["python", "-m"]:
        package_main = f"{command[2]}.__main__"  # `python -m package` runs the package's __main__
        return (package_main if importlib.util.find_spec(command[2]).submodule_search_locations is not None
                else command[2]), "main"
    assert command[0] == "gunicorn", command
    module, _, factory = command[-1].partition(":")
    config = command[command.index("-c") + 1]
    assert (ROOT / config).is_file(), config
    return module, factory.removesuffix("()")
