"""The inventory as Markdown: deterministic (sorted, no dates), one table per kind of place."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from chibo_kernel.events import DomainEvent

from .columns import category_of_column, purpose_of
from .event_fields import event_fields
from .policy import CATEGORIES, Place, places
from .schema_replay import Tables
from .surfaces import HEADERS, LOG_FIELDS, Export, header_names, log_sites


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def categories_section() -> list[str]:
    rows = [(f"**{c.category}**", c.meaning, c.legal_basis, c.retention) for c in CATEGORIES]
    return [
        "## Categories",
        "",
        *table(("category", "what it is", "legal basis", "kept"), rows),
    ]


def places_section(more: Sequence[Place] = ()) -> list[str]:
    rows = [(p.name, p.holds, p.readers, p.retention) for p in (*places(), *more)]
    return [
        "## Where copies live",
        "",
        *table(("place", "holds", "who may read it", "kept"), rows),
    ]


def events_section(service: str, purpose: str, models: Sequence[type[DomainEvent]]) -> list[str]:
    rows = []
    for model in sorted(models, key=lambda m: m.event_type):
        where = "published" if model.published else "private"
        for f in event_fields(model):
            at_rest = "encrypted" if f.encrypted else "plain"
            rows.append((f"`{model.event_type}`", where, f"`{f.path}`", f.category, f.subject,
                         at_rest, f.note))  # fmt: skip
    return [
        f"### {service}",
        "",
        f"Purpose: {purpose}. A published event is in the event store and on the public "
        "stream; a private one only in the event store. *At rest*: `encrypted` under the "
        "data subject's key (private events naming a `data_subject`), else `plain`. *Not "
        "personal*: names no person, or a closed value that says something about a person "
        "only beside the identifier in the same event, and is protected as that event is.",
        "",
        *table(
            ("event type", "stream", "field", "category", "data subject", "at rest", "note"),
            rows,
        ),
    ]


def headers_section() -> list[str]:
    rows = [(f"`{h}`", HEADERS.get(h, "UNCLASSIFIED")) for h in header_names()]
    return [
        "## Message headers (every published event)",
        "",
        *table(("header", "category"), rows),
    ]


def columns_section(title: str, tables: Tables, skip: Iterable[str] = ()) -> list[str]:
    skipped = set(skip)
    rows = []
    for name, columns in tables.items():
        if name in skipped:
            continue
        for column, sql_type in columns.items():
            category = category_of_column(name, column)
            rows.append((f"`{name}`", purpose_of(name), f"`{column}`", sql_type, category))
    return [f"### {title}", "", *table(("table", "purpose", "column", "type", "category"), rows)]


def exports_section(exports: Sequence[Export]) -> list[str]:
    rows = []
    for e in exports:
        roles = [r for r in e.roles if r != "member" or e.own_only]
        who = ", ".join(f"`{r}`" + (" (own row)" if r == "member" else "") for r in roles)
        # A route listing several tables names each column with its table.
        classed = [
            (f"{view}.{key}" if e.classified else key, e.category(view, key))
            for view, key in e.columns
        ]
        shown = ", ".join(f"`{k}` ({c})" for k, c in classed if c != "not personal")
        rows.append((e.service, f"`GET {e.route}?format={e.formats}`", who, shown or "none"))
    return [
        "## Exports",
        "",
        "Every route that answers `format=csv` or `format=xlsx`, over the caller's subtree; "
        "the columns that are not personal are left out here. A member's own export "
        "(`/personal-data`, the right of access) also holds their events, each field as "
        "the event list above classifies it.",
        "",
        *table(("service", "route", "who may download", "personal columns"), rows),
    ]


def logs_section() -> list[str]:
    sites: dict[str, list[str]] = {}
    for where, _, fields in log_sites():
        for field in fields:
            sites.setdefault(field, []).append(where)
    rows = []
    for field, (category, why) in sorted(LOG_FIELDS.items()):
        if category == "not personal":
            continue
        found = sites.get(field, [])
        at = ", ".join(f"`{w}`" for w in found) if found else "every line, or with `exc_info`"
        rows.append((f"`{field}`", category, why, at))
    plain = sorted(f for f, (c, _) in LOG_FIELDS.items() if c == "not personal")
    return [
        "## Logs",
        "",
        "Fields a log line may carry that touch a person (the others: "
        + ", ".join(f"`{f}`" for f in plain)
        + "). The access log (`chibo_chassis/http/middleware.py`) writes one line per "
        "request: method, route template (never the ids in the path), status, duration, "
        "principal, correlation id.",
        "",
        *table(("field", "category", "why", "logged at"), rows),
    ]
