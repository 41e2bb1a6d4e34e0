"""A data subject's erasure, end to end: the three services as processes on a real
PostgreSQL and NATS, a branch's year entered through their APIs (`erasure_world.py`), the
member's departure in early 2021, then `POST /v1/members/{id}/erasure`.

Afterwards no column of any table of any service's database, no message of any JetStream
stream, no answer of a read route (JSON, CSV, XLSX) and no log line holds the member's name,
card number or birth date, or any text they wrote or that was written about them; no service
holds a readable key of theirs; and the branch's figures (plan coverage, reports, attendance
rates, rating proposals and roll-ups) are what they were. A serving member's erasure is
refused, naming them, and changes nothing. Every finding is listed, by place, before the
test fails."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from security.harness import System
from signin import ADMIN

from chibo_kernel.keyring import ERASED_VI
from chibo_kernel.keyring.schema import ensure_keyring_table_now
from chibo_tools.embedded import create_database

from .erasure_scans import (
    branch_figures,
    scan_answers,
    scan_databases,
    scan_logs_of,
    scan_streams,
)
from .erasure_world import OTHERS, SUBJECT, World, free_texts, seed_year
from .probe import Needles

SERVICES = ["assignment", "attendance", "rating"]
KEYRING_VARIABLE = "CHIBO_KEYRING_DATABASE_URL"


class ErasureSystem(System):
    log_level = "INFO"  # every line a service writes is read for the member's data


@pytest.fixture
def erasure_system(
    pg_admin_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[System, World]]:
    """The three services sharing one keyring database, as a province runs them (the
    processes inherit the variable)."""
    keyring = create_database(pg_admin_url, f"sec_key_{uuid.uuid4().hex[:12]}")
    ensure_keyring_table_now(keyring)
    monkeypatch.setenv(KEYRING_VARIABLE, keyring)
    with ErasureSystem(tmp_path, pg_admin_url, SERVICES) as system:
        yield system, seed_year(system)


def erase(system: System, member_id: str) -> Any:
    url = f"{system.services['assignment'].base_url}/v1/members/{member_id}/erasure"
    return system.http.post(url, headers=ADMIN, json={"basis": "subject_request"})


def names_in(system: System, service: str, table: str, member_id: str) -> list[str]:
    """The member's name in every schema's `table` of a service (rating keeps a schema per
    read-model generation)."""
    schemas = system.run(
        system.services[service].conn.fetch(  # type: ignore[union-attr]
            "SELECT table_schema FROM information_schema.tables WHERE table_name = $1", table
        )
    )
    return [
        system.fetchval(
            service, f'SELECT full_name FROM "{row[0]}".{table} WHERE member_id = $1', member_id
        )
        for row in schemas
    ]


def scrubbed(system: System, member_id: str) -> bool:
    return all(
        names and set(names) == {ERASED_VI}
        for names in (
            names_in(system, "attendance", "roster_members", member_id),
            names_in(system, "rating", "members", member_id),
        )
    )


READABLE = "SELECT count(*) FROM data_keys WHERE subject_id = $1 AND wrapped_key IS NOT NULL"


def readable_keys(system: System, member_id: str) -> list[str]:
    """Where a key of the member's can still be unwrapped: a service's own database, or the
    province's keyring database."""
    found = [
        f"{name} database: a readable data key of the member"
        for name in SERVICES
        if system.fetchval(name, READABLE, member_id)
    ]
    if system.run(_count_in(os.environ[KEYRING_VARIABLE], member_id)):
        found.append("keyring database: a readable data key of the member")
    return found


async def _count_in(database_url: str, member_id: str) -> int:
    conn = await asyncpg.connect(database_url)
    try:
        return int(await conn.fetchval(READABLE, member_id))
    finally:
        await conn.close()


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Each figure of each read that is not what it was (a read that did not answer 200
    holds its status instead)."""
    found = []
    for read, was in before.items():
        now = after[read]
        if not isinstance(was, dict) or not isinstance(now, dict):
            found += [f"{read}: {was} -> {now}"] if was != now else []
            continue
        for key in sorted(set(was) | set(now)):
            if was.get(key) != now.get(key):
                found.append(f"{read} {key}: {was.get(key)} -> {now.get(key)}")
    return found


def test_a_serving_member_is_not_erased_and_nothing_changes(
    erasure_system: tuple[System, World],
) -> None:
    system, world = erasure_system
    before = {name: system.state(name) for name in SERVICES}

    refused = erase(system, world.others[0])

    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert problem["code"] == "erasure_record_open"
    assert OTHERS[0].name in problem["detail"]
    assert OTHERS[0].name in problem["detail_vi"]
    assert problem["full_name"] == OTHERS[0].name
    for name in SERVICES:
        assert system.state(name).differences(before[name]) == [], name
    assert len(readable_keys(system, world.others[0])) >= 1


def test_an_erased_member_is_nowhere_and_the_branch_figures_stay(
    erasure_system: tuple[System, World], capsys: pytest.CaptureFixture[str]
) -> None:
    system, world = erasure_system
    before = branch_figures(system)
    needles = Needles([*SUBJECT.needles(), *free_texts()])
    # The probes see the member before: a scan that finds nothing proves nothing.
    assert scan_databases(system, needles, SUBJECT.born)
    assert scan_answers(system, world, needles)[0]
    assert sum(len(figures) for figures in before.values() if isinstance(figures, dict)) > 100

    first, again = erase(system, world.subject), erase(system, world.subject)

    assert first.status_code == 201, first.text
    assert (again.status_code, again.json()) == (201, first.json())
    system.eventually(
        lambda: scrubbed(system, world.subject), timeout=60, what="the consumers to scrub"
    )
    # The consumers dropped the key from their processes' caches as the tombstone came:
    # what they answer from their own events is clean at once, not after the cache's time.
    answers, unanswered = scan_answers(system, world, needles)
    findings = {
        "PostgreSQL": scan_databases(system, needles, SUBJECT.born),
        "JetStream": scan_streams(system, needles),
        "read routes": answers,
        "logs": scan_logs_of(system, needles),
        "keys": readable_keys(system, world.subject),
    }
    after = branch_figures(system)
    changed = differences(before, after)
    report = [f"{place}: {len(found)} finding(s)" for place, found in findings.items()]
    report += [f"    {place}: {line}" for place, found in findings.items() for line in found]
    report += [f"figure changed: {line}" for line in changed]
    report += [f"not read (not 200): {line}" for line in unanswered]
    with capsys.disabled():
        print("\n[erasure end to end]\n" + "\n".join(report))
    assert not changed, "\n".join(changed)
    assert not any(findings.values()), "\n".join(report)
