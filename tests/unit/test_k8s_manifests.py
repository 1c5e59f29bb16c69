"""deploy/k8s/ rendered offline (kustomize) and checked: every object against the Kubernetes schemas of a
pinned version (kubernetes-validate, strict), the KEDA objects by their structure (their CRD schemas are not
shipped here), and every command, NETRA_* name, secret and queue against the code."""
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from services.topology import all_queues
from services.common.settings import CommonSettings
from tests.support.system import ROOT, compose_commands
from tests.support.tools import require
from tests.support.deployment import (DATA_FILES, MIGRATE_NAMES, SECRET_WORDS, make_secrets_module,
                                      names_read_by_the_code,
                                      setting_name, target_of)

KUBERNETES_VERSION = "1.32.0"
OVERLAY = ROOT / "deploy" / "k8s" / "overlays" / "production"
WORKERS = {"intake-worker": "intake", "evidence": "evidence", "routing": "routing", "notify": "notify",
           "desk-worker": "desk"}
SERVICES = {"intake", "desk", *WORKERS, "reconciler", "scheduler"}  # these two read databases, no queue
SERVERS = {"redis"}  # shipped beside the services, from its own image: the abuse-limit counters


def kustomize() -> list[str]:
    gopath = subprocess.run(["go", "env", "GOPATH"], capture_output=True, text=True).stdout.strip() \
        if shutil.which("go") else str(Path.home() / "go")
    for candidate in (shutil.which("kustomize"), os.path.join(gopath, "bin", "kustomize")):
        if candidate and os.access(candidate, os.X_OK):
            return [candidate, "build"]
    if shutil.which("kubectl"):
        return ["kubectl", "kustomize"]
    require("kustomize", None, "`deploy/infra.sh tests` (deploy/test.sh) builds it from the Go module proxy")


@cache
def rendered() -> tuple[dict, ...]:
    result = subprocess.run([*kustomize(), str(OVERLAY)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


def of_kind(kind: str) -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for doc in rendered() if doc["kind"] == kind}


def netra_deployments() -> dict[str, dict]:
    return {name: doc for name, doc in of_kind("Deployment").items() if name not in SERVERS}


def pod_specs() -> dict[str, dict]:
    """The pods that run Netra's own image."""
    pods = {name: doc["spec"]["template"]["spec"] for name, doc in netra_deployments().items()}
    pods |= {name: doc["spec"]["template"]["spec"] for name, doc in of_kind("Job").items()}
    return pods


def config() -> dict[str, str]:
    return of_kind("ConfigMap")["netra-config"]["data"]


def test_every_core_object_is_valid_for_the_pinned_kubernetes_version():
    core = [doc for doc in rendered() if not doc["apiVersion"].startswith("keda.sh/")]
    assert len(core) > 25
    for doc in core:
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_the_validator_rejects_a_misspelt_field():
    deployment = yaml.safe_load(yaml.safe_dump(of_kind("Deployment")["intake"]))
    deployment["spec"]["template"]["spec"]["containers"][0]["securityContext"]["runAsNonroot"] = True
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)


def test_a_deployment_per_service_that_runs_what_compose_runs():
    deployments = netra_deployments()
    assert set(deployments) == SERVICES and set(of_kind("Deployment")) == SERVICES | SERVERS
    in_compose = compose_commands()
    for name, deployment in deployments.items():
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        assert container["command"] == in_compose[name], name
        assert container["image"].endswith(":0.1.0") and not container["image"].endswith(":latest")


def test_every_command_exists_in_the_code():
    import importlib
    for name, pod in pod_specs().items():
        module, attribute = target_of(pod["containers"][0]["command"])
        assert callable(getattr(importlib.import_module(module), attribute)), name


def test_every_netra_name_is_read_by_the_code_and_secrets_are_files():
    read = names_read_by_the_code()
    for variable in config():
        assert variable in read, f"the ConfigMap sets {variable}, which no code reads"
        assert not any(word in variable for word in SECRET_WORDS), f"{variable} belongs in the Secret"
    for name, pod in pod_specs().items():
        container = pod["containers"][0]
        mounted = {item["key"] for volume in pod["volumes"] if "secret" in volume
                   for item in volume["secret"]["items"]}
        used = set()
        for entry in container["env"]:
            variable = entry["name"]
            assert variable.startswith("NETRA_") and setting_name(variable) in read, (name, variable)
            if variable.endswith("_FILE") and variable not in DATA_FILES:
                used.add(entry["value"].removeprefix("/run/secrets/"))
            else:
                assert not any(word in variable for word in SECRET_WORDS), (name, variable)
        assert used == mounted, f"{name} mounts {mounted - used} it does not read"


def test_every_secret_key_is_one_make_secrets_writes(tmp_path):
    written = set(make_secrets_module().make_secrets(tmp_path))
    for pod in pod_specs().values():
        for volume in pod["volumes"]:
            if "secret" in volume:
                assert volume["secret"]["secretName"] == "netra-secrets"
                assert {item["key"] for item in volume["secret"]["items"]} <= written
    key = of_kind("TriggerAuthentication")["netra-rabbitmq"]["spec"]["secretTargetRef"][0]["key"]
    assert key in written


def test_containers_are_locked_down():
    for name, pod in pod_specs().items():
        assert pod["securityContext"]["runAsNonRoot"] is True and pod["automountServiceAccountToken"] is False
        for container in pod["containers"]:
            context = container["securityContext"]
            assert context["runAsNonRoot"] is True and isinstance(context["runAsUser"], int), name
            assert context["runAsUser"] > 0 and context["readOnlyRootFilesystem"] is True, name
            assert context["allowPrivilegeEscalation"] is False and context["capabilities"]["drop"] == ["ALL"]
            mounts = {mount["mountPath"]: mount["name"] for mount in container["volumeMounts"]}
            volumes = {volume["name"]: volume for volume in pod["volumes"]}
            for path in ("/tmp", "/tmp/prometheus"):
                assert "emptyDir" in volumes[mounts[path]], (name, path)
            assert {"requests", "limits"} <= set(container["resources"]), name
    assert of_kind("Namespace")["netra"]["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"


def test_services_have_probes_on_their_health_port_and_time_to_stop():
    for name, deployment in netra_deployments().items():
        pod = deployment["spec"]["template"]["spec"]
        container = pod["containers"][0]
        port = {"intake": 8080, "desk": 8090}.get(name, 8081)
        assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": port}, name
        assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": port}, name
        assert pod["terminationGracePeriodSeconds"] > 30, name
    assert config()["NETRA_HEALTH_BIND"] == "0.0.0.0:8081"


def test_every_deployment_has_a_disruption_budget():
    budgets = of_kind("PodDisruptionBudget")
    for name in SERVICES:
        assert budgets[name]["spec"]["selector"]["matchLabels"] == {"app.kubernetes.io/name": name}


def test_intake_scales_on_cpu_and_each_worker_on_the_depth_of_exactly_its_queues():
    hpa = of_kind("HorizontalPodAutoscaler")
    assert set(hpa) == {"intake"} and hpa["intake"]["spec"]["metrics"][0]["resource"]["name"] == "cpu"
    declared = {spec.name for spec in all_queues(CommonSettings())}
    scaled = of_kind("ScaledObject")
    assert set(scaled) == set(WORKERS)
    for worker, service in WORKERS.items():
        spec = scaled[worker]["spec"]
        assert spec["scaleTargetRef"] == {"name": worker} and spec["minReplicaCount"] >= 1
        queues = [trigger["metadata"]["queueName"] for trigger in spec["triggers"]]
        for trigger in spec["triggers"]:
            assert trigger["type"] == "rabbitmq" and trigger["metadata"]["mode"] == "QueueLength"
            assert trigger["metadata"]["protocol"] == "amqp" and float(trigger["metadata"]["value"]) > 0
            assert trigger["authenticationRef"] == {"name": "netra-rabbitmq"}
        own = {spec.name for spec in all_queues(CommonSettings()) if spec.name.startswith(service + ".")}
        assert set(queues) == own and set(queues) <= declared, worker
    auth = of_kind("TriggerAuthentication")["netra-rabbitmq"]["spec"]["secretTargetRef"]
    assert auth == [{"parameter": "host", "name": "netra-secrets", "key": "keda_amqp_url"}]


def test_network_policies_deny_by_default_and_let_in_only_the_ingress_and_prometheus():
    policies = of_kind("NetworkPolicy")
    deny = policies["default-deny"]["spec"]
    assert deny["podSelector"] == {} and set(deny["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in deny and "egress" not in deny
    sources = {}
    for name, policy in policies.items():
        for rule in policy["spec"].get("ingress", []):
            for peer in rule["from"]:
                if name == "counters-from-web":
                    continue  # from inside the namespace, the pods below
                sources.setdefault(name, set()).add(peer["namespaceSelector"]["matchLabels"]
                                                    ["kubernetes.io/metadata.name"])
    assert sources == {"web-from-ingress-controller": {"ingress-nginx"}, "metrics-from-prometheus": {"monitoring"}}
    web = policies["web-from-ingress-controller"]["spec"]["podSelector"]["matchExpressions"][0]["values"]
    assert set(web) == {"intake", "desk"}
    ingress = of_kind("Ingress")["netra"]["spec"]["rules"]
    assert {rule["http"]["paths"][0]["backend"]["service"]["name"] for rule in ingress} == {"intake", "desk"}


def test_each_pod_may_reach_only_the_servers_it_uses():
    selectors = {tuple(policy["spec"]["podSelector"].get("matchLabels", {}).items())
                 for policy in of_kind("NetworkPolicy").values() if "Egress" in policy["spec"]["policyTypes"]}
    for what in ("database", "object-store", "smtp"):
        assert ((f"netra.io/egress-{what}", "true"),) in selectors, what
    for name, doc in [*netra_deployments().items(), *of_kind("Job").items()]:
        labels = doc["spec"]["template"]["metadata"]["labels"]
        env = {entry["name"] for entry in doc["spec"]["template"]["spec"]["containers"][0]["env"]}
        uses = {"database": any("DATABASE_URL" in variable for variable in env),
                "object-store": "NETRA_S3_SECRET_KEY_FILE" in env}
        for what, used in uses.items():
            assert (labels.get(f"netra.io/egress-{what}") == "true") == used, (name, what)


def test_the_setup_jobs_run_migrate_topology_and_provision():
    jobs = of_kind("Job")
    commands = {name: job["spec"]["template"]["spec"]["containers"][0]["command"] for name, job in jobs.items()}
    assert commands == {"netra-migrate": ["python", "-m", "services.migrate"],
                        "netra-topology": ["python", "-m", "services.topology"],
                        "netra-provision": ["python", "-m", "services.provision"]}
    env = {entry["name"]: entry["value"]
           for entry in jobs["netra-migrate"]["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert {setting_name(variable) for variable in env if variable.endswith("_FILE")} == MIGRATE_NAMES
    assert all(env[f"{name}_FILE"].endswith("_owner_database_url") for name in MIGRATE_NAMES)
    assert env["NETRA_DATABASE_SERVICE_ROLE"] == "netra_app"
    for job in jobs.values():
        assert job["metadata"]["labels"]["app.kubernetes.io/component"] == "setup"
        assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"


def settings_class(command: list[str]):
    import importlib
    import re as regex
    module, _ = target_of(command)
    source = importlib.import_module(module).__file__
    name = regex.search(r"load_(?:operator_)?settings\((\w+)\)", Path(source).read_text()).group(1)
    return getattr(importlib.import_module(module), name)


def mounted(value: str, folder: Path) -> str:
    """A path in the pod as a file here: the secrets from make_secrets, a ConfigMap file from its data."""
    if value.startswith(("/etc/netra/", "/etc/netra-routing/")):
        name = value.rpartition("/")[2]
        [data] = [doc["data"] for doc in of_kind("ConfigMap").values() if name in doc.get("data", {})]
        (folder / name).write_text(data[name])
        return str(folder / name)
    return value.replace("/run/secrets/", f"{folder}/")


def test_production_settings_are_accepted_by_every_service(tmp_path, monkeypatch):
    """NETRA_ENV=production refuses development defaults: the manifests plus make_secrets' files pass."""
    from services.common.settings import load_settings
    make_secrets_module().make_secrets(tmp_path)
    for variable in [name for name in os.environ if name.startswith("NETRA_")]:
        monkeypatch.delenv(variable)
    checked = []
    for name, doc in [*netra_deployments().items(), *of_kind("Job").items()]:
        container = doc["spec"]["template"]["spec"]["containers"][0]
        checked.append(name)
        with monkeypatch.context() as patch:
            for variable, value in config().items():
                patch.setenv(variable, value)
            for entry in container["env"]:
                patch.setenv(entry["name"], mounted(entry["value"], tmp_path))
            settings = load_settings(settings_class(container["command"]))
            assert settings.env == "production", name
    assert len(checked) >= 9


def test_the_counter_store_is_reached_by_intake_and_the_desk_alone_and_is_probed():
    """Redis for the abuse limits: the address the ConfigMap gives, probes, locked down, nothing on disk."""
    deployment = of_kind("Deployment")["redis"]
    pod = deployment["spec"]["template"]["spec"]
    [container] = pod["containers"]
    assert container["image"].startswith("redis:") and "--save" in container["command"]
    assert container["readinessProbe"]["exec"]["command"] == ["redis-cli", "ping"]
    assert container["livenessProbe"]["tcpSocket"]["port"] == 6379
    context = container["securityContext"]
    assert context["readOnlyRootFilesystem"] and context["runAsNonRoot"] and context["capabilities"]["drop"] == ["ALL"]
    assert pod["automountServiceAccountToken"] is False and {"requests", "limits"} <= set(container["resources"])
    service = of_kind("Service")["redis"]["spec"]
    assert config()["NETRA_RATE_LIMIT_STORAGE_URL"] == f"redis://redis:{service['ports'][0]['port']}/0"
    counters = "netra.io/egress-counters"
    users = {name for name, doc in netra_deployments().items()
             if doc["spec"]["template"]["metadata"]["labels"].get(counters) == "true"}
    assert users == {"intake", "desk"}
    [rule] = of_kind("NetworkPolicy")["counters-from-web"]["spec"]["ingress"]
    assert rule["from"] == [{"podSelector": {"matchLabels": {counters: "true"}}}]


def test_the_web_apps_trust_exactly_the_ingress_in_front_of_them():
    """Only the ingress controller reaches intake and the desk (the test above): one proxy, one hop."""
    assert config()["NETRA_TRUSTED_PROXIES"] == "1"


def test_the_cronjobs_component_replaces_the_scheduler_with_one_cronjob_per_schedule(tmp_path):
    """deploy/k8s/components/cronjobs: the same jobs, at the scheduler's default times, and no scheduler."""
    from services.ops.jobs import JOBS
    from services.ops.settings import ScheduleSettings
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "kustomization.yaml").write_text(yaml.safe_dump({
        "resources": [os.path.relpath(OVERLAY, overlay)],
        "components": [os.path.relpath(ROOT / "deploy" / "k8s" / "components" / "cronjobs", overlay)]}))
    result = subprocess.run([*kustomize(), str(overlay)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    docs = [doc for doc in yaml.safe_load_all(result.stdout) if doc]
    assert "scheduler" not in {doc["metadata"]["name"] for doc in docs if doc["kind"] != "NetworkPolicy"}
    cronjobs = [doc for doc in docs if doc["kind"] == "CronJob"]
    defaults = ScheduleSettings.model_fields
    scheduled = {}
    for cronjob in cronjobs:
        kubernetes_validate.validate(cronjob, KUBERNETES_VERSION, strict=True)
        command = cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["command"]
        assert command[:5] == ["python", "-m", "services.ops", "schedule", "--once"]
        scheduled |= {name: cronjob["spec"]["schedule"] for name in command[5:]}
    assert scheduled == {job.name: defaults[job.schedule].default for job in JOBS}
