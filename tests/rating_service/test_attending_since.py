"""Rating counts a member's year from the day they began attending the branch: version 3 of
`member_registered` opens the membership period on `attending_since` (versions 1 and 2 on
the admission), so the reports and meetings a member owes start then. End to end, a member
admitted in 1985 and imported to attend from July owes the reports and meetings of July to
December only; and in the facts, what each version opens and which years it marks."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from attendance_service.branch import BRANCH, create_units, held_body, ok, schedule, sheet
from attendance_service.test_attending_since_http import import_newcomer

from chibo_contracts import assignment as a
from chibo_kernel.clock import VIETNAM
from rating.adapters.facts_projection import STATEMENTS
from rating.adapters.touched import Touched

from .conftest import Trio
from .year import plan_year, register_members

LAST_YEAR = datetime.now(VIETNAM).year - 1
FROM_JULY = list(range(7, 13))


async def test_a_member_imported_to_attend_from_july_owes_reports_and_meetings_from_july(
    trio: Trio, tmp_path: Path
) -> None:
    assignment, attendance, rating = trio.assignment, trio.attendance, trio.rating
    await create_units(assignment)
    members = await register_members(assignment, 2)
    newcomer = await import_newcomer(assignment, tmp_path, attending_since=f"01/07/{LAST_YEAR}")
    await plan_year(assignment, [*members, newcomer], LAST_YEAR)
    await attendance.roster_has(BRANCH, f"{LAST_YEAR}-07-05", 3)
    for month in range(1, 13):
        serving = [*members, newcomer] if month in FROM_JULY else members
        key = f"{LAST_YEAR}-{month:02}"
        reports = [
            {"member_id": m, "situation": "ổn định", "submitted_on": f"{key}-27"} for m in serving
        ]
        url = f"/v1/branches/{BRANCH}/reports/{key}"
        await ok(assignment, "POST", url, json={"reports": reports})
        day = f"{key}-05"
        meeting = await schedule(attendance, day)
        held = held_body(day, members[0], attendance=sheet(serving))
        await attendance.ok("POST", f"/v1/meetings/{meeting}/held", json=held)
    await rating.caught_up()

    card = await rating.ok("GET", f"/v1/members/{newcomer}/scorecard/{LAST_YEAR}")
    assert card["assigned_months"] == FROM_JULY
    assert (card["reports_expected"], card["reports_submitted"]) == (6, 6)
    assert (card["meetings_expected"], card["meetings_present"]) == (6, 6)
    since_admission = await rating.ok("GET", f"/v1/members/{members[1]}/scorecard/{LAST_YEAR}")
    assert (since_admission["reports_expected"], since_admission["meetings_expected"]) == (12, 12)


def registered(version: int) -> a.MemberRegistered | a.MemberRegisteredV2 | a.MemberRegisteredV3:
    facts = {
        "member_id": "m1",
        "full_name": "Hoàng Văn Cụ",
        "branch_id": "VL-TT",
        "admission_date": date(1985, 5, 19),
        "status": "full",
    }
    if version == 3:
        return a.MemberRegisteredV3(**facts, attending_since=date(2025, 7, 1))
    return a.MemberRegisteredV2(**facts) if version == 2 else a.MemberRegistered(**facts)


def opened_period(event: a.MemberRegistered | a.MemberRegisteredV2 | a.MemberRegisteredV3) -> date:
    [_, (_, (member_id, branch_id, from_date))] = STATEMENTS[type(event)](event)
    assert (member_id, branch_id) == ("m1", "VL-TT")
    assert isinstance(from_date, date)
    return from_date


def test_version_3_opens_the_period_on_attending_since_and_older_ones_on_the_admission() -> None:
    assert [opened_period(registered(v)) for v in (1, 2, 3)] == [
        date(1985, 5, 19),
        date(1985, 5, 19),
        date(2025, 7, 1),
    ]


def test_a_registration_marks_the_years_from_the_day_the_member_began_attending() -> None:
    touched = Touched(first_year=2020)
    touched.add(registered(3))
    assert min(year for _, year in touched.members) == 2025
    older = Touched(first_year=2020)
    older.add(registered(2))
    assert min(year for _, year in older.members) == 2020
