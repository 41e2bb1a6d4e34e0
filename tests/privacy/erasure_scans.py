"""Where an erased member's data could still be, read as a whole: every column of every
table in every service's database, every message of every JetStream stream, every answer of
the read routes (JSON, CSV, XLSX), every log file; and the figures of the branch's year,
which an erasure must leave as they were."""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import openpyxl
from security.harness import System
from signin import ADMIN

from .erasure_world import BRANCH, MONTHS, YEAR, World
from .logs import scan_logs
from .marks import strings
from .probe import Needles
from .streams import read_every_stream

# Columns whose values are text, or hold text (JSON, arrays, bytes).
_COLUMNS = """
SELECT c.table_schema, c.table_name, c.column_name, c.data_type
  FROM information_schema.columns c
  JOIN information_schema.tables t USING (table_schema, table_name)
 WHERE t.table_type = 'BASE TABLE'
   AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
   AND c.data_type IN ('text', 'character varying', 'jsonb', 'json', 'bytea', 'ARRAY', 'date')
 ORDER BY 1, 2, 3
"""


def _found(needles: Needles, texts: Iterable[str]) -> list[str]:
    return sorted(
        f"{needle.label} {needle.value!r}"
        for value in needles.found_in(texts)
        for needle in needles.by_value[value]
    )


async def _scan_database(conn: asyncpg.Connection, needles: Needles, born: date) -> list[str]:
    found = []
    for schema, table, column, kind in await conn.fetch(_COLUMNS):
        where = f'"{schema}"."{table}"'
        if kind == "date":
            hits = await conn.fetchval(f'SELECT count(*) FROM {where} WHERE "{column}" = $1', born)
            if hits:
                found.append(f"{schema}.{table}.{column}: the birth date x{hits}")
            continue
        query = f'SELECT "{column}" AS v FROM {where} WHERE "{column}" IS NOT NULL'
        values = await conn.fetch(query)
        texts = [_text(row["v"]) for row in values]
        for what in _found(needles, texts):
            found.append(f"{schema}.{table}.{column}: {what}")
    return found


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, list):
        return "\n".join(_text(v) for v in value)
    text = str(value)
    if text.startswith(("{", "[")):  # JSON: its strings decoded too (`\u` escapes)
        try:
            return "\n".join([text, *strings(json.loads(text))])
        except ValueError:
            return text
    return text


def scan_databases(system: System, needles: Needles, born: date) -> list[str]:
    found = []
    for name, service in system.services.items():
        assert service.conn is not None
        for line in system.run(_scan_database(service.conn, needles, born)):
            found.append(f"{name} database: {line}")
    return found


def scan_streams(system: System, needles: Needles) -> list[str]:
    assert system.nc is not None
    found = []
    for read in system.run(read_every_stream(system.nc)):
        for message in read.messages:
            texts = [message.subject, *message.headers, *message.headers.values()]
            texts.append(message.data.decode("utf-8", "replace"))
            with contextlib.suppress(ValueError):
                texts.extend(strings(json.loads(message.data)))
            for what in _found(needles, texts):
                found.append(f"{message.where} ({message.event_type}): {what}")
    return found


def scan_logs_of(system: System, needles: Needles) -> list[str]:
    paths = sorted(Path(system.root).rglob("*.log"))
    return scan_logs("logs of the erasure run", paths, needles).findings


# --- the read routes ---------------------------------------------------------------------


FORMATS = ("", "?format=csv", "?format=xlsx")
# The reads the web app builds its pages and downloads from, over the year (the member
# left in 2021, so today's lists would not hold them at all).
BRANCH_READS = [
    f"/v1/branches/{BRANCH}/members?on={YEAR}-06-05",
    f"/v1/branches/{BRANCH}/households?year={YEAR}",
    f"/v1/branches/{BRANCH}/plans/{YEAR}",
    f"/v1/branches/{BRANCH}/followers?year={YEAR}",
]


def read_routes(world: World) -> dict[str, list[str]]:
    """Each service's GET routes over the branch's year and the member, with the formats
    they download in."""
    member, units = world.subject, [BRANCH, "VL"]
    assignment = [f"/v1/branches/{BRANCH}/plans/{YEAR}/{what}" for what in ("coverage", "mentors")]
    assignment += [f"/v1/branches/{BRANCH}/reports/{month}" for month in MONTHS]
    assignment += BRANCH_READS  # what the web app lists: members by name, households, plan
    attendance = [f"/v1/branches/{BRANCH}/roster?on={YEAR}-06-05"]
    attendance.append(f"/v1/branches/{BRANCH}/years/{YEAR}")
    attendance += [f"/v1/meetings/{meeting}" for meeting in world.meetings]
    rating = [
        f"/v1/units/{unit}/{what}/{YEAR}{fmt}"
        for unit in units
        for what in ("members", "proposals", "titles", "following", "branches", "rollup", "flags")
        for fmt in FORMATS
    ]
    rating += [f"/v1/members/{member}/scorecard/{YEAR}{fmt}" for fmt in FORMATS]
    every = {"assignment": assignment, "attendance": attendance, "rating": rating}
    for paths in every.values():  # each service's audit trail and export of the member
        paths += [f"/v1/audit/member/{member}", f"/v1/members/{member}/personal-data"]
        paths += [f"/v1/members/{member}/personal-data?format=xlsx"]
    return every


def _answer_texts(response: httpx.Response) -> list[str]:
    kind = response.headers.get("content-type", "")
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        rows = (row for sheet in book for row in sheet.iter_rows(values_only=True))
        return [str(cell) for row in rows for cell in row if cell is not None]
    texts = [response.text]
    if "json" in kind:
        texts.extend(strings(response.json()))
    return texts


def scan_answers(system: System, world: World, needles: Needles) -> tuple[list[str], list[str]]:
    """(what the answers held, the routes that did not answer 200: not there, or refused)."""
    found, unanswered = [], []
    for service, paths in read_routes(world).items():
        for path in paths:
            url = system.services[service].base_url + path
            response = system.http.get(url, headers={**ADMIN, "X-Purpose": "audit"})
            if response.status_code != 200:
                unanswered.append(f"{service} GET {path}: {response.status_code}")
                continue
            for what in _found(needles, _answer_texts(response)):
                found.append(f"{service} GET {path}: {what}")
    return found, unanswered


# --- the branch's figures ----------------------------------------------------------------

IDS = ("member_id", "subject_id", "unit_id", "meeting_id", "problem_id")
CLOSED = {"level", "state", "status", "decided", "decided_level", "proposed_level", "reported"}


def figures(answer: Any, path: str = "") -> dict[str, Any]:
    """Every number, truth value and closed value of an answer, by a path that names list
    items by their id (a name that changes reorders a list)."""
    if isinstance(answer, dict):
        found: dict[str, Any] = {}
        for key, value in answer.items():
            if key in CLOSED and isinstance(value, str):
                found[f"{path}.{key}"] = value
            else:
                found |= figures(value, f"{path}.{key}")
        return found
    if isinstance(answer, list):
        found = {}
        for index, item in enumerate(answer):
            label = next((item[k] for k in IDS if isinstance(item, dict) and k in item), index)
            found |= figures(item, f"{path}[{label}]")
        return found
    if isinstance(answer, bool | int | float):
        return {path: answer}
    return {}


def branch_figures(system: System) -> dict[str, Any]:
    """Attendance rates, plan coverage, reports, the branch's members, households and plan,
    rating proposals and roll-ups."""
    reads = [("assignment", f"/v1/branches/{BRANCH}/plans/{YEAR}/coverage")]
    reads += [("assignment", f"/v1/branches/{BRANCH}/reports/{month}") for month in MONTHS]
    reads += [("assignment", path) for path in BRANCH_READS]
    reads.append(("attendance", f"/v1/branches/{BRANCH}/years/{YEAR}"))
    reads += [
        ("rating", f"/v1/units/{unit}/{what}/{YEAR}")
        for unit in (BRANCH, "VL")
        for what in ("rollup", "proposals", "members", "branches")
    ]
    found = {}
    for service, path in reads:
        url = system.services[service].base_url + path
        response = system.http.get(url, headers=ADMIN)
        answer = response.json() if response.status_code == 200 else response.status_code
        found[f"{service} {path}"] = figures(answer) if isinstance(answer, dict | list) else answer
    return found
