"""Every table and column a service's database holds, read from its Alembic migrations
without a database: each revision's `upgrade()` runs in order against a recorder that keeps
the SQL it would execute (the kernel's SQLAlchemy tables are compiled to DDL by a mock
engine), and a small interpreter applies the CREATE, ALTER and DROP statements to a model
of the tables. A statement changing columns in a way it cannot follow stops it, so a new
migration style cannot silently drop columns from the inventory.

The rating service's consumed facts live in one schema per generation (`rm_<n>`), created
from `rating.adapters.facts_schema.TABLES`: the same interpreter reads that list."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import create_mock_engine

from chibo_kernel.migrations import alembic_config

Tables = dict[str, dict[str, str]]  # table → column → SQL type, in creation order
_CONSTRAINTS = ("PRIMARY KEY", "UNIQUE", "CHECK", "FOREIGN KEY", "CONSTRAINT", "EXCLUDE")
_TYPE_ENDS = re.compile(
    r"\s+(?:NOT\s|NULL\b|DEFAULT\b|PRIMARY\b|UNIQUE\b|CHECK\b|GENERATED\b|REFERENCES\b|"
    r"CONSTRAINT\b|COLLATE\b)",
    re.IGNORECASE,
)
_IGNORED = re.compile(
    r"^(?:CREATE (?:UNIQUE )?INDEX|DROP INDEX|INSERT|UPDATE|DELETE|SELECT|COMMENT|"
    r"CREATE (?:OR REPLACE )?(?:CONSTRAINT )?(?:FUNCTION|TRIGGER)|DROP (?:FUNCTION|TRIGGER)|"
    r"CREATE SCHEMA|DROP SCHEMA|GRANT|REVOKE|LOCK)\b",
    re.IGNORECASE,
)


class UnreadableMigration(Exception):
    """A statement that changes tables in a way the interpreter does not follow."""


def _name(token: str) -> str:
    return token.strip().strip('"').lower()


def _split_top_level(body: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in body:
        depth += (char == "(") - (char == ")")
        if char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return [p for p in parts if p]


def _column(definition: str) -> tuple[str, str]:
    name, _, rest = definition.strip().partition(" ")
    sql_type = _TYPE_ENDS.split(" " + rest.strip(), maxsplit=1)[0].strip()
    return _name(name), " ".join(sql_type.lower().split())


def apply_statement(tables: Tables, statement: str) -> None:
    """Apply one SQL statement's effect on tables and columns to `tables`."""
    sql = " ".join(statement.split()).rstrip(";")
    if not sql or _IGNORED.match(sql):
        return
    created = re.match(r"^CREATE TABLE (?:IF NOT EXISTS )?(\S+) \((.*)\)$", sql, re.I)
    if created:
        columns = [
            _column(part)
            for part in _split_top_level(created[2])
            if not part.upper().startswith(_CONSTRAINTS)
        ]
        tables[_name(created[1])] = dict(columns)
        return
    dropped = re.match(r"^DROP TABLE (?:IF EXISTS )?(.+?)(?: CASCADE| RESTRICT)?$", sql, re.I)
    if dropped:
        for table in dropped[1].split(","):
            tables.pop(_name(table), None)
        return
    altered = re.match(r"^ALTER TABLE (?:IF EXISTS )?(?:ONLY )?(\S+) (.*)$", sql, re.I)
    if not altered:
        raise UnreadableMigration(f"cannot follow: {sql[:120]}")
    _alter(tables, _name(altered[1]), altered[2], sql)


def _alter(tables: Tables, table: str, action: str, sql: str) -> None:
    columns = tables.setdefault(table, {})
    if m := re.match(r"^ADD COLUMN (?:IF NOT EXISTS )?(.*)$", action, re.I):
        name, sql_type = _column(m[1])
        columns[name] = sql_type
    elif m := re.match(r"^DROP COLUMN (?:IF EXISTS )?(\S+)", action, re.I):
        columns.pop(_name(m[1]), None)
    elif m := re.match(r"^RENAME COLUMN (\S+) TO (\S+)$", action, re.I):
        columns[_name(m[2])] = columns.pop(_name(m[1]))
    elif m := re.match(r"^RENAME TO (\S+)$", action, re.I):
        tables[_name(m[1])] = tables.pop(table)
    elif not re.match(r"^(?:ALTER COLUMN|ADD CONSTRAINT|DROP CONSTRAINT|OWNER TO)\b", action, re.I):
        raise UnreadableMigration(f"cannot follow: {sql[:120]}")


def replay(statements: Iterable[str]) -> Tables:
    tables: Tables = {}
    for statement in statements:
        apply_statement(tables, statement)
    return tables


class _RecordingOp:
    """Stands in for `alembic.op` while a revision's `upgrade()` runs."""

    def __init__(self) -> None:
        self.statements: list[str] = []
        self._engine = create_mock_engine("postgresql://", self._compiled)

    def _compiled(self, sql: Any, *_: Any, **__: Any) -> None:
        self.statements.append(str(sql.compile(dialect=self._engine.dialect)))

    def execute(self, sql: Any, *_: Any, **__: Any) -> None:
        self.statements.append(str(sql))

    def get_bind(self) -> Any:
        return self._engine


@contextmanager
def _recording(module: ModuleType, op: _RecordingOp) -> Iterator[None]:
    original = module.__dict__.get("op")
    module.__dict__["op"] = op
    try:
        yield
    finally:
        module.__dict__["op"] = original


def migration_statements(extra_locations: Sequence[Path] = ()) -> list[str]:
    """The SQL the kernel's migrations and `extra_locations`' would run, base first."""
    script = ScriptDirectory.from_config(
        alembic_config("postgresql://inventory@/x", extra_locations)
    )
    op = _RecordingOp()
    for revision in reversed(list(script.walk_revisions())):
        module = revision.module
        with _recording(module, op):
            module.upgrade()
    return op.statements


def database_tables(extra_locations: Sequence[Path] = ()) -> Tables:
    return replay(migration_statements(extra_locations))
