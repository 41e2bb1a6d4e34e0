"""Sign-in and the organisation tree, through the attendance service's HTTP API: who may
touch which branch's meetings, what a scoped query leaves out, who changed what, and what
a caller without a good token gets (401, and nothing stored)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
from signin import AUDIENCE, ISSUER, SECRET, bearer, token

from chibo_chassis.auth import Role, issue_token

from .branch import BRANCH, FAR_BRANCH, FAR_UNITS, OTHER, create_units, held_body, register
from .branch import schedule as schedule_as_admin
from .conftest import Attendance, Both

BRANCH_PATH = f"LC.VB.VL.{BRANCH}"
OTHER_PATH = f"LC.VB.VL.{OTHER}"
SECRETARY = bearer(Role.BRANCH_SECRETARY, BRANCH_PATH)
COMMITTEE = bearer(Role.GRASSROOTS_COMMITTEE, "LC.VB.VL")
MEETING: dict[str, Any] = {
    "kind": "regular",
    "scheduled_for": "2025-03-05T19:30:00+07:00",
    "place": "Nhà văn hóa",
}


async def stored(t: Attendance) -> int:
    return int(await t.runtime.pool.fetchval("SELECT count(*) FROM events"))


async def status(
    t: Attendance, method: str, url: str, headers: dict[str, str], **kwargs: Any
) -> int:
    return (await t.client.request(method, url, headers=headers, **kwargs)).status_code


async def two_branches(both: Both) -> tuple[str, str]:
    """A member on each branch of the commune, both arrived in the attendance service."""
    a, t = both.assignment, both.attendance
    await create_units(a)
    ours, theirs = await register(a, 1), await register(a, 2, OTHER)
    await t.roster_has(BRANCH, "2025-03-05", 1)
    await t.roster_has(OTHER, "2025-03-05", 1)
    return ours, theirs


async def test_a_secretary_works_on_their_branch_and_cannot_touch_the_next_one(
    both: Both,
) -> None:
    t = both.attendance
    await two_branches(both)
    # Their own branch: scheduled, and the event is filed with who did it, in which role.
    answer = await t.client.post(f"/v1/branches/{BRANCH}/meetings", json=MEETING, headers=SECRETARY)
    assert answer.status_code == 201, answer.text
    ours = answer.json()["meeting_id"]
    [scheduled] = await t.runtime.store.load(f"meetings-{BRANCH}-2025")
    assert scheduled.metadata["actor"] == f"branch_secretary@{BRANCH_PATH}"
    assert scheduled.metadata["role"] == "branch_secretary"
    assert scheduled.metadata["org_path"] == BRANCH_PATH.split(".")

    body = {**MEETING, "scheduled_for": "2025-03-06T19:30:00+07:00"}
    theirs = (await t.ok("POST", f"/v1/branches/{OTHER}/meetings", json=body))["meeting_id"]
    before = await stored(t)
    refused: list[tuple[str, str, dict[str, Any]]] = [
        ("POST", f"/v1/branches/{OTHER}/meetings", {"json": body}),
        ("POST", f"/v1/meetings/{theirs}/held", {"json": held_body("2025-03-06", "x")}),
        ("POST", f"/v1/meetings/{theirs}/cancellation", {"json": {"reason": "mưa bão"}}),
        ("GET", f"/v1/branches/{OTHER}/roster", {"params": {"on": "2025-03-05"}}),
        ("GET", f"/v1/branches/{OTHER}/years/2025", {}),
        ("GET", f"/v1/meetings/{theirs}", {}),
        # Ids nobody has: the same 403, so the secretary cannot tell them from the others.
        ("GET", "/v1/meetings/nope", {}),
        ("POST", "/v1/meetings/nope/cancellation", {"json": {"reason": "x"}}),
        ("GET", "/v1/branches/NOWHERE/roster", {"params": {"on": "2025-03-05"}}),
        # Hostile ids never reach a query as they are, nor fail it.
        ("GET", "/v1/meetings/" + "x" * 5000, {}),
        ("GET", "/v1/meetings/a%00b", {}),
        ("POST", "/v1/meetings/'%20OR%201=1--/held", {"json": {}}),
    ]
    for method, url, kwargs in refused:
        assert await status(t, method, url, SECRETARY, **kwargs) == 403, (method, url)
    assert await stored(t) == before
    # The administrator learns which ids do not exist; the malformed are not found either.
    assert await status(t, "GET", "/v1/meetings/nope", {}) == 404
    assert await status(t, "GET", "/v1/meetings/a%00b", {}) == 404
    assert await status(t, "GET", f"/v1/meetings/{ours}", SECRETARY) == 200
    assert await status(t, "GET", f"/v1/branches/{BRANCH}/years/2025", SECRETARY) == 200


async def test_the_member_role_reads_its_own_visits_and_writes_nothing(both: Both) -> None:
    t = both.attendance
    ours, theirs = await two_branches(both)
    me = bearer(Role.MEMBER, BRANCH_PATH, ours)
    meeting = await schedule_as_admin(t, "2025-03-05")
    before = await stored(t)
    assert await status(t, "GET", f"/v1/followers/{ours}/visits/2025", me) == 200
    for method, url, kwargs in [
        ("GET", f"/v1/followers/{theirs}/visits/2025", {}),
        ("POST", f"/v1/branches/{BRANCH}/meetings", {"json": MEETING}),
        ("POST", f"/v1/meetings/{meeting}/held", {"json": held_body("2025-03-05", ours)}),
        ("GET", f"/v1/meetings/{meeting}", {}),
        ("GET", f"/v1/branches/{BRANCH}/roster", {"params": {"on": "2025-03-05"}}),
        ("GET", f"/v1/audit/meeting/{meeting}", {}),
    ]:
        assert await status(t, method, url, me, **kwargs) == 403, (method, url)
    assert await stored(t) == before


async def test_visits_asked_from_a_subtree_leave_out_the_rest_counts_included(
    both: Both,
) -> None:
    """A commune committee member follows BRANCH and visits both branches of the commune
    (OTHER outside the assignment). Each branch's secretary sees only the visit to their
    branch, counted alone; the followed units outside a subtree are left out too."""
    a, t = both.assignment, both.attendance
    await create_units(a, FAR_UNITS)  # the follower's own branch is far away
    ours, theirs = await two_branches(both)
    follower = await register(a, 3, FAR_BRANCH)
    follow = {"level": "commune", "unit_ids": [BRANCH]}
    response = await a.client.post(f"/v1/followers/{follower}/years/2025", json=follow)
    assert response.status_code < 300, response.text
    await t.roster_has(FAR_BRANCH, "2025-03-05", 1)
    await t.settled()
    guest = [{"member_id": follower, "level": "commune"}]
    for branch, member, day in [(BRANCH, ours, "2025-03-05"), (OTHER, theirs, "2025-03-06")]:
        body = {**MEETING, "scheduled_for": f"{day}T19:30:00+07:00"}
        meeting = (await t.ok("POST", f"/v1/branches/{branch}/meetings", json=body))["meeting_id"]
        held = held_body(day, member, guests=guest)
        await t.ok("POST", f"/v1/meetings/{meeting}/held", json=held)

    async def visits(headers: dict[str, str]) -> tuple[int, int, list[str], set[str]]:
        found = await t.ok("GET", f"/v1/followers/{follower}/visits/2025", headers=headers)
        assert found["total"] == len(found["visits"])
        branches = {v["branch_id"] for v in found["visits"]}
        return found["total"], found["outside_assignment"], found["followed_units"], branches

    assert await visits({}) == (2, 1, [BRANCH], {BRANCH, OTHER})
    assert await visits(COMMITTEE) == (2, 1, [BRANCH], {BRANCH, OTHER})
    assert await visits(SECRETARY) == (1, 0, [BRANCH], {BRANCH})
    other_secretary = bearer(Role.BRANCH_SECRETARY, OTHER_PATH)
    assert await visits(other_secretary) == (1, 1, [], {OTHER})
    far_admin = bearer(Role.PROVINCE_ADMIN, "QN")
    assert await visits(far_admin) == (0, 0, [], set())


async def test_the_audit_trail_names_who_changed_what_and_hides_other_subtrees(
    both: Both,
) -> None:
    t = both.attendance
    ours, theirs = await two_branches(both)
    started = datetime.now(UTC)
    answer = await t.client.post(f"/v1/branches/{BRANCH}/meetings", json=MEETING, headers=SECRETARY)
    assert answer.status_code == 201, answer.text
    meeting = answer.json()["meeting_id"]
    await t.ok("POST", f"/v1/meetings/{meeting}/held", json=held_body("2025-03-05", ours))
    body = {"marks": [{"member_id": ours, "status": "present"}]}
    await t.ok("POST", f"/v1/meetings/{meeting}/attendance", json=body, headers=SECRETARY)
    other = {**MEETING, "scheduled_for": "2025-03-06T19:30:00+07:00"}
    theirs_meeting = (await t.ok("POST", f"/v1/branches/{OTHER}/meetings", json=other))[
        "meeting_id"
    ]
    await t.ok("POST", f"/v1/meetings/{theirs_meeting}/held", json=held_body("2025-03-06", theirs))
    body = {"marks": [{"member_id": theirs, "status": "present"}]}
    await t.ok("POST", f"/v1/meetings/{theirs_meeting}/attendance", json=body)

    trail = await t.ok("GET", f"/v1/audit/meeting/{meeting}", headers=COMMITTEE)
    entries = trail["entries"]
    assert [e["event_type"].split(".")[2] for e in entries] == [
        "meeting_scheduled",
        "meeting_held",
        "attendance_recorded",
    ]
    by_secretary = [entries[0], entries[2]]
    for entry in by_secretary:
        assert entry["actor"] == f"branch_secretary@{BRANCH_PATH}"
        assert entry["role"] == "branch_secretary"
        assert started <= datetime.fromisoformat(entry["recorded_at"]) <= datetime.now(UTC)
        assert entry["org_path"] == BRANCH_PATH.split(".")
    assert entries[1]["actor"] == "province_admin@province"
    assert entries[1]["role"] == "province_admin"

    # The whole commune, as its committee sees it; from one branch, only that branch.
    commune = await t.ok("GET", "/v1/audit/branch/" + OTHER, headers=COMMITTEE)
    assert {e["data"]["meeting_id"] for e in commune["entries"]} == {theirs_meeting}
    branch_auditor = bearer(Role.AUDITOR, BRANCH_PATH)
    assert await status(t, "GET", f"/v1/audit/branch/{OTHER}", branch_auditor) == 403
    assert await status(t, "GET", f"/v1/audit/meeting/{theirs_meeting}", branch_auditor) == 403
    assert await status(t, "GET", f"/v1/audit/meeting/{meeting}", branch_auditor) == 200
    # A secretary does not audit, even their own branch; a far auditor sees nothing here.
    assert await status(t, "GET", f"/v1/audit/meeting/{meeting}", SECRETARY) == 403
    far_auditor = bearer(Role.AUDITOR, "QN")
    assert await status(t, "GET", f"/v1/audit/meeting/{meeting}", far_auditor) == 403
    # Unknown subjects: 404 for the province-wide, 403 for the scoped.
    assert await status(t, "GET", "/v1/audit/meeting/nope", {}) == 404
    assert await status(t, "GET", "/v1/audit/meeting/nope", COMMITTEE) == 403
    # A member's marks: those filed in the branch the auditor holds, not the neighbour's.
    mine = await t.ok("GET", f"/v1/audit/member/{ours}", headers=branch_auditor)
    assert [e["event_type"].split(".")[2] for e in mine["entries"]] == ["attendance_recorded"]
    assert await status(t, "GET", f"/v1/audit/member/{theirs}", branch_auditor) == 403
    assert await status(t, "GET", f"/v1/audit/member/{theirs}", COMMITTEE) == 200


def expired() -> str:
    return issue_token(
        SECRET,
        subject="late",
        role=Role.PROVINCE_ADMIN,
        issuer=ISSUER,
        audience=AUDIENCE,
        ttl_seconds=-3600,
    )


def wrong_audience() -> str:
    return issue_token(
        SECRET, subject="elsewhere", role=Role.PROVINCE_ADMIN, issuer=ISSUER, audience="other"
    )


async def test_no_expired_or_foreign_token_gets_401_and_changes_nothing(both: Both) -> None:
    t = both.attendance
    await two_branches(both)
    meeting = await schedule_as_admin(t, "2025-03-05")
    before = await stored(t)
    requests: list[tuple[str, str, dict[str, Any]]] = [
        ("POST", f"/v1/branches/{BRANCH}/meetings", {"json": MEETING}),
        ("POST", f"/v1/meetings/{meeting}/cancellation", {"json": {"reason": "x"}}),
        ("GET", f"/v1/meetings/{meeting}", {}),
        ("GET", "/v1/meetings/nope", {}),
        ("GET", "/v1/audit/meeting/nope", {}),
    ]
    async with t.anonymous() as anonymous:
        for headers in [
            {},
            {"Authorization": f"Bearer {expired()}"},
            {"Authorization": f"Bearer {wrong_audience()}"},
            {"Authorization": f"Bearer {token(Role.PROVINCE_ADMIN)}x"},  # signature broken
            {"Authorization": f"Basic {token(Role.PROVINCE_ADMIN)}"},
        ]:
            for method, url, kwargs in requests:
                response: httpx.Response = await anonymous.request(
                    method, url, headers=headers, **kwargs
                )
                assert response.status_code == 401, (headers, url, response.text)
                assert response.headers["content-type"].startswith("application/problem+json")
                problem = response.json()
                assert problem["detail"]
                assert problem["detail_vi"]
                assert problem["detail"] != problem["detail_vi"]
        assert (await anonymous.get("/health/live")).status_code == 200
    assert await stored(t) == before
