"""A province's year in the rating service's tables, and the reads boards make of it, beside
the raw read of the same rows, measured in one run.

The facts of one generation (`rm_1`) and the service's own inputs are written straight by
SQL (`generate_series`): a province of `--branches` branches of `--members` members, 15
branches to a commune, 10 communes to a district; a plan assigning every member, twelve
monthly reports each (1 in 40 late), twelve meetings per branch with their sheets (1 in 60
absent without reason, 1 in 45 excused), every member's self-assessment, and a decision for
four in five members. It measures the read path, not the projection (the rebuild benchmark
measures that), then:

- derivation: every (unit, year) marked stale, derived to prepared rows by the service's
  own `derive_stale` in chunks, as the background deriver does after a rule-file change;
- province roll-up: `GET /units/{province}/rollup/{year}`'s work (settle, then the SQL
  aggregates over the prepared rows), no HTTP, beside the raw limit: a plain `SELECT` of
  the prepared member rows under the province, fetched and dropped;
- a commune's member list: the first page (500) of `/units/{commune}/members/{year}`,
  evidence and rules per member, beside the raw `SELECT` of its members' report rows;
- peak RSS of this process, which is the service's code path (PostgreSQL's is its own).

    .venv/bin/python bench/rating_province.py [--branches 15000] [--members 20]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import time
from collections.abc import Awaitable, Callable

import asyncpg

from chibo_kernel.db import create_pool
from chibo_kernel.logging import configure_logging
from chibo_tools.embedded import Stack, create_database
from rating.adapters.facts_schema import create_facts_schema, facts
from rating.adapters.rule_files import load_rule_book
from rating.application.queries.assessments import assess_members
from rating.application.queries.derivation import derive_stale
from rating.application.queries.evidence import member_evidence
from rating.application.queries.prepared import Prepared
from rating.migrations import upgrade

YEAR = 2025
SCHEMA = "rm_1"
PROVINCE = "P"
PER_COMMUNE, PER_DISTRICT = 15, 10

# Counts are formatted in (integers of this script, not input).
FILL = [
    "INSERT INTO units VALUES ('P', 'province', 'Tỉnh', NULL, '{{P}}', true)",
    """INSERT INTO units SELECT 'D' || d, 'district', 'Huyện ' || d, 'P', ARRAY['P', 'D' || d],
       true FROM generate_series(1, {d}) d""",
    """INSERT INTO units SELECT 'C' || c, 'grassroots', 'Xã ' || c, 'D' || ((c - 1) / {pd} + 1),
       ARRAY['P', 'D' || ((c - 1) / {pd} + 1), 'C' || c], true FROM generate_series(1, {c}) c""",
    """INSERT INTO units SELECT 'B' || b, 'branch', 'Chi bộ ' || b, 'C' || ((b - 1) / {pc} + 1),
       ARRAY['P', 'D' || ((b - 1) / {pc} / {pd} + 1), 'C' || ((b - 1) / {pc} + 1), 'B' || b], true
       FROM generate_series(1, {b}) b""",
    """INSERT INTO members SELECT 'M' || m, 'Đảng viên ' || m, DATE '2015-03-02', 'full'
       FROM generate_series(1, {b} * {m}) m""",
    """INSERT INTO member_periods SELECT 'M' || m, 'B' || ((m - 1) / {m} + 1), DATE '2015-03-02',
       NULL FROM generate_series(1, {b} * {m}) m""",
    """INSERT INTO roles SELECT 'M' || ((b - 1) * {m} + 1), 'B' || b, 'secretary',
       DATE '2020-10-01' FROM generate_series(1, {b}) b""",
    """INSERT INTO plans SELECT 'PL' || b, 'B' || b, 2025, DATE '2025-01-10'
       FROM generate_series(1, {b}) b""",
    """INSERT INTO assignments SELECT 'PL' || ((m - 1) / {m} + 1), 'M' || m, 'households'
       FROM generate_series(1, {b} * {m}) m""",
    """INSERT INTO reports SELECT 'M' || m, '2025-' || lpad(mo::text, 2, '0'), 'households',
       'B' || ((m - 1) / {m} + 1), (m + mo) % 40 = 0, 'good'
       FROM generate_series(1, {b} * {m}) m, generate_series(1, 12) mo""",
    """INSERT INTO meetings SELECT 'MT' || b || '-' || mo, 'B' || b, 'regular',
       '2025-' || lpad(mo::text, 2, '0'), 'held',
       make_timestamptz(2025, mo, 10, 1, 0, 0, 'UTC'),
       make_timestamptz(2025, mo, 10, 3, 0, 0, 'UTC'), true, true
       FROM generate_series(1, {b}) b, generate_series(1, 12) mo""",
    """INSERT INTO marks SELECT 'MT' || ((m - 1) / {m} + 1) || '-' || mo, 'M' || m,
       CASE WHEN (m * 7 + mo) % 60 = 0 THEN 'absent_unexcused'
            WHEN (m * 7 + mo) % 45 = 0 THEN 'absent_excused' ELSE 'present' END
       FROM generate_series(1, {b} * {m}) m, generate_series(1, 12) mo""",
    """INSERT INTO public.self_assessments SELECT 'M' || m, 2025, 'B' || ((m - 1) / {m} + 1),
       26, 62, 12, 12, 0, true, 'good' FROM generate_series(1, {b} * {m}) m""",
    """INSERT INTO public.decisions SELECT 'member', 'M' || m, 2025,
       'C' || ((m - 1) / {m} / {pc} + 1),
       CASE WHEN m % 7 = 0 THEN 'completed' ELSE 'good' END, 'good', '{{}}', 'qd366-hd43',
       'Chi ủy', DATE '2026-01-10' FROM generate_series(1, {b} * {m}) m WHERE m % 5 <> 0""",
    "INSERT INTO stale (unit_id, year) SELECT unit_id, 2025 FROM units ORDER BY 1",
    "ANALYZE",
]

RAW_ROLLUP_SQL = """
SELECT mr.* FROM member_ratings mr JOIN units u ON u.unit_id = mr.cell_id
 WHERE $1 = ANY (u.path) AND mr.year = $2
"""
RAW_LIST_SQL = """
SELECT r.* FROM reports r JOIN member_periods p USING (member_id) JOIN units u
    ON u.unit_id = p.branch_id WHERE $1 = ANY (u.path)
"""


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def timed(step: Callable[[], Awaitable[object]], repeats: int) -> float:
    found = []
    for _ in range(repeats):
        start = time.perf_counter()
        await step()
        found.append(time.perf_counter() - start)
    return statistics.median(found)


async def run(url: str, branches: int, members: int, repeats: int) -> list[str]:
    book = load_rule_book()
    communes = -(-branches // PER_COMMUNE)
    districts = -(-communes // PER_DISTRICT)
    conn = await asyncpg.connect(url)
    try:
        await create_facts_schema(conn, SCHEMA)
        await conn.execute(f"SET search_path TO {SCHEMA}, public")
        start = time.perf_counter()
        sizes = {"b": branches, "c": communes, "d": districts, "m": members}
        for sql in FILL:
            await conn.execute(sql.format(pd=PER_DISTRICT, pc=PER_COMMUNE, **sizes))
        filled = time.perf_counter() - start
    finally:
        await conn.close()
    pool = await create_pool(url, min_size=2, max_size=4)
    try:
        start = time.perf_counter()
        while await derive_stale(pool, SCHEMA, book, limit=200):
            pass
        derived = time.perf_counter() - start
        prepared = Prepared(lambda: pool, book)
        commune = "C1"

        async def rollup() -> object:
            await prepared.settle(SCHEMA, PROVINCE, YEAR)
            async with facts(pool, SCHEMA) as c:
                return await prepared.tally(c, PROVINCE, YEAR)

        async def raw_rollup() -> object:
            async with facts(pool, SCHEMA) as c:
                return await c.fetch(RAW_ROLLUP_SQL, PROVINCE, YEAR)

        async def member_list() -> object:
            async with facts(pool, SCHEMA) as c:
                found = await member_evidence(c, commune, YEAR, limit=500)
            return assess_members(found, book.for_year(YEAR), book)

        async def raw_list() -> object:
            async with facts(pool, SCHEMA) as c:
                return await c.fetch(RAW_LIST_SQL, commune)

        tally = await rollup()
        r, rr = await timed(rollup, repeats), await timed(raw_rollup, repeats)
        m, mr = await timed(member_list, repeats), await timed(raw_list, repeats)
        listed = len(await member_list())  # type: ignore[arg-type]
    finally:
        await pool.close()
    people = branches * members
    return [
        f"rating province: {branches:,} branches x {members} members = {people:,} members, "
        f"{communes:,} communes, {districts} districts; filled by SQL in {filled:.0f} s; "
        f"medians of {repeats}",
        f"derivation         {derived:7.1f} s for every unit = "
        f"{people / derived:,.0f} members/s ({1000 * derived / people:.2f} ms per member)",
        f"province roll-up   {r:7.3f} s = {r / rr:5.2f}x raw prepared-rows read ({rr:.3f} s)",
        f"commune list       {m:7.3f} s for {listed} members = {m / mr:5.2f}x raw reports read "
        f"({mr:.3f} s)",
        f"figures: {tally}",
        f"peak RSS {peak_rss_mb():,.0f} MB (this process: the service's read path and rules)",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--branches", type=int, default=15_000)
    parser.add_argument("--members", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    configure_logging("bench", "WARNING")
    with Stack(services=()) as stack:
        url = create_database(stack.admin_database_url, "rating_province")
        upgrade(url)
        lines = asyncio.run(run(url, args.branches, args.members, args.repeat))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
