"""Rating read paths at scale, beside the raw read of the same facts, measured in one run.

A generated district's year (the rating rebuild benchmark's data set: units, members, plans,
monthly reports, meetings with their sheets) is published into JetStream and projected by
the rating service in-process. Then, median over `--repeat` runs:

- roll-up: every member and unit under the district assessed by the year's rule set, as
  `GET /v1/units/{district}/rollup/{year}` does (`assess_subtree`), no HTTP;
- member list: one grassroots organisation's members, as `/units/{id}/members/{year}`;
- raw limit: the plain `SELECT`s of the facts rows the district's assessment reads (periods,
  plans and assignments, reports, marks, meetings), fetched and dropped: the database's part
  of the work, without the rules or the Python objects.

It prints each beside the raw limit and the peak RSS of the process, and the per-member
cost, which is what a province-wide answer multiplies.

    .venv/bin/python bench/rating_queries.py [--branches 500] [--members 20] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import time

import nats

# The rebuild benchmark's data set, as `python bench/rating_queries.py` finds its sibling.
from rating_rebuild import (  # type: ignore[import-not-found]
    DISTRICT,
    YEAR,
    a_year,
    first_fill,
    publish,
    rating_service,
)

from chibo_kernel.logging import configure_logging
from chibo_tools.embedded import Stack, create_database
from rating.adapters.facts_schema import facts
from rating.adapters.rule_files import load_rule_book
from rating.application.queries.assessments import assess_subtree
from rating.migrations import upgrade

RAW_SQL = [
    "SELECT p.* FROM member_periods p JOIN units u ON u.unit_id = p.branch_id "
    "WHERE $1 = ANY (u.path)",
    "SELECT a.* FROM assignments a JOIN plans p USING (plan_id) JOIN units u "
    "ON u.unit_id = p.branch_id WHERE $1 = ANY (u.path)",
    "SELECT r.* FROM reports r JOIN units u ON u.unit_id = r.branch_id WHERE $1 = ANY (u.path)",
    "SELECT k.*, m.month FROM marks k JOIN meetings m USING (meeting_id) JOIN units u "
    "ON u.unit_id = m.branch_id WHERE $1 = ANY (u.path)",
]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def run(url: str, nats_url: str, branches: int, members: int, repeats: int) -> list[str]:
    data = a_year(branches, members)
    book = load_rule_book()
    nc = await nats.connect(nats_url)
    try:
        await publish(nc, data)
        began = time.perf_counter()
        async with rating_service(url, nats_url) as rating:
            await first_fill(rating, data, began)
            pool, schema = rating.runtime.pool, rating.read_models.active_schema
            rollup, one, raw = [], [], []
            for _ in range(repeats):
                async with facts(pool, schema) as conn:
                    start = time.perf_counter()
                    found, units = await assess_subtree(conn, DISTRICT, YEAR, book)
                    rollup.append(time.perf_counter() - start)
                    start = time.perf_counter()
                    mine, _ = await assess_subtree(conn, "G001", YEAR, book)
                    one.append(time.perf_counter() - start)
                    start = time.perf_counter()
                    for sql in RAW_SQL:
                        await conn.fetch(sql, DISTRICT)
                    raw.append(time.perf_counter() - start)
    finally:
        await nc.drain()
    r, o, w = (statistics.median(x) for x in (rollup, one, raw))
    people = len(found)
    return [
        f"rating queries: {branches} branches x {members} members = {people:,} members, "
        f"{len(units):,} units, {data.total:,} events; medians of {repeats}",
        f"district roll-up   {r:7.2f} s = {r / w:5.1f}x raw facts read ({w:.2f} s); "
        f"{1000 * r / people:.2f} ms per member",
        f"organisation list  {o:7.2f} s for {len(mine):,} members",
        f"peak RSS {peak_rss_mb():,.0f} MB (process: the service, the data set, the client)",
        f"at 300,000 members, linearly: roll-up ~{r / people * 300_000:,.0f} s",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--branches", type=int, default=500)
    parser.add_argument("--members", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    configure_logging("bench", "WARNING")
    with Stack(services=()) as stack:
        url = create_database(stack.admin_database_url, "rating_queries")
        upgrade(url)
        lines = asyncio.run(run(url, stack.nats_url, args.branches, args.members, args.repeat))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
