"""Reads of members' scorecards at the rating service are logged with who read, in which
role, what, whose and why, as JSON and as downloads alike: a member's card, the branch's
list streamed as CSV (a row per page sent) or as XLSX, the proposals (a branch's name its
members; a commune's name only units, so no one)."""

from __future__ import annotations

from typing import Any

from attendance_service.branch import BRANCH
from signin import bearer

from chibo_chassis.auth import Role

from .conftest import Rating, Trio
from .world import SCOPES, YEAR, build_world


async def reads_after(r: Rating, seen: int) -> list[dict[str, Any]]:
    found = await r.runtime.pool.fetch("SELECT * FROM personal_data_reads WHERE id > $1", seen)
    return [dict(row) for row in found]


async def last_id(r: Rating) -> int:
    found: int = await r.runtime.pool.fetchval(
        "SELECT coalesce(max(id), 0) FROM personal_data_reads"
    )
    return found


async def test_a_secretarys_read_of_a_members_card_records_who_what_whose_and_why(
    trio: Trio,
) -> None:
    r = trio.rating
    world = await build_world(trio)
    secretary = world.headers(Role.BRANCH_SECRETARY)
    seen = await last_id(r)
    async with r.signed_in(secretary) as client:
        card = await client.get(
            f"/v1/members/{world.member}/scorecard/{YEAR}",
            headers={"X-Purpose": "year_end_rating", "X-Correlation-Id": "card-1"},
        )
        assert card.status_code == 200, card.text
        sheet = await client.get(
            f"/v1/members/{world.member}/scorecard/{YEAR}", params={"format": "xlsx"}
        )
        assert sheet.status_code == 200
    first, second = await reads_after(r, seen)
    assert first["principal"] == f"branch_secretary@{SCOPES[Role.BRANCH_SECRETARY]}"
    assert first["role"] == "branch_secretary"
    assert first["org_scope"] == SCOPES[Role.BRANCH_SECRETARY].split(".")
    assert first["route"] == "GET /v1/members/{member_id}/scorecard/{year}"
    assert first["target"] == f"/v1/members/{world.member}/scorecard/{YEAR}"
    assert first["subjects"] == [world.member]
    assert (first["purpose"], first["correlation_id"], first["result_count"]) == (
        "year_end_rating",
        "card-1",
        1,
    )
    assert second["subjects"] == [world.member]
    assert second["target"].endswith("?format=xlsx")


async def test_the_branchs_list_is_logged_as_json_as_a_streamed_csv_and_as_xlsx(
    trio: Trio,
) -> None:
    r = trio.rating
    world = await build_world(trio)
    branch_members = sorted([world.member, world.neighbour])
    url = f"/v1/units/{BRANCH}/members/{YEAR}"
    seen = await last_id(r)
    listed = await r.ok("GET", url)
    assert sorted(c["member_id"] for c in listed) == branch_members
    for format in ("csv", "xlsx"):
        download = await r.client.get(url, params={"format": format})
        assert download.status_code == 200
    as_json, as_csv, as_xlsx = await reads_after(r, seen)
    for read in (as_json, as_csv, as_xlsx):
        assert read["subjects"] == branch_members
        assert read["result_count"] == len(branch_members)
    assert as_csv["target"] == f"{url}?format=csv"


async def test_proposals_name_the_members_of_a_branch_and_no_one_for_a_commune(
    trio: Trio,
) -> None:
    r = trio.rating
    world = await build_world(trio)
    seen = await last_id(r)
    await r.ok("GET", f"/v1/units/{BRANCH}/proposals/{YEAR}")
    await r.ok("GET", f"/v1/units/VL/proposals/{YEAR}")
    download = await r.client.get(f"/v1/units/{BRANCH}/proposals/{YEAR}?format=csv")
    assert download.status_code == 200
    branch, commune, branch_file = await reads_after(r, seen)
    assert branch["subjects"] == sorted([world.member, world.neighbour])
    assert commune["subjects"] == []
    assert branch_file["subjects"] == branch["subjects"]


async def test_an_auditor_finds_every_read_of_a_members_data_at_the_rating_service(
    trio: Trio,
) -> None:
    r = trio.rating
    world = await build_world(trio)
    await r.ok("GET", f"/v1/members/{world.member}/scorecard/{YEAR}")
    async with r.signed_in(bearer(Role.AUDITOR)) as auditor:

        async def whose(member: str) -> list[dict[str, Any]]:
            answer = await auditor.get(
                "/v1/personal-data-reads", params={"subject": member, "purpose": "year_end_rating"}
            )
            assert answer.status_code == 200, answer.text
            found: list[dict[str, Any]] = answer.json()["reads"]
            return found

        (read,) = await whose(world.member)
        assert read["target"] == f"/v1/members/{world.member}/scorecard/{YEAR}"
        assert (read["principal"], read["subjects"]) == ("province_admin@province", [world.member])
        # build_world reads nothing personal, and the neighbour's card was not read.
        assert await whose(world.neighbour) == []
