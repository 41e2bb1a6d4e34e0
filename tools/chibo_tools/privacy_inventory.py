"""The data inventory: every place chibo keeps or sends something about a person, generated
from the code into `docs/privacy-inventory.md`.

    .venv/bin/python -m chibo_tools.privacy_inventory [--root REPO_ROOT]

It lists every field of every event type of every service's registry with the category its
mark gives (`chibo_kernel.privacy`), every column of every table the migrations create (read
without a database, `privacy/schema_replay.py`), the headers of published messages, the
CSV/XLSX downloads and the fields of log lines, and the web app's session cookie, files and
log fields, with who may read each and how long it is kept. What the code cannot say itself
(a column's, a header's or a log field's category, a table's purpose) is in the small tables
of `privacy/columns.py`, `privacy/surfaces.py`, `privacy/web_surfaces.py` and
`services/web/web/downloads.py`;
`unclassified()` names whatever they miss, and `tests/unit/test_privacy_inventory.py` fails
on it and on a committed document that differs from the code. The assessment built on it is
`docs/privacy.md`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from chibo_kernel.events import DomainEvent

from .docs import find_repo_root
from .privacy.columns import COLUMN_CATEGORIES, PURPOSES, UNCLASSIFIED
from .privacy.event_fields import unclassified as unclassified_fields
from .privacy.render import (
    categories_section,
    columns_section,
    events_section,
    exports_section,
    headers_section,
    logs_section,
    places_section,
)
from .privacy.schema_replay import Tables, database_tables, replay
from .privacy.surfaces import exports, unclassified_surfaces
from .privacy.web_render import web_section
from .privacy.web_session import session_place, unclassified_session_keys
from .privacy.web_surfaces import unclassified_web_surfaces
from .service_docs import SERVICES, registry

COMMAND = ".venv/bin/python -m chibo_tools.privacy_inventory"
DOCUMENT_PATH = Path("docs", "privacy-inventory.md")
PURPOSE = {
    "assignment": "each branch's plan giving every member households or a duty, the monthly "
    "reports on them and the problems they raise (Party Charter; the branch's resolution)",
    "attendance": "branch meetings and who attended them (Party Charter art. 24; HD "
    "12-HD/BTCTW and HD 42-HD/BTCTW on meeting quality)",
    "rating": "the year-end rating of members and organisations (QĐ 366-QĐ/TW, HD "
    "43-HD/BTCTW) and the removal procedure of Charter art. 8",
}


def models() -> list[type[DomainEvent]]:
    return sorted((m for s in SERVICES for m in registry(s)), key=lambda m: m.event_type)


def kernel_tables() -> Tables:
    return database_tables()


def service_tables(service: str) -> Tables:
    versions = importlib.import_module(f"{service}.migrations").VERSIONS
    return database_tables([versions])


def rating_fact_tables() -> Tables:
    from rating.adapters.facts_schema import TABLES

    return replay(TABLES)


def all_tables() -> dict[str, Tables]:
    """Every database's tables by a title: the kernel's, each service's own, rating's facts."""
    kernel = kernel_tables()
    found = {"the kernel's tables (in every service's database)": kernel}
    for service in SERVICES:
        own = service_tables(service)
        found[f"{service}"] = {t: c for t, c in own.items() if t not in kernel}
    found["rating: consumed facts (schema `rm_<n>`, one per generation)"] = rating_fact_tables()
    return found


def unclassified() -> list[str]:
    """Whatever the inventory cannot classify, or classifies but the code no longer has."""
    missing = unclassified_fields(models())
    defined: set[str] = set()
    tables: set[str] = set()
    for database in all_tables().values():
        for table, columns in database.items():
            tables.add(table)
            defined |= {f"{table}.{column}" for column in columns}
    missing += [f"column {c}" for c in sorted(defined - set(COLUMN_CATEGORIES))]
    missing += [f"no such column: {c}" for c in sorted(set(COLUMN_CATEGORIES) - defined)]
    missing += [f"table without a purpose: {t}" for t in sorted(tables - set(PURPOSES))]
    missing += [f"no such table: {t}" for t in sorted(set(PURPOSES) - tables)]
    missing += unclassified_surfaces(SERVICES) + unclassified_web_surfaces()
    return missing + unclassified_session_keys()


def expected_text() -> str:
    lines = [
        "# Data inventory · Danh mục dữ liệu cá nhân",
        "",
        f"Generated from the code by `{COMMAND}`; do not edit by hand. "
        "Where each thing is classified: an event field by its mark "
        "(`shared/kernel/chibo_kernel/privacy.py`) or the allowance of "
        "`tools/chibo_tools/privacy/event_fields.py`; a column in "
        "`tools/chibo_tools/privacy/columns.py`; headers, downloads and log fields in "
        "`tools/chibo_tools/privacy/surfaces.py`; the web app's downloads in "
        "`services/web/web/downloads.py`, its session and log fields in "
        "`tools/chibo_tools/privacy/web_surfaces.py`. The impact assessment built on it is "
        "[privacy.md](privacy.md). `UNCLASSIFIED` marks what nobody has classified yet.",
        "",
        *categories_section(),
        *places_section([session_place()]),
        "## Event fields",
        "",
    ]
    for service in SERVICES:
        lines += events_section(service, PURPOSE[service], list(registry(service)))
    lines += headers_section()
    lines += ["## Tables and columns", ""]
    for title, tables in all_tables().items():
        lines += columns_section(title, tables)
    lines += exports_section([e for s in SERVICES for e in exports(s)])
    lines += logs_section()
    lines += web_section()
    return "\n".join(lines).rstrip("\n") + "\n"


def stale(root: Path) -> bool:
    path = root / DOCUMENT_PATH
    return not path.is_file() or path.read_text(encoding="utf-8") != expected_text()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND)
    parser.add_argument("--root", type=Path, help="repository root (default: found)")
    args = parser.parse_args(argv)
    root: Path | None = args.root or find_repo_root(Path.cwd())
    if root is None:
        parser.error("no repository root found (a parent with docs/ or .git); pass --root")
    text, path = expected_text(), root / DOCUMENT_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    print(path)
    for item in unclassified():
        print(f"{UNCLASSIFIED}: {item}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
