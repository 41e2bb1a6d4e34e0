"""The Kubernetes side of deploy/, checked offline: each overlay is rendered with
`kubectl kustomize`, every built-in object validates against the Kubernetes OpenAPI schemas
(kubernetes-validate, strict: unknown fields fail), the custom resources against the schema
next to this file, and the objects are checked against the code they run: the commands,
ports and variables the services read, the probes, the security and the secrets."""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import subprocess
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # no stubs in the dev group
import kubernetes_validate  # type: ignore[import-untyped]
import pytest
import yaml

# attendance and rating have no py.typed: untyped to `mypy tests/deploy`, typed to `mypy`.
from assignment.settings import AssignmentSettings
from attendance.settings import AttendanceSettings  # type: ignore[import-untyped,unused-ignore]
from chibo_chassis import KernelSettings
from rating.settings import RatingSettings  # type: ignore[import-untyped,unused-ignore]

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
OVERLAYS = ("staging", "production")
CUSTOM_SCHEMA = Path(__file__).with_name("custom-resources.schema.json")
# The oldest Kubernetes the manifests promise to work on, and the newest schemas shipped
# with kubernetes-validate.
KUBERNETES_VERSIONS = ("1.29", kubernetes_validate.latest_version())
IMAGE = "ghcr.io/province/chibo"

SETTINGS: dict[str, type[KernelSettings]] = {
    "assignment": AssignmentSettings,
    "attendance": AttendanceSettings,
    "rating": RatingSettings,
}
PORTS = {"assignment": 8101, "attendance": 8102, "rating": 8103, "web": 8100}
SERVED = (*SETTINGS, "web")  # the web app too: it keeps no data (test_web_manifests.py)
# Per service its database and NATS user; once for the province the keyring database and
# the master key, which every service shares (they unwrap each other's data keys); the web
# app's session key and (optional) client secret at the identity provider.
SECRETS = {f"chibo-{s}-{kind}" for s in SETTINGS for kind in ("db", "nats")} | {
    "chibo-keyring-db",
    "chibo-master-key",
    "chibo-web-session",
    "chibo-web-oidc",
}
# environment variables that carry secrets, and YAML keys whose value would be one
SENSITIVE_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|KEY|DATABASE_URL|URI|DSN", re.IGNORECASE)
SECRET_FIELD = re.compile(r"(?i)(\w*_)?(password|passwd|pass|token|secret|credentials?)")
# user:password@ in a URL, unless the password is a placeholder ($PW, <password>)
URL_WITH_PASSWORD = re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@]+:(?![$<])[^/\s@]+@", re.I)

Obj = dict[str, Any]


# --- rendering and lookups -------------------------------------------------------------


@cache
def render(overlay: str) -> tuple[Obj, ...]:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.fail(
            "kubectl is not on PATH: it renders deploy/k8s/overlays (kubectl kustomize). "
            "Install kubectl (kustomize is built in) and run the tests again."
        )
    result = subprocess.run(
        [kubectl, "kustomize", str(DEPLOY / "k8s" / "overlays" / overlay)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"kubectl kustomize {overlay} failed:\n{result.stderr}"
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


@pytest.fixture(params=OVERLAYS)
def overlay(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def objects(overlay: str) -> tuple[Obj, ...]:
    return render(overlay)


def of_kind(objects: tuple[Obj, ...], kind: str) -> list[Obj]:
    return [o for o in objects if o["kind"] == kind]


def one(objects: tuple[Obj, ...], kind: str, name: str) -> Obj:
    found = [o for o in of_kind(objects, kind) if o["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind}/{name}, found {len(found)}"
    return found[0]


def config_map(objects: tuple[Obj, ...], prefix: str) -> Obj:
    """A generated ConfigMap: kustomize appends a content hash to the name."""
    found = [
        o
        for o in of_kind(objects, "ConfigMap")
        if re.fullmatch(rf"{prefix}(-[a-z0-9]{{10}})?", o["metadata"]["name"])
    ]
    assert len(found) == 1, f"expected one ConfigMap {prefix}, found {len(found)}"
    return found[0]


def containers(deployment: Obj) -> list[Obj]:
    spec = deployment["spec"]["template"]["spec"]
    return [*spec.get("initContainers", []), *spec["containers"]]


def matches(selector: Obj, labels: dict[str, str]) -> bool:
    """A Kubernetes label selector (matchLabels and matchExpressions) against labels."""
    for key, value in selector.get("matchLabels", {}).items():
        if labels.get(key) != value:
            return False
    for expression in selector.get("matchExpressions", []):
        key, operator = expression["key"], expression["operator"]
        values = expression.get("values", [])
        if operator == "In" and labels.get(key) not in values:
            return False
        if operator == "NotIn" and labels.get(key) in values:
            return False
        if operator == "Exists" and key not in labels:
            return False
        if operator == "DoesNotExist" and key in labels:
            return False
    return bool(selector)


def literal_secrets(tree: Any, path: str = "") -> Iterator[str]:
    """Where a secret is written down in a YAML tree: a password-like key with a value, an
    environment entry {name: *PASSWORD*, value: ...}, or a URL with user:password@."""
    if isinstance(tree, dict):
        if SENSITIVE_NAME.search(str(tree.get("name", ""))) and "value" in tree:
            yield f"{path}/value"
        for key, value in tree.items():
            here = f"{path}/{key}"
            if SECRET_FIELD.fullmatch(str(key)) and isinstance(value, str | int) and value != "":
                yield here
            yield from literal_secrets(value, here)
    elif isinstance(tree, list):
        for index, item in enumerate(tree):
            yield from literal_secrets(item, f"{path}/{index}")
    elif isinstance(tree, str) and URL_WITH_PASSWORD.search(tree):
        yield path


def quantity(value: str | int) -> float:
    """A CPU or memory quantity as a number (cores or bytes)."""
    units = {"m": 1e-3, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}
    match = re.fullmatch(r"([0-9.]+)([a-zA-Z]*)", str(value))
    assert match, value
    return float(match[1]) * units.get(match[2], 1)


def env_names(settings: type[KernelSettings]) -> set[str]:
    """Every environment variable a settings class reads."""
    prefix = str(settings.model_config.get("env_prefix", ""))
    names: set[str] = set()
    for field_name, field in settings.model_fields.items():
        choices = getattr(field.validation_alias, "choices", None)
        if choices:
            names.update(str(choice) for choice in choices)
        else:
            names.add(f"{prefix}{field_name}".upper())
    return names


# --- schemas ------------------------------------------------------------------------------

CUSTOM_KINDS = {
    ("monitoring.coreos.com/v1", "ServiceMonitor"),
    ("postgresql.cnpg.io/v1", "Cluster"),
    ("postgresql.cnpg.io/v1", "Database"),
    ("postgresql.cnpg.io/v1", "ScheduledBackup"),
}


@cache
def custom_validator(kind: str) -> jsonschema.protocols.Validator:
    document = json.loads(CUSTOM_SCHEMA.read_text())
    schema = {**document, "$ref": f"#/$defs/{kind}"}
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def schema_errors(obj: Obj) -> list[str]:
    """Why `obj` is invalid (empty when valid): custom resources against our schema,
    everything else against the Kubernetes schemas of each version we support."""
    where = f"{obj.get('kind')}/{obj.get('metadata', {}).get('name')}"
    if (obj.get("apiVersion"), obj.get("kind")) in CUSTOM_KINDS:
        return [
            f"{where}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in custom_validator(obj["kind"]).iter_errors(obj)
        ]
    errors = []
    for version in KUBERNETES_VERSIONS:
        try:
            kubernetes_validate.validate(obj, version, strict=True)
        except kubernetes_validate.ValidationError as e:
            path = "/".join(map(str, e.absolute_path))
            errors.append(f"{where} (Kubernetes {version}): {path}: {e.message}")
        except kubernetes_validate.SchemaNotFoundError as e:
            errors.append(f"{where}: no schema, neither built in nor ours: {e.message}")
    return errors


def test_the_validators_reject_what_kubernetes_would() -> None:
    """The checks below are only as good as the validators: a misspelt field, a wrong type
    and an unknown custom field must each be reported."""
    deployment = one(render("production"), "Deployment", "chibo-assignment")
    misspelt = json.loads(json.dumps(deployment))
    misspelt["spec"]["template"]["spec"]["containers"][0]["livenesProbe"] = {}
    wrong_type = json.loads(json.dumps(deployment))
    wrong_type["spec"]["replicas"] = "two"
    monitor = json.loads(json.dumps(one(render("production"), "ServiceMonitor", "chibo-rating")))
    monitor["spec"]["endpoints"][0]["scrapeEvery"] = "30s"
    assert schema_errors(deployment) == []
    for broken in (misspelt, wrong_type, monitor):
        assert schema_errors(broken), broken["kind"]


# --- the rendered overlays ----------------------------------------------------------------


def test_every_rendered_object_validates(objects: tuple[Obj, ...]) -> None:
    errors = [error for obj in objects for error in schema_errors(obj)]
    assert errors == []
    kinds = {o["kind"] for o in objects}
    assert {
        "Namespace",
        "ConfigMap",
        "Deployment",
        "Service",
        "PodDisruptionBudget",
        "ServiceMonitor",
        "NetworkPolicy",
        "Ingress",
    } <= kinds


def test_everything_lands_in_one_namespace_that_enforces_restricted_pods(
    objects: tuple[Obj, ...], overlay: str
) -> None:
    (namespace,) = of_kind(objects, "Namespace")
    name = namespace["metadata"]["name"]
    assert name == {"staging": "chibo-staging", "production": "chibo"}[overlay]
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    assert {o["metadata"].get("namespace") for o in objects if o is not namespace} == {name}


@pytest.mark.parametrize("service", SETTINGS)
def test_each_service_runs_its_commands_with_probes_resources_and_a_locked_down_pod(
    objects: tuple[Obj, ...], service: str
) -> None:
    deployment = one(objects, "Deployment", f"chibo-{service}")
    pod = deployment["spec"]["template"]["spec"]
    (migrate,) = pod["initContainers"]
    (main,) = pod["containers"]
    assert migrate["command"] == [f"chibo-{service}", "migrate"]
    assert main["command"] == [f"chibo-{service}", "serve"]

    ports = {p["name"]: p["containerPort"] for p in main["ports"]}
    assert ports == {"http": PORTS[service]}
    for probe, path in (
        ("livenessProbe", "/health/live"),
        ("readinessProbe", "/health/ready"),
        ("startupProbe", "/health/live"),
    ):
        assert main[probe]["httpGet"] == {"path": path, "port": "http"}, probe
    # The startup probe, not the liveness probe, covers a slow start.
    startup = main["startupProbe"]
    assert startup["periodSeconds"] * startup["failureThreshold"] >= 60

    # SIGTERM drains within 20 s (ServiceRuntime.grace_seconds) after the preStop pause.
    pause = int(main["lifecycle"]["preStop"]["exec"]["command"][-1])
    assert pod["terminationGracePeriodSeconds"] >= pause + 20 + 5

    assert pod["enableServiceLinks"] is False  # no injected CHIBO_<SERVICE>_PORT variables
    assert pod["automountServiceAccountToken"] is False
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == 10001  # the image's user (Dockerfile)
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    for container in containers(deployment):
        name = container["name"]
        assert container["image"] == main["image"], name
        resources = container["resources"]
        for bound in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(resources[bound]), (name, bound)
        security = container["securityContext"]
        assert security["readOnlyRootFilesystem"] is True, name
        assert security["allowPrivilegeEscalation"] is False, name
        assert security["capabilities"]["drop"] == ["ALL"], name
        # A read-only root still needs a writable /tmp (uploads, imports).
        assert "/tmp" in {m["mountPath"] for m in container["volumeMounts"]}, name


@pytest.mark.parametrize("service", SETTINGS)
def test_each_container_gets_the_variables_its_settings_read(
    objects: tuple[Obj, ...], service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every CHIBO_ variable given to a container is one its settings class reads, and the
    settings load from exactly that environment (secrets stand in as plausible values)."""
    settings = SETTINGS[service]
    shared = config_map(objects, "chibo-config")["data"]
    for container in containers(one(objects, "Deployment", f"chibo-{service}")):
        refs = {r["configMapRef"]["name"] for r in container.get("envFrom", [])}
        assert refs == {config_map(objects, "chibo-config")["metadata"]["name"]}
        environment = dict(shared)
        for variable in container.get("env", []):
            source = variable.get("valueFrom", {}).get("secretKeyRef")
            if source is None:
                environment[variable["name"]] = variable["value"]
            elif source["key"] == "uri":
                environment[variable["name"]] = f"postgresql://u:p@chibo-pg-rw:5432/{service}"
            elif variable["name"] == "CHIBO_MASTER_KEY":  # checked: base64 of 32 bytes
                environment[variable["name"]] = "A" * 43 + "="
            else:
                environment[variable["name"]] = "stand-in"
        unknown = {n for n in environment if n.startswith("CHIBO_")} - env_names(settings)
        assert unknown == set(), f"{container['name']} of {service}"

        for name in [n for n in os.environ if n.startswith("CHIBO_")]:
            monkeypatch.delenv(name)
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        loaded = settings()
        assert loaded.database_url.endswith(f"/{service}")
        assert loaded.stream_replicas == 3  # R3 streams on the three-node NATS
        if container["name"] != "migrate":
            assert loaded.http_host == "0.0.0.0"
            assert loaded.http_port == PORTS[service]
            assert loaded.nats_user == service  # the user of deploy/nats/accounts.conf
            assert loaded.nats_password is not None


def test_rating_reads_optional_rule_overrides_where_they_are_mounted(
    objects: tuple[Obj, ...],
) -> None:
    pod = one(objects, "Deployment", "chibo-rating")["spec"]["template"]["spec"]
    (main,) = pod["containers"]
    rules_dir = {v["name"]: v.get("value") for v in main["env"]}["CHIBO_RATING_RULES_DIR"]
    mount = {m["mountPath"]: m["name"] for m in main["volumeMounts"]}[rules_dir]
    volume = {v["name"]: v for v in pod["volumes"]}[mount]
    assert volume["configMap"] == {"name": "chibo-rating-rules", "optional": True}


@pytest.mark.parametrize("service", SETTINGS)
def test_each_service_reads_the_retention_policy_where_it_is_mounted(
    objects: tuple[Obj, ...], service: str
) -> None:
    pod = one(objects, "Deployment", f"chibo-{service}")["spec"]["template"]["spec"]
    main = next(c for c in pod["containers"] if c["name"] == service)
    policy = {v["name"]: v.get("value") for v in main["env"]}["CHIBO_RETENTION_FILE"]
    folder, name = posixpath.split(policy)
    mount = {m["mountPath"]: m["name"] for m in main["volumeMounts"]}[folder]
    source = {v["name"]: v for v in pod["volumes"]}[mount]["configMap"]
    assert source.get("optional", False) is False  # a service never runs without its policy
    assert name in config_map(objects, "chibo-retention")["data"]


def test_replicas_and_update_strategies_follow_the_design(overlay: str) -> None:
    objects = render(overlay)
    for service in SERVED:
        spec = one(objects, "Deployment", f"chibo-{service}")["spec"]
        assert spec["replicas"] >= 2, service
        assert spec["strategy"]["type"] == "RollingUpdate"
        assert spec["strategy"]["rollingUpdate"]["maxUnavailable"] == 0


def test_production_is_larger_than_staging() -> None:
    def sizes(overlay: str, service: str) -> tuple[int, float, float]:
        spec = one(render(overlay), "Deployment", f"chibo-{service}")["spec"]
        limits = spec["template"]["spec"]["containers"][0]["resources"]["limits"]
        return spec["replicas"], quantity(limits["cpu"]), quantity(limits["memory"])

    for service in SETTINGS:
        production, staging = sizes("production", service), sizes("staging", service)
        assert production[0] > staging[0], service
        assert production[1] > staging[1], service  # CPU limit
        assert production[2] > staging[2], service  # memory limit
        for overlay in OVERLAYS:
            spec = one(render(overlay), "Deployment", f"chibo-{service}")["spec"]
            for bound in ("cpu", "memory"):
                resources = spec["template"]["spec"]["containers"][0]["resources"]
                limit, request = resources["limits"][bound], resources["requests"][bound]
                assert quantity(request) <= quantity(limit), (overlay, service, bound)


def test_images_are_one_pinned_release(objects: tuple[Obj, ...]) -> None:
    images = {c["image"] for d in of_kind(objects, "Deployment") for c in containers(d)}
    assert len(images) == 1, images
    (image,) = images
    name, _, tag = image.partition("@")[0].rpartition(":")
    assert name == IMAGE
    assert "@sha256:" in image or (tag and tag != "latest"), image


@pytest.mark.parametrize("service", SERVED)
def test_each_service_has_a_service_a_budget_and_a_monitor_that_select_its_pods(
    objects: tuple[Obj, ...], service: str
) -> None:
    name = f"chibo-{service}"
    deployment = one(objects, "Deployment", name)
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert matches(deployment["spec"]["selector"], pod_labels)

    svc = one(objects, "Service", name)
    assert matches({"matchLabels": svc["spec"]["selector"]}, pod_labels)
    assert svc["spec"]["ports"] == [
        {"name": "http", "port": PORTS[service], "targetPort": "http", "protocol": "TCP"}
    ]

    budget = one(objects, "PodDisruptionBudget", name)["spec"]
    assert matches(budget["selector"], pod_labels)
    replicas = deployment["spec"]["replicas"]
    if "minAvailable" in budget:
        assert budget["minAvailable"] == 1
        # A budget that forbids every eviction hangs node drains.
        assert replicas > budget["minAvailable"], "the budget would block every eviction"
    else:
        assert replicas == 1
        assert budget["maxUnavailable"] >= 1

    monitor = one(objects, "ServiceMonitor", name)["spec"]
    selected = [
        s["metadata"]["name"]
        for s in of_kind(objects, "Service")
        if matches(monitor["selector"], s["metadata"].get("labels", {}))
    ]
    assert selected == [name]
    # job = the Service name, chibo-<service>: what deploy/prometheus and Grafana select
    assert "jobLabel" not in monitor
    assert monitor["endpoints"] == [
        {"port": "http", "path": "/metrics", "interval": "15s", "scrapeTimeout": "10s"}
    ]


def test_the_network_policy_lets_in_http_and_out_only_dns_nats_and_postgres(
    objects: tuple[Obj, ...],
) -> None:
    spec = one(objects, "NetworkPolicy", "chibo-services")["spec"]
    for service in SETTINGS:
        pod = one(objects, "Deployment", f"chibo-{service}")["spec"]["template"]
        assert matches(spec["podSelector"], pod["metadata"]["labels"]), service
    assert spec["policyTypes"] == ["Ingress", "Egress"]
    assert spec["ingress"] == [{"ports": [{"port": "http", "protocol": "TCP"}]}]
    egress_ports = {p["port"] for rule in spec["egress"] for p in rule["ports"]}
    assert egress_ports == {53, 4222, 5432}
    postgres = next(r for r in spec["egress"] if r["ports"][0]["port"] == 5432)
    assert postgres["to"] == [{"podSelector": {"matchLabels": {"cnpg.io/cluster": "chibo-pg"}}}]


def test_no_secret_value_is_rendered(objects: tuple[Obj, ...]) -> None:
    assert of_kind(objects, "Secret") == []
    referenced: set[str] = set()
    for deployment in of_kind(objects, "Deployment"):
        for container in containers(deployment):
            for variable in container.get("env", []):
                name = variable["name"]
                source = variable.get("valueFrom", {}).get("secretKeyRef")
                if SENSITIVE_NAME.search(name):
                    assert "value" not in variable, f"{name} must come from a Secret"
                    assert source, f"{name} must come from a Secret"
                if source:
                    referenced.add(source["name"])
    assert referenced == SECRETS
    for cm in of_kind(objects, "ConfigMap"):
        for key in cm.get("data", {}):
            assert not SENSITIVE_NAME.search(key), key
    assert list(literal_secrets(list(objects))) == []


def test_config_references_resolve(objects: tuple[Obj, ...]) -> None:
    """Every ConfigMap a pod uses is rendered, except the ones it marks optional."""
    rendered = {o["metadata"]["name"] for o in of_kind(objects, "ConfigMap")}

    def references() -> Iterator[tuple[str, bool]]:
        for deployment in of_kind(objects, "Deployment"):
            pod = deployment["spec"]["template"]["spec"]
            for volume in pod.get("volumes", []):
                if "configMap" in volume:
                    yield volume["configMap"]["name"], volume["configMap"].get("optional", False)
            for container in containers(deployment):
                for source in container.get("envFrom", []):
                    if "configMapRef" in source:
                        ref = source["configMapRef"]
                        yield ref["name"], ref.get("optional", False)

    missing = {name for name, optional in references() if not optional and name not in rendered}
    assert missing == set()
    assert {name for name, optional in references() if optional} == {"chibo-rating-rules"}


# --- deploy/postgres/cluster.yaml ------------------------------------------------------------


def load_postgres() -> list[Obj]:
    text = (DEPLOY / "postgres" / "cluster.yaml").read_text()
    return [doc for doc in yaml.safe_load_all(text) if doc]


def test_the_postgres_cluster_is_highly_available_and_backed_up() -> None:
    documents = load_postgres()
    errors = [error for obj in documents for error in schema_errors(obj)]
    assert errors == []
    (cluster,) = [d for d in documents if d["kind"] == "Cluster"]
    spec = cluster["spec"]
    assert spec["instances"] == 3
    assert spec["postgresql"]["synchronous"]["number"] >= 1
    store = spec["backup"]["barmanObjectStore"]
    credentials = store["s3Credentials"]
    assert {credentials[k]["name"] for k in ("accessKeyId", "secretAccessKey")} == {
        "chibo-pg-backup"
    }
    (scheduled,) = [d for d in documents if d["kind"] == "ScheduledBackup"]
    assert scheduled["spec"]["cluster"]["name"] == cluster["metadata"]["name"]


def test_each_service_has_its_own_role_and_database_with_the_secret_it_reads() -> None:
    documents = load_postgres()
    (cluster,) = [d for d in documents if d["kind"] == "Cluster"]
    roles = {r["name"]: r for r in cluster["spec"]["managed"]["roles"]}
    databases = {
        d["spec"]["name"]: d["spec"]
        for d in documents
        if d["kind"] == "Database" and d["spec"]["cluster"]["name"] == cluster["metadata"]["name"]
    }
    base = render("production")
    for service in SETTINGS:
        role = f"chibo_{service}"  # as deploy/postgres/init and `./chibo up` name it
        assert roles[role]["login"] is True
        assert databases[role]["owner"] == role
        pod = one(base, "Deployment", f"chibo-{service}")["spec"]["template"]["spec"]
        (main,) = pod["containers"]
        url = {v["name"]: v for v in main["env"]}[f"CHIBO_{service.upper()}_DATABASE_URL"]
        assert roles[role]["passwordSecret"]["name"] == url["valueFrom"]["secretKeyRef"]["name"]
    assert set(roles) == {f"chibo_{s}" for s in SETTINGS} | {"chibo_keyring"}
    assert databases["chibo_keyring"]["owner"] == "chibo_keyring"
    for service in SETTINGS:  # every service, migrate step included, reads the one keyring
        for container in containers(one(base, "Deployment", f"chibo-{service}")):
            url = {v["name"]: v for v in container["env"]}["CHIBO_KEYRING_DATABASE_URL"]
            source = url["valueFrom"]["secretKeyRef"]
            assert (source["name"], source["key"]) == ("chibo-keyring-db", "uri")
            assert roles["chibo_keyring"]["passwordSecret"]["name"] == source["name"]
    # the NetworkPolicy lets the services reach exactly this cluster's pods
    policy = one(base, "NetworkPolicy", "chibo-services")
    selectors = [to for rule in policy["spec"]["egress"] for to in rule["to"]]
    cnpg = {"matchLabels": {"cnpg.io/cluster": cluster["metadata"]["name"]}}
    assert {"podSelector": cnpg} in selectors
    assert list(literal_secrets(documents)) == []
    assert not URL_WITH_PASSWORD.search((DEPLOY / "postgres" / "cluster.yaml").read_text())


# --- deploy/nats/helm-values.yaml ------------------------------------------------------------


def test_the_nats_values_make_a_three_node_jetstream_cluster_that_fsyncs() -> None:
    values = yaml.safe_load((DEPLOY / "nats" / "helm-values.yaml").read_text())
    config = values["config"]
    assert config["cluster"] == {"enabled": True, "replicas": 3}
    jetstream = config["jetstream"]
    assert jetstream["enabled"] is True
    assert jetstream["fileStore"]["enabled"] is True
    assert jetstream["fileStore"]["pvc"]["enabled"] is True
    assert re.fullmatch(r"[0-9]+Gi", jetstream["fileStore"]["pvc"]["size"])
    assert jetstream["memoryStore"]["enabled"] is False
    assert jetstream["merge"]["sync_interval"] == "always"
    assert config["monitor"] == {"enabled": True, "port": 8222}
    assert values["promExporter"]["enabled"] is True
    assert values["promExporter"]["podMonitor"]["enabled"] is True
    # The single-host server fsyncs the same way.
    assert re.search(
        r"(?m)^\s*sync_interval:\s*always\s*$", (DEPLOY / "nats" / "nats.conf").read_text()
    )
    # The services ask for as many stream replicas as there are servers.
    shared = config_map(render("production"), "chibo-config")["data"]
    assert int(shared["CHIBO_STREAM_REPLICAS"]) == config["cluster"]["replicas"]


def test_the_nats_values_load_accounts_conf_and_every_password_it_needs() -> None:
    values = yaml.safe_load((DEPLOY / "nats" / "helm-values.yaml").read_text())
    # the include resolves (relative to the chart's /etc/nats-config/nats.conf) into the
    # mount of the accounts ConfigMap
    included = posixpath.normpath(
        posixpath.join("/etc/nats-config", values["config"]["merge"]["$include"])
    )
    mounts = [p["value"] for p in values["container"]["patch"] if p["path"] == "/volumeMounts/-"]
    (mount,) = [m for m in mounts if included.startswith(m["mountPath"] + "/")]
    volumes = [p["value"] for p in values["podTemplate"]["patch"] if p["path"] == "/spec/volumes/-"]
    (volume,) = [v for v in volumes if v["name"] == mount["name"]]
    assert "configMap" in volume
    accounts = DEPLOY / "nats" / posixpath.basename(included)
    assert accounts.name == "accounts.conf"
    assert accounts.is_file()
    # every $NATS_..._PASSWORD of accounts.conf comes from a Secret, none is written down
    needed = set(re.findall(r"\$(NATS_[A-Z_]+_PASSWORD)", accounts.read_text()))
    assert needed
    env = values["container"]["env"]
    for name in needed:
        assert env[name]["valueFrom"]["secretKeyRef"]["key"] == name
    assert list(literal_secrets(values)) == []
