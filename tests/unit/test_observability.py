"""deploy/observability/ checked offline: promtool accepts the alert rules, their own tests pass, every
dashboard query parses, and every metric a rule or a panel names is one Netra or the broker exports.

promtool comes with Debian's `prometheus` package (`deploy/infra.sh tests` installs it); without it these skip,
and in CI they fail.
"""
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from services.common import metrics
from services.common.outbox import OutboxCollector
from services.ops.reconcile import OverdueCollector
from tests.support.tools import require

OBSERVABILITY = Path(__file__).resolve().parents[2] / "deploy" / "observability"
GRAFANA_INTERVALS = {"$__rate_interval": "5m", "$__interval": "1m", "$__range": "1h"}
# Exported by Prometheus itself for every target.
PROMETHEUS_OWN = {"up"}
# rabbitmq_prometheus's per-queue metrics, from /metrics/detailed?family=queue_coarse_metrics:
# https://www.rabbitmq.com/docs/prometheus#detailed-endpoint and
# https://github.com/rabbitmq/rabbitmq-server/blob/main/deps/rabbitmq_prometheus/metrics-detailed.md
BROKER = {"rabbitmq_detailed_queue_messages_ready", "rabbitmq_detailed_queue_messages_unacked",
          "rabbitmq_detailed_queue_messages"}
NOT_METRICS = {"and", "or", "unless", "bool", "offset", "inf", "nan"}
SUFFIXES = {"counter": ("_total", "_created"), "histogram": ("_bucket", "_count", "_sum", "_created"),
            "gauge": ("",)}


def promtool(*args: str) -> subprocess.CompletedProcess:
    tool = require("promtool", shutil.which("promtool"), "apt-get install prometheus (`deploy/infra.sh tests` does)")
    return subprocess.run([tool, *args], cwd=OBSERVABILITY, capture_output=True, text=True, timeout=60)


def alert_expressions() -> list[str]:
    groups = yaml.safe_load((OBSERVABILITY / "alerts.yml").read_text())["groups"]
    return [rule["expr"] for group in groups for rule in group["rules"]]


def panel_expressions() -> list[str]:
    def walk(panels):
        for panel in panels:
            yield from (target["expr"] for target in panel.get("targets", []))
            yield from walk(panel.get("panels", []))
    exprs = list(walk(json.loads((OBSERVABILITY / "dashboard.json").read_text())["panels"]))
    for variable, value in GRAFANA_INTERVALS.items():
        exprs = [expr.replace(variable, value) for expr in exprs]
    return exprs


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression reads: what is left once strings, label matchers, ranges,
    grouping clauses and function calls are taken out."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', "", expr)
    expr = re.sub(r"\{[^}]*\}|\[[^\]]*\]", " ", expr)
    expr = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", expr)
    names = {match.group() for match in re.finditer(r"(?<![\w.])[A-Za-z_:][\w:]*", expr)
             if not expr[match.end():].lstrip().startswith("(")}
    return {name for name in names if name.lower() not in NOT_METRICS}


def exported_names() -> set[str]:
    """Every sample name Netra's code exports: the metric groups on the default registry, and the
    collectors that compute theirs at scrape time."""
    families = list(metrics.REGISTRY.collect())
    families += list(OutboxCollector(None, None).describe())
    families += list(OverdueCollector(None).describe())
    families += list(metrics.ReadinessCollector({"broker": lambda: True}).collect())
    return {family.name + suffix for family in families if family.name.startswith("netra_")
            for suffix in SUFFIXES[family.type]}


def test_the_alert_rules_are_valid():
    result = promtool("check", "rules", "alerts.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_alert_rules_fire_as_their_tests_say():
    result = promtool("test", "rules", "alerts.test.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_scrape_config_is_valid():
    result = promtool("check", "config", "prometheus.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_dashboard_query_parses(tmp_path):
    rules = {"groups": [{"name": "dashboard", "rules": [
        {"record": f"netra:dashboard_panel_{n}", "expr": expr} for n, expr in enumerate(panel_expressions())]}]}
    (tmp_path / "panels.yml").write_text(yaml.safe_dump(rules))
    result = promtool("check", "rules", str(tmp_path / "panels.yml"))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("source", ["alerts", "dashboard"])
def test_every_metric_named_is_one_that_is_exported(source):
    exprs = alert_expressions() if source == "alerts" else panel_expressions()
    named = set().union(*(metric_names(expr) for expr in exprs))
    assert named, "no metric found: the name extraction is broken"
    assert named - exported_names() - BROKER - PROMETHEUS_OWN == set()


def test_the_name_extraction_finds_names_and_only_names():
    expr = ('histogram_quantile(0.95, sum by (le, queue) (rate(netra_handler_duration_seconds_bucket'
            '{job="x", queue=~"a.b"}[5m]))) > 0 and on (job) up == 1')
    assert metric_names(expr) == {"netra_handler_duration_seconds_bucket", "up"}
    assert "netra_messages_misspelt_total" not in exported_names()
    assert {"netra_messages_parked_total", "netra_outbox_oldest_age_seconds", "netra_ready",
            "netra_http_requests_total", "netra_mails_total"} <= exported_names()
