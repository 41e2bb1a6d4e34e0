"""The web app's surfaces (`services/web`), read from its code: the files it hands out, what
its session cookie holds and the fields of its log lines. It keeps no domain data; what it
shows and hands out it reads from the services' APIs with the signed-in person's token.

The downloads and the category of each column are declared next to the export code
(`web.downloads`); the log fields are classified here, the session's keys in
`web_session.py`. Each is checked against the code: a download route, a header it writes
or a log field the tables miss is named by `unclassified_web_surfaces()`, and so is an
entry the code no longer has."""

from __future__ import annotations

import ast
import importlib
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import web
from chibo_chassis.auth.boundary import Rule
from chibo_chassis.subject_export import PATH as PERSONAL_DATA_PATH
from chibo_chassis.subject_export import ReadPersonalData
from web.downloads import DOWNLOADS, Download

from .code_scan import Function, get_routes, package_log_sites, query_kinds
from .policy import CATEGORIES
from .surfaces import EVERY_LINE, roles_holding

ROOT = Path(web.__file__ or "").parent
FILE_SUFFIXES = (".{fmt}", ".xlsx", ".csv")
BUILDS_A_FILE = frozenset({"export", "content_disposition"})

# field → (category, why)
LOG_FIELDS: dict[str, tuple[str, str]] = {
    "detail": (
        "personal",
        "a failed sign-in: the identity provider's or the token library's message (at most "
        "300 characters); it may quote a claim of the person's token",
    ),
    "exception": (
        "sensitive",
        "an unexpected error's traceback (no frame's local variables): its message may "
        "quote a value read from the services",
    ),
    "reason": ("not personal", "a failed sign-in: the error's kind (its class name)"),
    "route": ("not personal", "the route template, never the path: a path holds ids"),
    "correlation_id": ("not personal", "a random id per request"),
    **dict.fromkeys(
        (
            "service",
            "level",
            "timestamp",
            "event",
            "causation_id",
            "method",
            "status",
            "duration_ms",
        ),
        ("not personal", ""),
    ),
}


def module_of(path: Path) -> ModuleType:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return importlib.import_module(".".join(parts))


def _called(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id
    return None


def is_download(route: str, function: Function) -> bool:
    """A route answering with a file: its path ends in a file's suffix, or it builds a
    spreadsheet (`export`) or names the file it sends (`content_disposition`)."""
    calls = {_called(n) for n in ast.walk(function)}
    return route.endswith(FILE_SUFFIXES) or bool(calls & BUILDS_A_FILE)


Routes = dict[str, tuple[ModuleType, Function]]


@cache
def download_routes() -> Routes:
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        for route, node in get_routes(path):
            if is_download(route, node):
                found[route] = (module_of(path), node)
    return found


def _texts(node: ast.expr, local: dict[str, ast.expr], module: ModuleType) -> list[str] | None:
    """The headers a columns expression holds: `[Column("…"), …]`, `["…", …]`,
    `[Column(c) for c in <name>]`, a local name bound to one, or a module-level list."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Call) and _called(node) == "Column" and node.args:
        return _texts(node.args[0], local, module)
    if isinstance(node, ast.List | ast.Tuple):
        parts = [_texts(e, local, module) for e in node.elts]
        return None if None in parts else [t for p in parts for t in p or []]
    if isinstance(node, ast.ListComp):
        return _texts(node.generators[0].iter, local, module)
    if isinstance(node, ast.Name) and node.id in local:
        return _texts(local[node.id], local, module)
    if isinstance(node, ast.Name):
        value = getattr(module, node.id, None)
        if isinstance(value, list | tuple):
            return [str(getattr(c, "header", c)) for c in value]
    return None


def written_headers(module: ModuleType, function: Function) -> list[str] | None:
    """The first row of the file the route sends: the columns given to `export(…)`, or
    the `HEADERS` of the module whose function builds the workbook."""
    local = {
        n.targets[0].id: n.value
        for n in ast.walk(function)
        if isinstance(n, ast.Assign) and isinstance(n.targets[0], ast.Name)
    }
    calls = [n for n in ast.walk(function) if isinstance(n, ast.Call)]
    for call in calls:
        if _called(call) == "export" and len(call.args) > 3:
            return _texts(call.args[3], local, module)
    for call in calls:
        builder = getattr(module, _called(call) or "", None)
        home = getattr(builder, "__module__", "") if callable(builder) else ""
        headers = getattr(importlib.import_module(home), "HEADERS", None) if home else None
        if home.startswith("web.") and isinstance(headers, tuple | list):
            return [str(h) for h in headers]
    return None


@cache
def _service_rules(service: str) -> dict[str, Rule[Any]]:
    """API path → the rule its query is checked by, for every GET route of the service."""
    package = importlib.import_module(f"{service}.entrypoints.routes")
    rules = importlib.import_module(f"{service}.permissions").PERMISSIONS
    rule_of = {kind.__name__: rule for kind, rule in rules.items()}
    found = {PERSONAL_DATA_PATH: rules[ReadPersonalData]}
    for path in sorted(Path(package.__file__ or "").parent.glob("*.py")):
        for route, node in get_routes(path):
            rule = next((rule_of[k] for k in query_kinds(node) if k in rule_of), None)
            if rule is not None:
                found[route] = rule
    return found


def read_rule(read: str) -> Rule[Any] | None:
    service, _, path = read.partition(" ")
    return _service_rules(service).get(path)


def who_may_download(download: Download) -> tuple[str, ...]:
    """The roles every read it is built from allows; the member role only where the read
    is of the member's own records (the app asks for the signed-in member's only)."""
    rules = [r for r in map(read_rule, download.reads) if r is not None]
    held = [set(roles_holding(r.permission)) for r in rules]
    everyone = roles_holding(rules[0].permission) if rules else ()
    own = all(r.own is not None for r in rules)
    return tuple(r for r in everyone if all(r in h for h in held) and (r != "member" or own))


def web_log_sites() -> list[tuple[str, str, list[str]]]:
    return package_log_sites("web", ROOT)


def web_log_field_names() -> list[str]:
    names = set(EVERY_LINE) | {"exception"}
    for _, _, fields in web_log_sites():
        names |= set(fields)
    return sorted(names)


def both_ways(kind: str, found: list[str], classified: list[str]) -> list[str]:
    missing = [f"{kind} {n}" for n in found if n not in classified]
    return missing + [f"no such {kind}: {n}" for n in classified if n not in found]


def unclassified_log_fields(found: list[str]) -> list[str]:
    return both_ways("web log field", found, list(LOG_FIELDS))


def unclassified_downloads(downloads: Sequence[Download], routes: Routes) -> list[str]:
    """Routes and declarations that do not match, both ways; a declared read the services
    do not answer; a header the route writes that is not declared, or the reverse."""
    missing = both_ways("web download", list(routes), [d.route for d in downloads])
    categories = {c.category for c in CATEGORIES}
    for download in downloads:
        route = download.route
        missing += [f"web download {route}: no API {r}" for r in download.reads if not read_rule(r)]
        missing += [
            f"web download column {c.header_vi} ({route}): no category {c.category}"
            for c in download.columns
            if c.category not in categories
        ]
        if route not in routes or download.passes_on:
            continue
        headers = written_headers(*routes[route])
        if headers is None:
            missing.append(f"web download {route}: its headers cannot be read from the code")
            continue
        declared = [c.header_vi for c in download.columns if not c.sheet]
        missing += [f"web download column {h} ({route})" for h in headers if h not in declared]
        missing += [f"no such web download column: {h} ({route})" for h in declared
                    if h not in headers]  # fmt: skip
    return missing


def unclassified_web_surfaces() -> list[str]:
    """The downloads and log fields; the session's keys are `web_session`'s."""
    missing = unclassified_log_fields(web_log_field_names())
    return missing + unclassified_downloads(DOWNLOADS, download_routes())
