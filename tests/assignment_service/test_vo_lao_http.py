"""Chi bộ thị tứ Võ Lao rebuilt through the public HTTP API (seed 000): 41 members leading
207 households; 1 exempt, 3 committee members leading overall, 37 assigned 5-10 each.
The same seeding runs in `./chibo up` as demo data."""

from __future__ import annotations

from typing import Any

import httpx
from kernel.support import eventually

from assignment.domain.events import REGISTRY
from chibo_tools.demo.assignment import BRANCH, PLAN, seed_vo_lao

from .conftest import Service

PATH = "LC.VB.VL.VL-TT"
FIRST_STORY = {
    "org_unit_created",
    "member_registered",
    "member_exempted",
    "member_role_given",
    "household_registered",
    "plan_drafted",
    "member_assigned",
    "plan_adopted",
    "member_transferred",
    "households_released",
}
SECOND_STORY = {
    "member_suspended",
    "member_left",
    "temporary_attendance_started",
    "member_confirmed",
    "org_unit_dissolved",
    "org_unit_renamed",
    "households_released",
}


REPORT_STORY = {
    "report_submitted",
    "report_reviewed",
    "problem_raised",
    "problem_escalated",
    "problem_resolved",
}


FOLLOWING_STORY = {"mentor_assigned", "following_assigned", "visit_quota_set"}
MOVE_STORY = {"org_unit_moved", "org_unit_dissolved", "member_registered", "org_unit_merged"}
IDENTITY_STORY = {"member_registered", "member_renamed"}
ERASURE_STORY = {"member_registered", "member_left", "member_erased"}
DUTY_STORY = {
    "household_group_defined",
    "route_defined",
    "task_defined",
    "duty_assigned",
    "duties_released",
    "household_range_set",
}


def test_the_stories_put_every_published_event_type_on_the_wire() -> None:
    published = {t.short_name() for t in REGISTRY if t.published}
    stories = FIRST_STORY | SECOND_STORY | REPORT_STORY | FOLLOWING_STORY | DUTY_STORY
    stories |= MOVE_STORY | IDENTITY_STORY | ERASURE_STORY
    assert published == stories


# The version of each event the service emits now: the newest one registered.
LATEST = {
    t.short_name(): t.event_type for t in sorted(REGISTRY, key=lambda t: int(t.version()[1:]))
}
PRIVATE = {t.event_type for t in REGISTRY if not t.published}


async def assert_on_the_wire(service: Service, short_names: set[str]) -> None:
    """Each command's event reached a plain nats-py subscriber in its newest version; private
    ones and superseded versions never did."""
    expected = {LATEST[name] for name in short_names}

    def seen() -> set[str]:
        return {(m.headers or {}).get("ce-type", "") for m in service.wire}

    async def arrived() -> bool:
        return expected <= seen()

    await eventually(arrived, timeout=30, what=f"{sorted(short_names)} on NATS")
    assert not seen() & PRIVATE
    assert not {t for t in seen() if t.split(".")[2] in short_names} - expected


async def post(client: httpx.AsyncClient, url: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(url, json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_vo_lao_coverage_then_a_transfer_releases_households(service: Service) -> None:
    client = service.client
    seeded = await seed_vo_lao(client)
    assert seeded is not None
    assert await seed_vo_lao(client) is None  # a second run changes nothing
    adoption = {"resolution_number": "05-NQ/CB", "adopted_on": "2024-01-20"}
    await post(client, f"{PLAN}/adoption", adoption)

    coverage = (await client.get(f"{PLAN}/coverage")).json()
    assert (coverage["members"], coverage["households"]) == ("37/37", "207/207")

    leaving = seeded.assignments[0]
    transfer = {"to_branch_id": "VL-KC", "on": "2024-06-01"}
    await post(client, f"/v1/members/{leaving['member_id']}/transfer", transfer)

    after = (await client.get(f"{PLAN}/coverage")).json()
    assert after["members"] == "36/36"
    assert after["households"] == f"{207 - len(leaving['household_ids'])}/207"
    assert after["households_without_member"] == leaving["household_ids"]
    assert {r["reason"] for r in after["released"]} == {"transferred"}

    # Every public event reached a plain subscriber, under the branch's organisation path,
    # and no card number ever did.
    stored = await service.runtime.pool.fetchval(
        "SELECT count(*) FROM events WHERE NOT metadata ? 'private'"
    )

    async def all_published() -> bool:
        return bool(len(service.wire) == stored)

    await eventually(all_published, timeout=30, what="every public event on NATS")
    subjects = {m.subject for m in service.wire}
    assert f"chibo.assignment.member.member_registered.v3.{PATH}._" in subjects
    assert f"chibo.assignment.plan.households_released.v1.{PATH}._" in subjects
    await assert_on_the_wire(service, FIRST_STORY)
    assert not any(b"99000" in m.data for m in service.wire)


async def test_a_taken_household_is_refused_in_both_languages_and_changes_nothing(
    service: Service,
) -> None:
    client = service.client
    seeded = await seed_vo_lao(client)
    assert seeded is not None
    holder, other = seeded.assignments[0], seeded.assignments[1]
    before = await service.runtime.pool.fetchval("SELECT count(*) FROM events")
    held_before = await service.runtime.pool.fetchval(
        "SELECT count(*) FROM plan_assignments WHERE member_id = $1", other["member_id"]
    )
    await post(
        client,
        f"/v1/branches/{BRANCH}/households",
        {"households": [{"household_id": "h900", "label": "Hộ mới"}]},
    )
    before += 2  # the household, and its label beside it

    refused = await client.post(
        f"{PLAN}/assignments",
        json={
            "assignments": [
                {"member_id": other["member_id"], "household_ids": ["h900"]},  # fine alone
                {"member_id": other["member_id"], "household_ids": holder["household_ids"][:1]},
            ]
        },
    )

    assert refused.status_code == 422
    problem = refused.json()
    assert problem["code"] == "households_taken"
    assert "đã có đảng viên phụ trách" in problem["detail_vi"]
    assert await service.runtime.pool.fetchval("SELECT count(*) FROM events") == before
    assert (
        await service.runtime.pool.fetchval(
            "SELECT count(*) FROM plan_assignments WHERE member_id = $1", other["member_id"]
        )
        == held_before
    )


async def test_suspension_departure_and_temporary_attendance_keep_coverage_honest(
    service: Service,
) -> None:
    client = service.client
    seeded = await seed_vo_lao(client)
    assert seeded is not None
    suspended, leaving = seeded.assignments[1], seeded.assignments[2]
    await post(
        client,
        f"/v1/members/{suspended['member_id']}/suspension",
        {"from_date": "2024-03-01", "reason": "đang bị xem xét kỷ luật"},
    )
    await post(
        client,
        f"/v1/members/{leaving['member_id']}/departure",
        {"on": "2024-04-01", "reason": "từ trần"},
    )
    guest = seeded.assignments[3]["member_id"]
    await post(
        client,
        f"/v1/members/{guest}/temporary-attendance",
        {"host_branch_id": "VL-KC", "from_date": "2024-05-01", "to_date": "2024-11-01"},
    )
    too_long = await client.post(
        f"/v1/members/{guest}/temporary-attendance",
        json={"host_branch_id": "VL-KC", "from_date": "2024-05-01", "to_date": "2025-11-01"},
    )
    assert too_long.status_code == 422
    assert "từ 3 đến 12 tháng" in too_long.json()["detail_vi"]
    after_departure = await client.post(
        f"/v1/members/{leaving['member_id']}/roles",
        json={"role": "secretary", "since": "2024-05-01"},
    )
    assert after_departure.json()["code"] == "member_left"

    coverage = (await client.get(f"{PLAN}/coverage")).json()
    released = {r["household_id"]: r["reason"] for r in coverage["released"]}
    # 37 less the suspended and the departed; the guest is back by the year's end and
    # waits for households, since going away released theirs.
    assert coverage["members"] == "34/35"
    assert coverage["members_without_households"] == [guest]
    assert {released[h] for h in suspended["household_ids"]} == {"suspended"}
    assert {released[h] for h in leaving["household_ids"]} == {"left"}
    assert {released[h] for h in seeded.assignments[3]["household_ids"]} == {"transferred"}
    while_away = (await client.get(f"{PLAN}/coverage", params={"on": "2024-06-15"})).json()
    assert while_away["members"] == "34/34"

    # The 2025 abolition of districts: dissolved, not deleted; the past keeps its path.
    await post(
        client,
        "/v1/units/VB/dissolution",
        {"valid_from": "2025-07-01", "reason": "bỏ cấp huyện (2025)"},
    )
    await post(
        client, "/v1/units/VL/name", {"name": "Đảng bộ xã Võ Lao (mới)", "valid_from": "2025-07-01"}
    )
    path = await service.runtime.pool.fetchval("SELECT path FROM org_units WHERE unit_id = 'VL'")
    assert path == ["LC", "VB", "VL"]

    newcomer = await post(
        client,
        "/v1/members",
        {
            "full_name": "Hoàng Thị Lan",
            "branch_id": BRANCH,
            "admission_date": "2024-02-03",
            "status": "probationary",
            "card_number": "88001234",
            "birth_date": "2000-01-01",
        },
    )
    await post(client, f"/v1/members/{newcomer['member_id']}/confirmation", {"on": "2025-02-03"})
    await assert_on_the_wire(service, SECOND_STORY)
