"""The facts consumed from the assignment and attendance streams, one schema per read-model
generation (`rm_<n>`). A rebuild creates the next schema and fills it from the streams while
queries read the active one; the switch is one row update.

Facts are kept close to the events (periods, reports, marks): projecting stays a few cheap
statements per event. Each projected batch marks the (unit, year) it touched as stale, and
the derivation (`application/queries/derivation.py`) turns stale units into prepared rows that
province-wide queries aggregate in SQL; a unit's own cards are still computed when asked.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

from chibo_kernel.pool import LeanPool

READ_MODEL = "rating-facts"  # its generations are rows of `consumed_read_models`
SCHEMA_NAME = re.compile(r"^rm_[0-9]+$")

TABLES = [
    (
        "CREATE TABLE units (unit_id text PRIMARY KEY, kind text NOT NULL, name text NOT NULL, "
        "parent_id text, path text[] NOT NULL, active boolean NOT NULL DEFAULT true)"
    ),
    "CREATE INDEX units_path ON units USING gin (path)",
    (
        "CREATE TABLE members (member_id text PRIMARY KEY, full_name text NOT NULL, "
        "admission_date date NOT NULL, status text NOT NULL)"
    ),
    (
        "CREATE TABLE member_periods (member_id text NOT NULL, branch_id text NOT NULL, "
        "from_date date NOT NULL, to_date date)"
    ),
    "CREATE INDEX member_periods_branch ON member_periods (branch_id)",
    "CREATE INDEX member_periods_member ON member_periods (member_id)",
    (
        "CREATE TABLE member_standing (member_id text NOT NULL, standing text NOT NULL, "
        "from_date date NOT NULL, to_date date)"
    ),
    "CREATE INDEX member_standing_member ON member_standing (member_id)",
    (
        "CREATE TABLE temporary_periods (member_id text NOT NULL, home_branch_id text NOT NULL, "
        "host_branch_id text NOT NULL, from_date date NOT NULL, to_date date NOT NULL)"
    ),
    "CREATE INDEX temporary_periods_member ON temporary_periods (member_id)",
    (
        "CREATE TABLE roles (member_id text NOT NULL, branch_id text NOT NULL, role text NOT "
        "NULL, since date NOT NULL, PRIMARY KEY (member_id, branch_id, role))"
    ),
    (
        "CREATE TABLE plans (plan_id text PRIMARY KEY, branch_id text NOT NULL, year int NOT "
        "NULL, adopted_on date)"
    ),
    (
        "CREATE TABLE assignments (plan_id text NOT NULL, member_id text NOT NULL, what text "
        "NOT NULL, PRIMARY KEY (plan_id, member_id, what))"
    ),
    (
        "CREATE TABLE reports (member_id text NOT NULL, month text NOT NULL, assignment text "
        "NOT NULL, branch_id text NOT NULL, late boolean NOT NULL, evaluation text, "
        "PRIMARY KEY (member_id, month, assignment))"
    ),
    (
        "CREATE TABLE problems (problem_id text PRIMARY KEY, member_id text NOT NULL, "
        "branch_id text NOT NULL, month text NOT NULL, status text NOT NULL)"
    ),
    "CREATE INDEX problems_member ON problems (member_id)",
    (
        "CREATE TABLE meetings (meeting_id text PRIMARY KEY, branch_id text NOT NULL, kind "
        "text NOT NULL, month text NOT NULL, status text NOT NULL, started_at timestamptz, "
        "ended_at timestamptz, minutes_recorded boolean, prepared_by_committee boolean)"
    ),
    "CREATE INDEX meetings_branch ON meetings (branch_id, month)",
    (
        "CREATE TABLE marks (meeting_id text NOT NULL, member_id text NOT NULL, status text "
        "NOT NULL, PRIMARY KEY (meeting_id, member_id))"
    ),
    "CREATE INDEX marks_member ON marks (member_id)",
    (
        "CREATE TABLE guest_visits (meeting_id text NOT NULL, guest_id text NOT NULL, "
        "branch_id text NOT NULL, held_on date NOT NULL, level text NOT NULL, "
        "within_assignment boolean NOT NULL, PRIMARY KEY (meeting_id, guest_id))"
    ),
    (
        "CREATE TABLE followings (follower_id text NOT NULL, year int NOT NULL, level text NOT "
        "NULL, unit_id text NOT NULL, PRIMARY KEY (follower_id, year, unit_id))"
    ),
    # Prepared rows: what the rules made of each member's and each unit's year, derived
    # from the facts and the service's own inputs, and which (unit, year) wait to be derived
    # again (`version` moves on each new mark, so a derivation racing a mark never clears it).
    (
        "CREATE TABLE member_ratings (member_id text NOT NULL, year int NOT NULL, "
        "cell_id text NOT NULL, rated boolean NOT NULL, level text, score float8, "
        "flagged boolean NOT NULL, unexcused_months text[] NOT NULL, "
        "PRIMARY KEY (member_id, year))"
    ),
    "CREATE INDEX member_ratings_cell ON member_ratings (cell_id, year)",
    (
        "CREATE TABLE unit_ratings (unit_id text NOT NULL, year int NOT NULL, kind text NOT "
        "NULL, level text, score float8, reasons text[] NOT NULL, bon_tot boolean, "
        "disciplined boolean NOT NULL, PRIMARY KEY (unit_id, year))"
    ),
    "CREATE INDEX unit_ratings_year ON unit_ratings (year)",
    (
        "CREATE TABLE stale (unit_id text NOT NULL, year int NOT NULL, version bigint NOT "
        "NULL DEFAULT 1, PRIMARY KEY (unit_id, year))"
    ),
    # While the consumers catch up, a batch notes only the years it touched: every unit of
    # those years is marked once they have caught up.
    "CREATE TABLE catch_up_years (year int PRIMARY KEY)",
    ("CREATE TABLE derived_with (rule_book text PRIMARY KEY)"),
    (
        "CREATE TABLE quotas (province_id text NOT NULL, level text NOT NULL, valid_from date "
        "NOT NULL, meetings_per_year int NOT NULL, PRIMARY KEY (province_id, level, valid_from))"
    ),
]

TABLES_MADE = [t.split()[2] for t in TABLES if t.startswith("CREATE TABLE")]
PREPARED_TABLES = ["member_ratings", "unit_ratings", "stale", "catch_up_years", "derived_with"]
FACT_TABLES = [t for t in TABLES_MADE if t not in PREPARED_TABLES]


def schema_of(generation: int) -> str:
    return f"rm_{generation}"


def checked(schema: str) -> str:
    """Schema names are formatted into SQL: only ours may pass."""
    if not SCHEMA_NAME.match(schema):
        raise ValueError(f"not a read-model schema: {schema!r}")
    return schema


@asynccontextmanager
async def facts(pool: LeanPool, schema: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection reading one generation's facts (and the service's own tables)."""
    async with pool.acquire() as conn, conn.transaction(readonly=True):
        await conn.execute(f"SET LOCAL search_path TO {checked(schema)}, public")
        yield conn


async def create_facts_schema(conn: asyncpg.Connection, schema: str) -> None:
    async with conn.transaction():
        await conn.execute(f"CREATE SCHEMA {checked(schema)}")
        await conn.execute(f"SET LOCAL search_path TO {schema}")
        for statement in TABLES:
            await conn.execute(statement)


async def complete_facts_schema(conn: asyncpg.Connection, schema: str) -> list[str]:
    """Add the tables a newer release projects into to a generation created by an older one,
    so queries keep answering; the facts they hold arrive with the next rebuild. Returns the
    tables added."""
    added = []
    async with conn.transaction():
        await conn.execute(f"SET LOCAL search_path TO {checked(schema)}")
        for statement in TABLES:
            name = statement.split()[2]
            exists = await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", f"{schema}.{name}")
            if not exists:
                await conn.execute(statement)
                added.append(name)
    return added


async def drop_facts_schema(conn: asyncpg.Connection, schema: str) -> None:
    await conn.execute(f"DROP SCHEMA IF EXISTS {checked(schema)} CASCADE")
