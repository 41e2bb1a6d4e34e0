"""The assignment service's own retention categories (docs/privacy.md, section 7), beside
the ones every service has:

- `household_texts`: what members and branches wrote about the households they follow,
  kept in the read models as plain text: a problem's description once the problem has been
  resolved for the policy's years (2), and a report's review comment that long after the
  end of the month it reviewed. The text is emptied (NULL); the rows, their dates,
  statuses and evaluations stay, so every count does. The sealed copy in the member's
  private events goes when the member's key is destroyed (their erasure); until then a
  rebuild of the read models brings the text back, and the next run empties it again.
- `former_members`: members whose record closed (they left, were removed or died: the
  departure date) more than the policy's years (5) ago, erased through the service's own
  `EraseMember` command with the basis `retention_expired` (Law 91/2025/QH15 art. 14 cl.
  1 c), one by one; a member the command refuses is logged by id and tried again next day.
- `import_jobs`: member import jobs (their reports name the members of refused rows) last
  written more than the policy's days (30) before today began in Vietnam: ended, failed or
  interrupted, since a running job writes its heartbeat every few seconds. Deleted whole.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

import asyncpg

from chibo_chassis.retention import BATCH, Category, Removed, RetentionPolicy, failure_named
from chibo_kernel.errors import ChiboError
from chibo_kernel.keyring import ERASED_VI
from chibo_kernel.logging import get_logger

log = get_logger("chibo.retention")

Erase = Callable[[str, date], Awaitable[object]]  # erases a member as of a day, or raises

_CUTOFF = "($1::date - make_interval(years => $2))::date"
_PROBLEM_DUE = f"status = 'resolved' AND closed_on <= {_CUTOFF} AND description IS NOT NULL"
# A report's month is over on the first day of the next one: due when that day is on or
# before the cutoff, i.e. the month is at most the cutoff's month a month earlier. Compared
# as text ('YYYY-MM' sorts as it reads) so the partial index of a0008 serves it.
_REPORT_DUE = f"month <= to_char({_CUTOFF} - interval '1 month', 'YYYY-MM') AND comment IS NOT NULL"
_EMPTY_PROBLEMS = (
    "UPDATE problems SET description = NULL WHERE problem_id = ANY(ARRAY("
    f"SELECT problem_id FROM problems WHERE {_PROBLEM_DUE} LIMIT $3)) AND {_PROBLEM_DUE}"
)
_EMPTY_REPORTS = (
    "UPDATE reports SET comment = NULL WHERE ctid = ANY(ARRAY("
    f"SELECT ctid FROM reports WHERE {_REPORT_DUE} LIMIT $3)) AND {_REPORT_DUE}"
)
# A job's heartbeat (`updated_at`) against the start of the cutoff day in Vietnam.
_JOB_DUE = "updated_at < ($1::date - $2::int)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'"
_DELETE_JOBS = (
    "DELETE FROM import_jobs WHERE job_id = ANY(ARRAY("
    f"SELECT job_id FROM import_jobs WHERE {_JOB_DUE} LIMIT $3)) AND {_JOB_DUE}"
)
# Erased members keep their row with the name "đã xóa" (`erasure_projection`).
_FORMER = f"left_on <= {_CUTOFF} AND full_name <> $3"


class HouseholdTexts:
    name = "household_texts"

    async def due(self, conn: asyncpg.Connection, policy: RetentionPolicy, today: date) -> int:
        years = policy.household_texts.keep_years
        problems = await conn.fetchval(
            f"SELECT count(*) FROM problems WHERE {_PROBLEM_DUE}", today, years
        )
        reports = await conn.fetchval(
            f"SELECT count(*) FROM reports WHERE {_REPORT_DUE}", today, years
        )
        return int(problems) + int(reports)

    async def apply(
        self, conn: asyncpg.Connection, policy: RetentionPolicy, today: date, removed: Removed
    ) -> int:
        years, total = policy.household_texts.keep_years, 0
        for statement in (_EMPTY_PROBLEMS, _EMPTY_REPORTS):
            while True:
                count = int((await conn.execute(statement, today, years, BATCH)).split()[-1])
                total += count
                if count:
                    removed(count)
                if count < BATCH:
                    break
        return total


async def members_due_for_erasure(
    conn: asyncpg.Connection,
    keep_years: int,
    today: date,
    *,
    after: str = "",
    limit: int | None = None,
) -> list[str]:
    """The ids of former members whose record closed at least `keep_years` before `today`
    and who are not erased yet, in id order from `after`."""
    rows = await conn.fetch(
        f"SELECT member_id FROM members WHERE {_FORMER} AND member_id > $4"
        " ORDER BY member_id LIMIT $5",
        today,
        keep_years,
        ERASED_VI,
        after,
        limit,
    )
    return [row["member_id"] for row in rows]


class FormerMembers:
    name = "former_members"

    def __init__(self, erase: Erase | None) -> None:
        self._erase = erase

    async def due(self, conn: asyncpg.Connection, policy: RetentionPolicy, today: date) -> int:
        years = policy.former_members.keep_years
        found = await conn.fetchval(
            f"SELECT count(*) FROM members WHERE {_FORMER}", today, years, ERASED_VI
        )
        return int(found)

    async def apply(
        self, conn: asyncpg.Connection, policy: RetentionPolicy, today: date, removed: Removed
    ) -> int:
        years, erased, refused, after = policy.former_members.keep_years, 0, 0, ""
        if self._erase is None or not policy.former_members.erase:
            due = await self.due(conn, policy, today)
            if due:
                log.warning("former members are due for erasure; erasing is off", due=due)
            return 0
        while page := await members_due_for_erasure(conn, years, today, after=after, limit=BATCH):
            for member_id in page:
                try:
                    await self._erase(member_id, today)
                except ChiboError as exc:  # refused: its words name the person, so not logged
                    refused += 1
                    log.warning(
                        "erasing a former member was refused",
                        member_id=member_id,
                        error=failure_named(exc),
                    )
                    continue
                erased += 1
                removed(1)
            after = page[-1]
        if refused:
            log.warning("former members left unerased", refused=refused)
        return erased


class ImportJobs:
    name = "import_jobs"

    async def due(self, conn: asyncpg.Connection, policy: RetentionPolicy, today: date) -> int:
        days = policy.import_jobs.keep_days
        return int(
            await conn.fetchval(f"SELECT count(*) FROM import_jobs WHERE {_JOB_DUE}", today, days)
        )

    async def apply(
        self, conn: asyncpg.Connection, policy: RetentionPolicy, today: date, removed: Removed
    ) -> int:
        days, total = policy.import_jobs.keep_days, 0
        while True:
            count = int((await conn.execute(_DELETE_JOBS, today, days, BATCH)).split()[-1])
            total += count
            if count:
                removed(count)
            if count < BATCH:
                return total


def assignment_retention(erase: Erase | None) -> list[Category]:
    """`erase`: the service's `EraseMember` run with the basis `retention_expired`."""
    return [HouseholdTexts(), FormerMembers(erase), ImportJobs()]
