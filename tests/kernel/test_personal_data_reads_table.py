"""The access log's table (kernel migration k0007) keeps what it was given: an UPDATE, a
DELETE or a TRUNCATE is refused by the database itself, and only the retention function
removes rows, those older than it is asked to keep and never younger than two years."""

from __future__ import annotations

import asyncpg
import pytest

from chibo_chassis.http import AccessLog, PersonalRead
from chibo_chassis.http.access_log import TopReader
from chibo_kernel.metrics import KernelMetrics
from chibo_kernel.pool import LeanPool

READ = PersonalRead(
    principal="bi-thu@VL-TT",
    role="branch_secretary",
    org_scope=("LC", "VB", "VL", "VL-TT"),
    route="GET /v1/branches/{branch_id}/reports/{month}",
    target="/v1/branches/VL-TT/reports/2025-03",
    subjects=["m-1", "m-2"],
    purpose="monthly_meeting",
    correlation_id="c-1",
    result_count=1,
)


async def logged(pool: LeanPool, read: PersonalRead = READ) -> int:
    await AccessLog("kernel", lambda: pool, KernelMetrics()).record(read)
    found: int = await pool.fetchval("SELECT max(id) FROM personal_data_reads")
    return found


async def backdated(pool: LeanPool, age: str) -> int:
    found: int = await pool.fetchval(
        "INSERT INTO personal_data_reads (read_at, principal, role, org_scope, route, target,"
        " subjects, purpose, correlation_id, result_count)"
        f" SELECT now() - interval '{age}', principal, role, org_scope, route, target,"
        " subjects, purpose, correlation_id, result_count FROM personal_data_reads"
        " ORDER BY id LIMIT 1 RETURNING id"
    )
    return found


async def test_a_logged_read_is_stored_as_it_was_given(pool: LeanPool) -> None:
    row = await pool.fetchrow("SELECT * FROM personal_data_reads WHERE id = $1", await logged(pool))
    assert row["principal"] == "bi-thu@VL-TT"
    assert row["role"] == "branch_secretary"
    assert row["org_scope"] == ["LC", "VB", "VL", "VL-TT"]
    assert row["subjects"] == ["m-1", "m-2"]
    assert (row["purpose"], row["correlation_id"], row["result_count"]) == (
        "monthly_meeting",
        "c-1",
        1,
    )
    assert row["read_at"] is not None


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE personal_data_reads SET subjects = '{}'",
        "UPDATE personal_data_reads SET principal = 'someone else'",
        "DELETE FROM personal_data_reads",
        "TRUNCATE personal_data_reads",
    ],
)
async def test_changing_or_removing_a_logged_read_is_refused(
    pool: LeanPool, statement: str
) -> None:
    read_id = await logged(pool)
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
        await pool.execute(statement)
    row = await pool.fetchrow("SELECT principal, subjects FROM personal_data_reads")
    assert (row["principal"], row["subjects"]) == ("bi-thu@VL-TT", ["m-1", "m-2"])
    assert await pool.fetchval("SELECT count(*) FROM personal_data_reads") == 1
    assert await pool.fetchval("SELECT max(id) FROM personal_data_reads") == read_id


async def test_setting_the_retention_mark_by_hand_deletes_nothing_younger_than_two_years(
    pool: LeanPool,
) -> None:
    await logged(pool)
    await backdated(pool, "23 months")
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL chibo.personal_data_reads_expiry = 'on'")
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
            await conn.execute("DELETE FROM personal_data_reads")
    assert await pool.fetchval("SELECT count(*) FROM personal_data_reads") == 2


async def test_the_retention_function_removes_only_rows_older_than_it_keeps(
    pool: LeanPool,
) -> None:
    young = await logged(pool)
    middle = await backdated(pool, "3 years")
    await backdated(pool, "6 years")
    with pytest.raises(asyncpg.InvalidParameterValueError, match="at least 2 years"):
        await pool.fetchval("SELECT personal_data_reads_expire(interval '1 year')")
    assert await pool.fetchval("SELECT personal_data_reads_expire(interval '5 years')") == 1
    left = await pool.fetch("SELECT id FROM personal_data_reads ORDER BY id")
    assert [r["id"] for r in left] == [young, middle]
    # The mark was the function's own: a plain DELETE afterwards is refused again.
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await pool.execute("DELETE FROM personal_data_reads WHERE id = $1", middle)


def test_the_top_reader_counts_distinct_members_per_principal_and_starts_again_each_hour() -> None:
    now = [7200.0]
    top = TopReader(cap=5, clock=lambda: now[0])
    top.saw("a", ["m1", "m2"])
    top.saw("a", ["m2", "m3"])
    top.saw("b", ["m1"])
    assert top.top() == 3  # a read three distinct members; b one
    top.saw("b", [f"x{i}" for i in range(50)])
    assert top.top() == 5  # counting stops at the cap
    now[0] += 3600
    assert top.top() == 0  # a new hour, with or without reads
