"""The assignment service's retention categories, on the running service's own composition
and real PostgreSQL: free texts about households are emptied two years after the problem
was resolved (or the report's month ended), keeping the rows and counts; former members
whose record closed five years ago are erased through `EraseMember`, once, and the rest
are left as they are; a dry run changes nothing."""

from __future__ import annotations

import os
from datetime import date

import pytest

from assignment.adapters.retention import members_due_for_erasure
from assignment.entrypoints.cli import main
from assignment.entrypoints.retention_cli import own_retention
from assignment.migrations import upgrade
from chibo_chassis.retention import RetentionPolicy, apply_retention
from chibo_chassis.retention.cli import retention_command
from chibo_kernel.keyring import ERASED_VI, new_master_key_text
from chibo_tools.demo.assignment import BRANCH, seed_vo_lao

from .conftest import Service
from .test_vo_lao_http import post

SERVICE = "assignment"
MARCH, MAY = (f"/v1/branches/{BRANCH}/reports/2024-{m}" for m in ("03", "05"))
TEXTS_TODAY = date(2026, 4, 6)  # two years after the March problem was resolved


async def reported(service: Service, month: str, member_id: str, problem: str) -> str:
    """A report with one problem, reviewed with a comment; returns the problem's id."""
    client = service.client
    day = month[-2:]
    body = {
        "member_id": member_id,
        "situation": "Hộ h001 khó khăn",
        "submitted_on": f"2024-{day}-28",
    }
    await post(client, month, {"reports": [{**body, "problems": [problem]}]})
    review = {"member_id": member_id, "evaluation": "good", "comment": f"Nhận xét {problem}"}
    await post(client, f"{month}/reviews", {"reviewed_on": f"2024-{day}-29", "reviews": [review]})
    found = (await client.get(month)).json()["open_problems"]
    return str(next(p["problem_id"] for p in found if p["description"] == problem))


async def resolved(service: Service, problem_id: str, on: str) -> None:
    body = {"resolution": "Xã đã hỗ trợ", "on": on}
    await post(service.client, f"/v1/problems/{problem_id}/resolution", body)


Report = tuple[str, str, str | None, str | None]  # month, member, evaluation, comment


async def texts(service: Service) -> tuple[dict[str, tuple[str, str | None]], list[Report]]:
    """Each problem's status and description; each report's month, member, evaluation and
    comment."""
    pool = service.runtime.pool
    problems = await pool.fetch("SELECT problem_id, status, description FROM problems")
    reports = await pool.fetch(
        "SELECT month, member_id, evaluation, comment FROM reports ORDER BY month, member_id"
    )
    return (
        {r["problem_id"]: (r["status"], r["description"]) for r in problems},
        [(r["month"], r["member_id"], r["evaluation"], r["comment"]) for r in reports],
    )


async def test_household_texts_are_emptied_two_years_after_resolution_and_rows_stay(
    service: Service,
) -> None:
    seeded = await seed_vo_lao(service.client)
    assert seeded is not None
    first, second = sorted(a["member_id"] for a in seeded.assignments[:2])
    settled = await reported(service, MARCH, first, "Hộ h001 thiếu nước")
    still_open = await reported(service, MARCH, second, "Hộ h007 có người ốm")
    await resolved(service, settled, "2024-04-06")
    later = await reported(service, MAY, first, "Hộ h002 cần hỗ trợ")
    await resolved(service, later, "2024-06-10")
    pool, policy = service.runtime.pool, RetentionPolicy()
    categories, before = service.runtime.retention.categories, await texts(service)

    dry = await apply_retention(pool, SERVICE, categories, policy, dry_run=True, today=TEXTS_TODAY)
    assert dry.due["household_texts"] == 3  # March's problem and both March comments
    day_before = date(2026, 3, 31)  # March's comments are due from 1 April, its problem from 6
    earlier = await apply_retention(
        pool, SERVICE, categories, policy, dry_run=True, today=day_before
    )
    assert earlier.due["household_texts"] == 0
    assert await texts(service) == before
    report = await apply_retention(pool, SERVICE, categories, policy, today=TEXTS_TODAY)

    assert report.counts["household_texts"] == 3
    problems, reports = await texts(service)
    assert problems == {
        settled: ("resolved", None),
        still_open: ("open", "Hộ h007 có người ốm"),  # not resolved: kept
        later: ("resolved", "Hộ h002 cần hỗ trợ"),  # resolved less than two years ago
    }
    assert reports == [
        ("2024-03", first, "good", None),
        ("2024-03", second, "good", None),
        ("2024-05", first, "good", "Nhận xét Hộ h002 cần hỗ trợ"),  # its month ended < 2 years
    ]
    again = await apply_retention(pool, SERVICE, categories, policy, today=TEXTS_TODAY)
    assert again.counts["household_texts"] == 0


async def member_row(service: Service, member_id: str) -> tuple[str, date | None]:
    row = await service.runtime.pool.fetchrow(
        "SELECT full_name, left_on FROM members WHERE member_id = $1", member_id
    )
    return row["full_name"], row["left_on"]


async def test_former_members_are_erased_five_years_after_their_record_closed(
    service: Service,
) -> None:
    client, pool = service.client, service.runtime.pool
    seeded = await seed_vo_lao(client)
    assert seeded is not None
    gone_long_ago, gone_lately, erased_before, staying = seeded.members[4:8]
    for member_id, on in (
        (gone_long_ago, "2020-01-01"),
        (gone_lately, "2023-01-01"),
        (erased_before, "2019-06-01"),
    ):
        await post(client, f"/v1/members/{member_id}/departure", {"on": on, "reason": "từ trần"})
    await post(client, f"/v1/members/{erased_before}/erasure", {"basis": "subject_request"})
    categories = service.runtime.retention.categories
    async with pool.acquire() as conn:
        assert await members_due_for_erasure(conn, 5, date.today()) == [gone_long_ago]
    listed_only = RetentionPolicy.model_validate({"former_members": {"erase": False}})

    kept = await apply_retention(pool, SERVICE, categories, listed_only)
    assert (kept.due["former_members"], kept.counts["former_members"]) == (1, 0)
    assert (await member_row(service, gone_long_ago))[0] != ERASED_VI
    report = await apply_retention(pool, SERVICE, categories, RetentionPolicy())

    assert (report.due["former_members"], report.counts["former_members"]) == (1, 1)
    assert await member_row(service, gone_long_ago) == (ERASED_VI, date(2020, 1, 1))
    assert (await member_row(service, gone_lately))[0] != ERASED_VI
    assert (await member_row(service, staying))[0] != ERASED_VI
    tombstones = await pool.fetchval(
        "SELECT count(*) FROM events WHERE stream_id = $1 AND event_type LIKE '%member_erased%'",
        f"member-{gone_long_ago}",
    )
    assert tombstones == 1
    destroyed = await pool.fetchval(
        "SELECT destroyed_at IS NOT NULL FROM data_keys WHERE subject_id = $1", gone_long_ago
    )
    assert destroyed
    assert await pool.fetchval("SELECT count(*) FROM members") == len(seeded.members)
    again = await apply_retention(pool, SERVICE, categories, RetentionPolicy())
    assert (again.due["former_members"], again.counts["former_members"]) == (0, 0)


async def test_the_command_erases_a_due_former_member_as_the_service_would(
    service: Service, capsys: pytest.CaptureFixture[str]
) -> None:
    client = service.client
    seeded = await seed_vo_lao(client)
    assert seeded is not None
    gone = seeded.members[5]
    name = (await member_row(service, gone))[0]
    await post(client, f"/v1/members/{gone}/departure", {"on": "2020-02-29", "reason": "từ trần"})
    settings = service.runtime.settings

    assert await retention_command(SERVICE, settings, own_retention, dry_run=True) == 0
    assert "former_members" in capsys.readouterr().out
    assert (await member_row(service, gone))[0] == name
    assert await retention_command(SERVICE, settings, own_retention, dry_run=False) == 0

    out = capsys.readouterr().out
    assert "1 removed of 1 due · đã xóa 1/1" in out
    assert name not in out
    assert await member_row(service, gone) == (ERASED_VI, date(2020, 2, 29))


def test_chibo_assignment_privacy_retention_runs_from_the_command_line(
    fresh_database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    upgrade(fresh_database)
    for name in [n for n in os.environ if n.startswith("CHIBO_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("CHIBO_ASSIGNMENT_DATABASE_URL", fresh_database)
    monkeypatch.setenv("CHIBO_NATS_URL", "nats://127.0.0.1:1")  # never used by the command
    monkeypatch.setenv("CHIBO_MASTER_KEY", new_master_key_text())
    assert main(["privacy", "retention", "--dry-run"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("chibo-assignment privacy retention (dry run")
    names = [line.split()[0] for line in lines[1:]]
    assert names == [
        "personal_data_reads",
        "parked_messages",
        "quarantined_messages",
        "household_texts",
        "former_members",
        "import_jobs",
    ]
    assert main(["privacy", "retention"]) == 0
    assert "applied in" in capsys.readouterr().out
