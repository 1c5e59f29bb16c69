"""Production refuses to route while a unit the rules can route to still has a placeholder address
(*.invalid), and names those units; development warns and goes on. Checked on the worker as operators
start it, in a subprocess that stops before it connects anywhere."""
import os
import subprocess
import sys

import yaml

from services.reference.files import DATA as REFERENCE_DATA
from services.routing.chains import load_chains
from services.routing.directory import load_directory
from services.routing.law_data import Law
from services.routing.placeholders import placeholder_units
from services.routing.rules import load_rules
from services.reference.files import UNITS_FILE
from services.routing.settings import DATA
from tests.conftest import ROOT

PRODUCTION = {"NETRA_ENV": "production", "NETRA_AMQP_URL": "amqp://netra:not-guest@127.0.0.1:1/",
              "NETRA_ELECTION_CALENDAR": str(ROOT / "deploy" / "election_calendar.yaml"),
              "NETRA_DATABASE_URL": "postgresql+psycopg://netra:x@127.0.0.1:1/netra_routing",
              "NETRA_LOG_FORMAT": "json"}


def units_with_real_addresses(tmp_path, keep_placeholder: str | None = None):
    document = yaml.safe_load(UNITS_FILE.read_text(encoding="utf-8"))
    for unit in document["units"]:
        if unit["id"] != keep_placeholder:
            unit["email"] = unit["email"].replace(".invalid", ".go.id")
    path = tmp_path / "units.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def start_routing(units_file) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NETRA_")} | {"NETRA_SETTINGS_DIR": ""}
    return subprocess.run([sys.executable, "-m", "services.routing.worker"], cwd=ROOT,
                          env={**clean, **PRODUCTION, "NETRA_UNITS_FILE": str(units_file)},
                          capture_output=True, text=True, timeout=120)


def test_production_refuses_the_shipped_placeholders_and_names_the_units():
    done = start_routing(UNITS_FILE)
    assert done.returncode == 2, done.stderr
    assert "placeholder address" in done.stderr and "\n  bkpsdm-14.03\n" in done.stderr
    assert "bawaslu-ri" in done.stderr and "Traceback" not in done.stderr


def test_one_placeholder_left_is_named_alone(tmp_path):
    done = start_routing(units_with_real_addresses(tmp_path, keep_placeholder="bkd-14"))
    assert done.returncode == 2
    assert "1 units that rules can route to" in done.stderr and "\n  bkd-14" in done.stderr


def test_a_directory_of_real_addresses_has_no_placeholder_to_refuse(tmp_path):
    directory = load_directory(units_with_real_addresses(tmp_path))
    assert placeholder_units(directory, load_rules(DATA / "rules.yaml", directory)) == []
    shipped = load_directory(UNITS_FILE)
    chains = load_chains(REFERENCE_DATA / "chains.yaml", shipped, Law().clock_ids())
    rules = load_rules(DATA / "rules.yaml", shipped)
    assert len(placeholder_units(shipped, rules, chains)) == len(shipped.units)
    assert "biro-kepegawaian-kl" not in placeholder_units(shipped, rules)  # a unit only a chain's step names
