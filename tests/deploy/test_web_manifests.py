"""The web app on Kubernetes (deploy/k8s/base/web), checked offline on both rendered
overlays: its Deployment runs `chibo-web serve` with the variables WebSettings reads and its
secrets from Secrets, its NetworkPolicy lets it reach the three APIs, and the Ingresses give
people and programs one address: `/` is the app, `/api/<service>/` each API, prefix stripped."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest

from web.settings import WebSettings

from .test_kubernetes_manifests import (
    OVERLAYS,
    PORTS,
    SETTINGS,
    Obj,
    config_map,
    containers,
    env_names,
    matches,
    of_kind,
    one,
    render,
)

APIS = tuple(SETTINGS)


@pytest.fixture(params=OVERLAYS)
def objects(request: pytest.FixtureRequest) -> tuple[Obj, ...]:
    return render(str(request.param))


def _web_container(objects: tuple[Obj, ...]) -> Obj:
    pod = one(objects, "Deployment", "chibo-web")["spec"]["template"]["spec"]
    assert "initContainers" not in pod  # nothing to migrate: it keeps no data
    (main,) = pod["containers"]
    return dict(main)


def _environment(objects: tuple[Obj, ...], container: Obj) -> dict[str, str]:
    """The container's variables, with plausible stand-ins for what Secrets hold."""
    environment: dict[str, str] = {}
    for source in container.get("envFrom", []):
        name = source["configMapRef"]["name"]
        (generated,) = [c for c in of_kind(objects, "ConfigMap") if c["metadata"]["name"] == name]
        environment.update(generated["data"])
    for variable in container.get("env", []):
        secret = variable.get("valueFrom", {}).get("secretKeyRef")
        environment[variable["name"]] = "s" * 64 if secret else variable["value"]
    return environment


def test_the_web_app_runs_its_command_with_probes_and_a_locked_down_pod(
    objects: tuple[Obj, ...],
) -> None:
    deployment = one(objects, "Deployment", "chibo-web")
    main = _web_container(objects)
    assert main["command"] == ["chibo-web", "serve"]
    assert {p["name"]: p["containerPort"] for p in main["ports"]} == {"http": PORTS["web"]}
    for probe, path in (
        ("livenessProbe", "/health/live"),
        ("readinessProbe", "/health/ready"),
        ("startupProbe", "/health/live"),
    ):
        assert main[probe]["httpGet"] == {"path": path, "port": "http"}, probe
    pod = deployment["spec"]["template"]["spec"]
    assert pod["enableServiceLinks"] is False
    assert pod["automountServiceAccountToken"] is False
    assert pod["securityContext"]["runAsNonRoot"] is True
    for container in containers(deployment):
        security = container["securityContext"]
        assert security["readOnlyRootFilesystem"] is True
        assert security["capabilities"]["drop"] == ["ALL"]
        assert "/tmp" in {m["mountPath"] for m in container["volumeMounts"]}
        assert {"cpu", "memory"} <= set(container["resources"]["limits"])


def test_the_web_app_gets_the_variables_its_settings_read_and_reaches_the_apis_by_service(
    objects: tuple[Obj, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    main = _web_container(objects)
    environment = _environment(objects, main)
    unknown = {name for name in environment if name.startswith("CHIBO_")}
    unknown -= set(env_names(WebSettings))  # type: ignore[arg-type]  # a BaseSettings
    assert unknown == set()

    secrets = {v["name"]: v["valueFrom"]["secretKeyRef"] for v in main["env"] if "valueFrom" in v}
    assert secrets["CHIBO_WEB_SESSION_SECRET"] == {"name": "chibo-web-session", "key": "secret"}
    # A public client at the identity provider has no secret: the Secret may be absent.
    assert secrets["CHIBO_WEB_OIDC_CLIENT_SECRET"]["optional"] is True

    for name in [n for n in os.environ if n.startswith("CHIBO_")]:
        monkeypatch.delenv(name)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    settings = WebSettings()  # from the environment
    assert (settings.http_host, settings.http_port) == ("0.0.0.0", PORTS["web"])
    assert settings.secure_cookies is True
    assert settings.demo_signin is False  # the demo roles are for the embedded stack only
    assert settings.oidc_issuer == "https://id.example.gov.vn/realms/dang"
    assert settings.oidc_client_id == "chibo-web"
    for api in APIS:
        url = getattr(settings, f"{api}_url")
        service = one(objects, "Service", f"chibo-{api}")
        (port,) = service["spec"]["ports"]
        assert url == f"http://chibo-{api}:{port['port']}"


def test_the_web_apps_network_policy_lets_it_reach_only_dns_the_apis_and_https(
    objects: tuple[Obj, ...],
) -> None:
    spec = one(objects, "NetworkPolicy", "chibo-web")["spec"]
    web_pod = one(objects, "Deployment", "chibo-web")["spec"]["template"]["metadata"]
    assert matches(spec["podSelector"], web_pod["labels"])
    assert spec["ingress"] == [{"ports": [{"port": "http", "protocol": "TCP"}]}]
    (to_apis,) = [rule for rule in spec["egress"] if 8101 in {p["port"] for p in rule["ports"]}]
    assert {p["port"] for p in to_apis["ports"]} == {PORTS[api] for api in APIS}
    for api in APIS:
        pod = one(objects, "Deployment", f"chibo-{api}")["spec"]["template"]["metadata"]
        assert any(matches(to["podSelector"], pod["labels"]) for to in to_apis["to"]), api
    egress_ports = {p["port"] for rule in spec["egress"] for p in rule["ports"]}
    assert egress_ports == {53, 443} | {PORTS[api] for api in APIS}


def _routes(objects: tuple[Obj, ...]) -> dict[str, tuple[Obj, Obj]]:
    """path → (its Ingress, its backend), over every Ingress."""
    found: dict[str, tuple[Obj, Obj]] = {}
    for ingress in of_kind(objects, "Ingress"):
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                assert path["path"] not in found, path["path"]
                found[path["path"]] = (ingress, path)
    return found


def _rewrite(ingress: Obj, path: str, requested: str) -> str | None:
    """What ingress-nginx sends upstream for `requested` (None: the path does not match)."""
    annotations: dict[str, Any] = ingress["metadata"].get("annotations", {})
    if annotations.get("nginx.ingress.kubernetes.io/use-regex") != "true":
        return requested if requested.startswith(path) else None
    matched = re.match(path, requested)
    if matched is None:
        return None
    target = annotations["nginx.ingress.kubernetes.io/rewrite-target"]
    return re.sub(r"\$(\d)", lambda g: matched.group(int(g[1])) or "", target)


def test_the_ingress_routes_the_app_at_the_root_and_each_api_under_its_prefix(
    objects: tuple[Obj, ...],
) -> None:
    routes = _routes(objects)
    assert len(routes) == 4
    backends = {path: route["backend"]["service"] for path, (_, route) in routes.items()}
    assert backends["/"] == {"name": "chibo-web", "port": {"name": "http"}}
    for api in APIS:
        (path,) = [p for p, b in backends.items() if b["name"] == f"chibo-{api}"]
        assert backends[path]["port"] == {"name": "http"}
        ingress, route = routes[path]
        assert route["pathType"] == "ImplementationSpecific"  # a regex, for ingress-nginx
        assert _rewrite(ingress, path, f"/api/{api}/v1/units/VL") == "/v1/units/VL"
        assert _rewrite(ingress, path, f"/api/{api}/docs") == "/docs"
        assert _rewrite(ingress, path, f"/api/{api}") == "/"
        assert _rewrite(ingress, path, f"/api/{api}x/v1") is None  # no other prefix
    web_ingress, _ = routes["/"]
    # The app's own paths pass unchanged.
    assert _rewrite(web_ingress, "/", "/meetings/42?lang=en") == "/meetings/42?lang=en"
    for ingress in of_kind(objects, "Ingress"):
        assert ingress["spec"]["ingressClassName"] == "nginx"
    for name in {b["name"] for b in backends.values()}:
        service = one(objects, "Service", name)
        assert [p["name"] for p in service["spec"]["ports"]] == ["http"]


def test_the_ingress_answers_for_the_apps_public_address_over_tls(
    objects: tuple[Obj, ...],
) -> None:
    public_url = config_map(objects, "chibo-web-config")["data"]["CHIBO_WEB_PUBLIC_URL"]
    host = public_url.removeprefix("https://")
    assert public_url == f"https://{host}"  # the sign-in returns over TLS
    for ingress in of_kind(objects, "Ingress"):
        assert [rule["host"] for rule in ingress["spec"]["rules"]] == [host]
        assert ingress["spec"]["tls"] == [{"hosts": [host], "secretName": "chibo-tls"}]
