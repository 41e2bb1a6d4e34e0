"""deploy/prometheus and deploy/grafana checked with the real promtool (Debian's, unpacked by
tools/prometheus/fetch): the alert rules load and pass their unit tests, the scrape config
loads with them, every metric they and the dashboard name is one the kernel exposes, and
every alert's runbook link lands on a section of docs/operations.md."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml
from prometheus_client import CollectorRegistry
from starlette.types import Receive, Scope, Send

from chibo_chassis.auth import SharedSecretVerifier
from chibo_chassis.http.middleware import RequestContext
from chibo_kernel.metrics import KernelMetrics
from rating.adapters.metrics import RatingMetrics

from .compose import scrape_targets
from .tools import promtool

ROOT = Path(__file__).resolve().parents[2]
PROMETHEUS = ROOT / "deploy/prometheus"
RULES = PROMETHEUS / "rules.yml"
RULE_TESTS = PROMETHEUS / "rules.test.yml"
CONFIG = PROMETHEUS / "prometheus.yml"
GRAFANA = ROOT / "deploy/grafana"
DASHBOARD = GRAFANA / "dashboards/chibo.json"
RUNBOOK = ROOT / "docs/operations.md"
RUNBOOK_URL = "https://github.com/province/chibo/blob/main/docs/operations.md"
ALERTS = {
    "ChiboServiceDown",
    "ChiboServiceGone",
    "ChiboRelayLag",
    "ChiboProjectionLag",
    "ChiboConsumerPending",
    "ChiboRedeliveries",
    "ChiboParkedMessages",
    "ChiboHandlerErrors",
    "ChiboDatabaseNotReady",
    "ChiboNatsNotReady",
    "ChiboKeyringNotReady",
    "ChiboRatingsWaiting",
    "ChiboReadModelOutdated",
    "ChiboHttpErrors",
    "ChiboHttpLatency",
    "ChiboConsumerRecreated",
    "ChiboRelayQuarantined",
    "ChiboPersonalDataHeavyReader",
    "ChiboPersonalDataReadsSpike",
    "ChiboRetentionOverdue",
}
ANNOTATIONS = {"summary", "summary_vi", "description", "description_vi", "runbook_url"}
SCRAPED = {
    "chibo-assignment": "assignment:8101",
    "chibo-attendance": "attendance:8102",
    "chibo-rating": "rating:8103",
    "chibo-web": "web:8100",  # ChiboServiceDown covers the web app too
    "nats": "nats-exporter:7777",
}
_METRIC = re.compile(r"chibo_[a-z_]+")
CHOSEN = "${datasource}"  # the dashboard's data source variable


def _promtool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([promtool(), *args], capture_output=True, text=True, timeout=60, cwd=ROOT)


def _output(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n{result.stdout}{result.stderr}"


def _rules() -> list[dict[str, Any]]:
    groups = yaml.safe_load(RULES.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def _dashboard() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DASHBOARD.read_text())
    return loaded


def _dashboard_exprs() -> list[str]:
    return [t["expr"] for p in _dashboard()["panels"] for t in p.get("targets", [])]


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


# --- promtool -------------------------------------------------------------------------------


def test_promtool_accepts_the_alert_rules() -> None:
    result = _promtool("check", "rules", str(RULES))
    assert result.returncode == 0, _output(result)
    assert f"SUCCESS: {len(ALERTS)} rules found" in result.stdout, _output(result)


def test_the_alert_rules_pass_their_unit_tests() -> None:
    result = _promtool("test", "rules", str(RULE_TESTS))
    assert result.returncode == 0, _output(result)
    assert "SUCCESS" in result.stdout, _output(result)
    assert "FAILED" not in result.stdout + result.stderr, _output(result)


def test_the_unit_tests_catch_a_changed_threshold(tmp_path: Path) -> None:
    # The same tests against rules whose relay lag threshold moved from 2 to 20 minutes.
    rules = RULES.read_text()
    assert "chibo_relay_lag_seconds > 120" in rules
    (tmp_path / "rules.yml").write_text(
        rules.replace("chibo_relay_lag_seconds > 120", "chibo_relay_lag_seconds > 1200")
    )
    shutil.copy(RULE_TESTS, tmp_path / "rules.test.yml")
    result = _promtool("test", "rules", str(tmp_path / "rules.test.yml"))
    assert result.returncode != 0, _output(result)
    assert "alertname: ChiboRelayLag" in result.stdout + result.stderr, _output(result)


def test_every_alert_is_unit_tested_both_firing_and_quiet() -> None:
    fired: set[str] = set()
    quiet: set[str] = set()
    for case in yaml.safe_load(RULE_TESTS.read_text())["tests"]:
        for check in case.get("alert_rule_test", []):
            (fired if check.get("exp_alerts") else quiet).add(check["alertname"])
    assert fired >= ALERTS, f"never shown firing: {sorted(ALERTS - fired)}"
    assert quiet >= ALERTS, f"never shown quiet: {sorted(ALERTS - quiet)}"


def test_promtool_accepts_the_scrape_config_with_its_rules(tmp_path: Path) -> None:
    config = yaml.safe_load(CONFIG.read_text())
    # In the container the rules are mounted here; promtool resolves rule files, so the
    # copy checked points at the repository's.
    assert config["rule_files"] == ["/etc/prometheus/rules.yml"]
    config["rule_files"] = [str(RULES)]
    checked = tmp_path / "prometheus.yml"
    checked.write_text(yaml.safe_dump(config))
    result = _promtool("check", "config", str(checked))
    assert result.returncode == 0, _output(result)
    assert "SUCCESS: 1 rule files found" in result.stdout, _output(result)
    assert "is valid prometheus config file syntax" in result.stdout, _output(result)
    assert f"SUCCESS: {len(ALERTS)} rules found" in result.stdout, _output(result)


def test_the_scrape_config_scrapes_every_service_where_compose_runs_it() -> None:
    config = yaml.safe_load(CONFIG.read_text())
    assert config["global"]["scrape_interval"] == "15s"
    targets = {job["job_name"]: scrape_targets(job) for job in config["scrape_configs"]}
    assert targets == {job: [target] for job, target in SCRAPED.items()}
    services = _compose()["services"]
    for job, target in SCRAPED.items():
        host, port = target.split(":")
        assert host in services, f"{job} scrapes {host}, which docker-compose.yml does not run"
        if job.startswith("chibo-"):
            environment = services[host]["environment"]
            served = [v for k, v in environment.items() if k.endswith("HTTP_PORT")]
            assert [str(v) for v in served] == [port], job
    mounts = services["prometheus"]["volumes"]
    assert "./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro" in mounts
    assert "./deploy/prometheus/rules.yml:/etc/prometheus/rules.yml:ro" in mounts


# --- the rules themselves -------------------------------------------------------------------


def test_every_alert_has_a_severity_a_delay_and_bilingual_annotations() -> None:
    groups = yaml.safe_load(RULES.read_text())["groups"]
    assert {g["name"] for g in groups} == {"chibo"}
    rules = _rules()
    names = [r["alert"] for r in rules]
    assert sorted(names) == sorted(ALERTS)  # others route and link by these names
    for rule in rules:
        name = rule["alert"]
        assert re.fullmatch(r"\d+m", rule["for"]), name
        assert rule["labels"]["severity"] in {"page", "ticket"}, name
        annotations = rule["annotations"]
        assert set(annotations) == ANNOTATIONS, name
        assert annotations["runbook_url"] == f"{RUNBOOK_URL}#{name.lower()}"
        for key in ("summary", "description"):
            assert annotations[key].strip(), name
            assert annotations[f"{key}_vi"].strip(), name
            assert annotations[key] != annotations[f"{key}_vi"], f"{name}: {key}_vi untranslated"


def _kernel_metric_names() -> set[str]:
    """Every series name the services' own code exposes, as Prometheus stores it: a counter
    family's name lacks the `_total` of its samples."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        raise AssertionError("never called")

    registry = CollectorRegistry()
    KernelMetrics(registry)
    RatingMetrics(registry)
    verifier = SharedSecretVerifier("x" * 32, issuer="i", audience="a")
    RequestContext(app, registry, verifier)  # HTTP durations and sign-in refusals
    return {
        f"{family.name}_total" if family.type == "counter" else family.name
        for family in registry.collect()
    }


def _referenced(exprs: list[str]) -> set[str]:
    return {re.sub(r"_(bucket|sum|count)$", "", m) for e in exprs for m in _METRIC.findall(e)}


def test_every_metric_the_rules_and_dashboard_use_is_one_the_services_expose() -> None:
    known = _kernel_metric_names()
    assert {"chibo_events_appended_total", "chibo_http_request_duration_seconds"} <= known
    for source, exprs in (
        ("rules.yml", [str(r["expr"]) for r in _rules()]),
        ("chibo.json", _dashboard_exprs()),
    ):
        used = _referenced(exprs)
        assert len(used) >= 5, f"{source}: found only {sorted(used)}"
        unknown = used - known
        assert not unknown, f"{source} uses metrics no service exposes: {sorted(unknown)}"


# --- the runbook ----------------------------------------------------------------------------


def _github_anchor(heading: str) -> str:
    """The id GitHub gives a Markdown heading."""
    text = heading.lstrip("#").strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def test_every_alert_links_to_its_section_of_the_runbook() -> None:
    assert RUNBOOK.is_file(), f"{RUNBOOK.relative_to(ROOT)}, the alerts' runbook, is missing"
    headings, anchors, fenced = [], set(), False
    for line in RUNBOOK.read_text().splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and re.match(r"#{2,3}\s", line):
            headings.append(line)
            anchors.add(_github_anchor(line))
        anchors.update(re.findall(r"<a\s+(?:id|name)=\"([^\"]+)\"", line))
    for rule in _rules():
        name = rule["alert"]
        assert any(name.lower() in h.lower() for h in headings), (
            f"docs/operations.md has no '## {name}' or '### {name}' section"
        )
        anchor = rule["annotations"]["runbook_url"].split("#", 1)[1]
        assert anchor in anchors, (
            f"{name}'s runbook_url ends in #{anchor}, which no heading of docs/operations.md "
            f"produces: title the section exactly '## {name}' (or add <a id=\"{anchor}\">)"
        )


# --- Grafana --------------------------------------------------------------------------------


def test_dashboard_is_valid_json_with_panels() -> None:
    dashboard = _dashboard()
    assert dashboard["schemaVersion"] >= 39
    assert dashboard["uid"] == "chibo-overview"
    assert dashboard["title"].strip()
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    # The Prometheus to read is chosen on the dashboard (a province may run several), and
    # every query follows that choice: none names a data source of its own.
    source = variables["datasource"]
    assert (source["type"], source["query"]) == ("datasource", "prometheus")
    assert source["current"]["value"] == "prometheus"  # the one Grafana is provisioned with
    assert variables["job"]["datasource"]["uid"] == CHOSEN
    assert 'up{job=~"chibo-.+"}' in variables["job"]["definition"]
    panels = dashboard["panels"]
    assert len(panels) >= 12
    assert len({p["id"] for p in panels}) == len(panels)
    cells: set[tuple[int, int]] = set()
    for panel in panels:
        title = panel.get("title", "")
        assert title.strip(), f"panel {panel['id']} has no title"
        assert panel["datasource"]["uid"] == CHOSEN, title
        targets = panel.get("targets", [])
        assert targets, f"{title}: no targets"
        assert len({t["refId"] for t in targets}) == len(targets), title
        for target in targets:
            assert target.get("expr", "").strip(), f"{title}: a target without expr"
            assert target.get("datasource", {"uid": CHOSEN})["uid"] == CHOSEN, title
            if _METRIC.search(target["expr"]) or target["expr"].startswith("up{"):
                assert 'job=~"$job"' in target["expr"], f"{title}: ignores the job variable"
        grid = panel["gridPos"]
        assert grid["x"] + grid["w"] <= 24, title
        mine = {
            (x, y)
            for x in range(grid["x"], grid["x"] + grid["w"])
            for y in range(grid["y"], grid["y"] + grid["h"])
        }
        assert not mine & cells, f"{title} overlaps another panel"
        cells |= mine
    exprs = " ".join(_dashboard_exprs())
    for shown in (
        "up{",
        "chibo_dependency_up",
        "chibo_events_appended_total",
        "chibo_relay_lag_events",
        "chibo_relay_lag_seconds",
        "chibo_consumer_lag_messages",
        "chibo_consumer_lag_seconds",
        "chibo_consumer_parked_messages",
        "chibo_consumer_redeliveries_total",
        "chibo_consumer_handler_errors_total",
        "chibo_consumer_batch_duration_seconds_bucket",
        "chibo_http_request_duration_seconds_count",
        "chibo_http_request_duration_seconds_bucket",
        'status="5xx"',
        "histogram_quantile(0.99, ",
        "process_cpu_seconds_total",
        "process_resident_memory_bytes",
        "chibo_retention_removed_total",
        "chibo_retention_last_success_timestamp_seconds",
    ):
        assert shown in exprs, f"no panel shows {shown}"


def test_every_dashboard_expression_is_valid_promql(tmp_path: Path) -> None:
    # promtool parses recording rules: one per panel query, Grafana's variables filled in.
    rules = []
    for panel in _dashboard()["panels"]:
        for target in panel["targets"]:
            expr = target["expr"].replace("$__rate_interval", "1m").replace("$job", "chibo-.+")
            assert "$" not in expr, f"{panel['title']}: an unknown variable in {expr}"
            rules.append(
                {"record": f"dashboard:panel{panel['id']}_{target['refId']}", "expr": expr}
            )
    checked = tmp_path / "dashboard-queries.yml"
    checked.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    result = _promtool("check", "rules", str(checked))
    assert result.returncode == 0, _output(result)
    assert f"SUCCESS: {len(rules)} rules found" in result.stdout, _output(result)


def test_grafana_is_provisioned_with_prometheus_and_the_dashboard() -> None:
    sources = yaml.safe_load((GRAFANA / "provisioning/datasources/prometheus.yml").read_text())
    [source] = sources["datasources"]
    assert (source["type"], source["uid"]) == ("prometheus", "prometheus")
    assert source["url"] == "http://prometheus:9090"
    providers = yaml.safe_load((GRAFANA / "provisioning/dashboards/chibo.yml").read_text())
    [provider] = providers["providers"]
    assert provider["type"] == "file"
    assert provider["options"]["path"] == "/var/lib/grafana/dashboards"
    services = _compose()["services"]
    assert "prometheus" in services
    mounts = services["grafana"]["volumes"]
    assert "./deploy/grafana/provisioning:/etc/grafana/provisioning:ro" in mounts
    assert "./deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro" in mounts
