"""Where personal data leaves the stores, read from the code: the downloads (every route
with a CSV/XLSX `format`, its columns and who may call it), the headers each published
message carries, and the fields every log line may hold (each `log.<level>(…)` call's
keywords, plus what the logging setup adds to every line).

Columns, headers and log fields carry no mark, so each is classified here by name; the
inventory's test fails while the code has one these tables do not classify."""

from __future__ import annotations

import ast
import importlib
from dataclasses import dataclass
from pathlib import Path

from chibo_chassis.auth.policy import GRANTS, Permission
from chibo_chassis.subject_export import PATH as PERSONAL_DATA_PATH
from chibo_chassis.subject_export import ReadPersonalData
from chibo_kernel.envelope import binary_headers

from .code_scan import get_routes, package_log_sites, query_kinds

UNCLASSIFIED = "UNCLASSIFIED"
LOGGING_PACKAGES = ("chibo_kernel", "chibo_chassis", "assignment", "attendance", "rating")


def _names(text: str) -> list[str]:
    return text.split()


# A downloaded column, by its key in the row, or `<view>.<key>` where a view (the name of
# its list of columns) gives the key another meaning: a unit's level is no one's rating.
EXPORT_COLUMNS: dict[str, str] = {
    "member_id": "identifier",
    "full_name": "personal",
    "follower_id": "identifier",
    "subject_id": "identifier",  # a proposal's member (or unit)
    "name": "personal",  # a proposal's member's name (or a unit's)
    **dict.fromkeys(
        _names(
            "assigned assigned_months reports_expected reports_submitted reports_on_time "
            "reviews_good reviews_fair reviews_weak problems_raised problems_resolved "
            "meetings_expected meetings_present meetings_excused meetings_unexcused "
            "unexcused_months art8_flag excluded score proposed_level reasons decided_level "
            "months procedure level decided"
        ),
        "sensitive",
    ),
    **dict.fromkeys(
        _names("FOLLOWER_COLUMNS.visits FOLLOWER_COLUMNS.outside_assignment FOLLOWER_COLUMNS.met"),
        "personal",  # how often an upper-level committee member came, against their quota
    ),
    **dict.fromkeys(
        _names(
            "UNIT_COLUMNS.name UNIT_COLUMNS.proposed_level UNIT_COLUMNS.decided_level "
            "COLUMNS.name FOLLOWER_COLUMNS.level"
        ),
        "not personal",  # an organisation's name and levels; a committee level
    ),
    **dict.fromkeys(
        _names(
            "branch_id quarter unit_id kind regular_meetings_held months_missed "
            "quality_meeting_ratio coverage report_compliance members_good_ratio bon_tot what "
            "good_or_better total text percent units quota quota_valid_from excellent_years "
            "good_years eligible"
        ),
        "not personal",
    ),
}

HEADERS: dict[str, str] = {
    "ce-actor": "identifier",  # the signed-in person who caused the event (token `sub`)
    "ce-subject": "identifier",  # the aggregate's stream id, e.g. `member-42`
    "ce-datasubject": "identifier",  # whose data key seals the named fields, e.g. `42`
    "ce-sealedfields": "not personal",  # the names of the sealed fields, not their values
    **dict.fromkeys(
        _names(
            "Nats-Msg-Id ce-specversion ce-id ce-source ce-type ce-time ce-datacontenttype "
            "ce-dataschema ce-streamversion ce-correlationid ce-causationid "
            "ce-actorrole"
        ),
        "not personal",
    ),
}

# field → (category, why)
LOG_FIELDS: dict[str, tuple[str, str]] = {
    "principal": ("identifier", "the signed-in person's `sub`"),
    "stream_id": ("identifier", "an aggregate's id, e.g. `member-42`"),
    "error": ("sensitive", "an exception's text may quote the value it failed on"),
    "problem": ("sensitive", "why a message was parked: may quote a value"),
    "exc_info": ("sensitive", "a traceback, rendered into `exception`"),
    "member_id": ("identifier", "a former member the retention run could not erase"),
    "exception": ("sensitive", "traceback, no frame's local variables; messages may quote values"),
    "event": ("not personal", "the message: a fixed sentence"),
}
_NOT_PERSONAL_LOG_FIELDS = (
    "service level timestamp correlation_id causation_id method route status duration_ms "
    "attempt audience issuer jwks_url built_by code command consumer consumers checkpoint "
    "checkpoint_stream created_here dependency down_seconds reason event_id event_type "
    "failures generation job marked msg_id new old read_model recorded retired schema "
    "start_seq store stream stream_created stream_seq subject summary tables task this_store "
    "**rebuilt.__dict__ "
    "seconds removed due refused"  # the retention run's counts
)
LOG_FIELDS |= {f: ("not personal", "") for f in _names(_NOT_PERSONAL_LOG_FIELDS)}
# Added to every line by `chibo_kernel.logging.configure_logging`.
EVERY_LINE = ("service", "level", "timestamp", "event", "correlation_id", "causation_id")


@dataclass(frozen=True)
class Export:
    service: str
    route: str
    views: tuple[str, ...]  # the column lists it downloads
    columns: tuple[tuple[str, str], ...]  # (view, key)
    roles: tuple[str, ...]
    own_only: bool  # the member role reads only its own row
    formats: str = "csv|xlsx"
    # (`<view>.<key>`, category) where the route's own column list classifies its columns
    classified: tuple[tuple[str, str], ...] = ()

    def category(self, view: str, key: str) -> str:
        return dict(self.classified).get(f"{view}.{key}") or export_category(view, key)


def export_category(view: str, key: str) -> str:
    return EXPORT_COLUMNS.get(f"{view}.{key}") or EXPORT_COLUMNS.get(key, UNCLASSIFIED)


def personal_data_export(service: str) -> Export:
    """The member's own export (`chibo_chassis.subject_export`): the service's tables about
    them, each column classified in the service's list (`adapters/personal_data.py`)."""
    spec = importlib.import_module(f"{service}.adapters.personal_data").PERSONAL_DATA
    rules = importlib.import_module(f"{service}.permissions").PERMISSIONS
    rule = rules[ReadPersonalData]
    columns = tuple((t.kind, c.key) for t in spec.tables for c in t.columns)
    classified = tuple((f"{t.kind}.{c.key}", c.category) for t in spec.tables for c in t.columns)
    roles = roles_holding(rule.permission)
    route = f"/v1{PERSONAL_DATA_PATH}"
    views = tuple(t.kind for t in spec.tables)
    return Export(service, route, views, columns, roles, rule.own is not None, "xlsx", classified)


def roles_holding(permission: Permission) -> tuple[str, ...]:
    return tuple(str(role) for role, granted in GRANTS.items() if permission in granted)


def _is_view(value: object) -> bool:
    """A list of downloaded columns (`rating.adapters.export.Column`)."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(hasattr(c, "key") and hasattr(c, "header_vi") for c in value)
    )


def exports(service: str) -> list[Export]:
    """Every GET route of the service taking a `format` (csv or xlsx): read from the route
    modules' source, so no app (and none of its secrets) is needed."""
    package = importlib.import_module(f"{service}.entrypoints.routes")
    rules = importlib.import_module(f"{service}.permissions").PERMISSIONS
    rule_of = {kind.__name__: rule for kind, rule in rules.items()}
    found = []
    for path in sorted(Path(package.__file__ or "").parent.glob("*.py")):
        module = importlib.import_module(f"{package.__name__}.{path.stem}")
        for route, node in get_routes(path):
            if "format" not in {a.arg for a in node.args.args}:
                continue
            names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            views = tuple(sorted(n for n in names if _is_view(getattr(module, n, None))))
            columns = tuple((v, c.key) for v in views for c in getattr(module, v))
            rule = next((rule_of[k] for k in query_kinds(node) if k in rule_of), None)
            roles = roles_holding(rule.permission) if rule is not None else ()
            own = rule is not None and rule.own is not None
            found.append(Export(service, f"/v1{route}", views, columns, roles, own))
    return sorted([*found, personal_data_export(service)], key=lambda e: e.route)


def header_names() -> list[str]:
    sample = binary_headers(
        event_id="e", source="s", event_type="t", time="t", subject="s", stream_version="1",
        correlation_id="c", causation_id="c", actor="a", actor_role="r",
        data_subject="d", sealed="f",
    )  # fmt: skip
    return list(sample)


def log_sites() -> list[tuple[str, str, list[str]]]:
    """(where, message, fields) of every log call in the services and the shared packages."""
    sites = []
    for package in LOGGING_PACKAGES:
        root = Path(importlib.import_module(package).__file__ or "").parent
        sites += package_log_sites(package, root)
    return sites


def log_field_names() -> list[str]:
    names = set(EVERY_LINE) | {"exception"}
    for _, _, fields in log_sites():
        names |= set(fields)
    return sorted(names)


def unclassified_surfaces(services: tuple[str, ...]) -> list[str]:
    missing = [f"log field {f}" for f in log_field_names() if f not in LOG_FIELDS]
    missing += [f"header {h}" for h in header_names() if h not in HEADERS]
    for service in services:
        for export in exports(service):
            missing += [
                f"export column {view}.{key} ({export.route})"
                for view, key in export.columns
                if export.category(view, key) == UNCLASSIFIED
            ]
    return missing
