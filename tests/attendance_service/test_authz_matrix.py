"""The attendance service's authorisation matrix: every endpoint of its OpenAPI document,
asked by each of the six roles at a place inside its subtree and at one outside it, with
the answer docs/authorization.md gives written down here.

Two provinces: Lào Cai (every role's token is held somewhere in it, down to the branch
VL-TT) and Quảng Ninh (outside every token). A province administrator and an auditor hold
their role over Lào Cai only. Writes carry empty bodies: where the role may, the answer is
422 (authorisation passed, the body did not), so no cell changes what later cells see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from authz_matrix import Cell, Expect, Place, check
from signin import bearer

from chibo_chassis.auth import ROLES, Role

from .branch import BRANCH, FAR_BRANCH, FAR_UNITS, create_units, register, schedule
from .conftest import Both

PA, BOARD, GC = Role.PROVINCE_ADMIN, Role.ORGANISATION_BOARD, Role.GRASSROOTS_COMMITTEE
SECRETARY, MEMBER, AUDITOR = Role.BRANCH_SECRETARY, Role.MEMBER, Role.AUDITOR

# Each role's subtree: all of them hold BRANCH (LC.VB.VL.VL-TT), none holds FAR_BRANCH.
SCOPES = {
    PA: "LC",
    BOARD: "LC.VB",
    GC: "LC.VB.VL",
    SECRETARY: f"LC.VB.VL.{BRANCH}",
    MEMBER: f"LC.VB.VL.{BRANCH}",
    AUDITOR: "LC",
}

# From docs/authorization.md, the table of roles and the attendance routes.
BRANCH_WORK = {PA, GC, SECRETARY}
READ_AT_PLACE = {PA, BOARD, GC, SECRETARY, AUDITOR}  # the member: only where it is named
AUDIT = {PA, BOARD, GC, AUDITOR}
EVERYONE = set(ROLES)
NOBODY: set[Role] = set()

# endpoint → (roles allowed inside their subtree, roles allowed outside it)
EXPECTED: dict[str, tuple[set[Role], set[Role]]] = {
    "POST /v1/branches/{branch_id}/meetings": (BRANCH_WORK, NOBODY),
    "POST /v1/meetings/{meeting_id}/postponement": (BRANCH_WORK, NOBODY),
    "POST /v1/meetings/{meeting_id}/cancellation": (BRANCH_WORK, NOBODY),
    "POST /v1/meetings/{meeting_id}/held": (BRANCH_WORK, NOBODY),
    "POST /v1/meetings/{meeting_id}/attendance": (BRANCH_WORK, NOBODY),
    "POST /v1/meetings/{meeting_id}/attendance/corrections": (BRANCH_WORK, NOBODY),
    "POST /v1/meetings/{meeting_id}/guests": (BRANCH_WORK, NOBODY),
    "GET /v1/branches/{branch_id}/roster": (READ_AT_PLACE, NOBODY),
    "GET /v1/branches/{branch_id}/years/{year}": (READ_AT_PLACE, NOBODY),
    "GET /v1/meetings/{meeting_id}": (READ_AT_PLACE, NOBODY),
    # Read with no place: visits outside the subtree are left out, not refused. The member
    # may ask for its own visits only: "out" is someone else's.
    "GET /v1/followers/{member_id}/visits/{year}": (EVERYONE, EVERYONE - {MEMBER}),
    "GET /v1/audit/{kind}/{subject_id}": (AUDIT, NOBODY),
    # Everything held about a member: read at their branch, the member role its own.
    "GET /v1/members/{member_id}/personal-data": (READ_AT_PLACE | {MEMBER}, NOBODY),
    # The log of personal data reads names no place: rows outside the subtree are left out.
    "GET /v1/personal-data-reads": (AUDIT, AUDIT),
}


@dataclass
class World:
    me: str  # the member role's own member id, a member of BRANCH
    them: str  # a member of FAR_BRANCH
    meetings: dict[Place, str]
    branches: dict[Place, str]


Request = Callable[[World, Place], tuple[str, dict[str, Any]]]


def _meeting(suffix: str) -> Request:
    return lambda w, place: (f"/v1/meetings/{w.meetings[place]}{suffix}", {"json": {}})


REQUESTS: dict[str, Request] = {
    "POST /v1/branches/{branch_id}/meetings": lambda w, place: (
        f"/v1/branches/{w.branches[place]}/meetings",
        {"json": {}},
    ),
    "POST /v1/meetings/{meeting_id}/postponement": _meeting("/postponement"),
    "POST /v1/meetings/{meeting_id}/cancellation": _meeting("/cancellation"),
    "POST /v1/meetings/{meeting_id}/held": _meeting("/held"),
    "POST /v1/meetings/{meeting_id}/attendance": _meeting("/attendance"),
    "POST /v1/meetings/{meeting_id}/attendance/corrections": _meeting("/attendance/corrections"),
    "POST /v1/meetings/{meeting_id}/guests": _meeting("/guests"),
    "GET /v1/branches/{branch_id}/roster": lambda w, place: (
        f"/v1/branches/{w.branches[place]}/roster",
        {"params": {"on": "2025-03-05"}},
    ),
    "GET /v1/branches/{branch_id}/years/{year}": lambda w, place: (
        f"/v1/branches/{w.branches[place]}/years/2025",
        {},
    ),
    "GET /v1/meetings/{meeting_id}": lambda w, place: (f"/v1/meetings/{w.meetings[place]}", {}),
    "GET /v1/followers/{member_id}/visits/{year}": lambda w, place: (
        f"/v1/followers/{w.me if place == 'in' else w.them}/visits/2025",
        {},
    ),
    "GET /v1/audit/{kind}/{subject_id}": lambda w, place: (
        f"/v1/audit/meeting/{w.meetings[place]}",
        {},
    ),
    "GET /v1/members/{member_id}/personal-data": lambda w, place: (
        f"/v1/members/{w.me if place == 'in' else w.them}/personal-data",
        {},
    ),
    "GET /v1/personal-data-reads": lambda w, place: ("/v1/personal-data-reads", {}),
}


async def world(both: Both) -> World:
    a, t = both.assignment, both.attendance
    await create_units(a)
    await create_units(a, FAR_UNITS)
    me = await register(a, 1)
    them = await register(a, 2, FAR_BRANCH)
    await t.roster_has(BRANCH, "2025-03-05", 1)
    await t.roster_has(FAR_BRANCH, "2025-03-05", 1)
    near = await schedule(t, "2025-03-05")
    body = {"kind": "regular", "scheduled_for": "2025-03-06T19:30:00+07:00", "place": "Nhà bác"}
    far = (await t.ok("POST", f"/v1/branches/{FAR_BRANCH}/meetings", json=body))["meeting_id"]
    return World(me, them, {"in": near, "out": far}, {"in": BRANCH, "out": FAR_BRANCH})


async def test_every_endpoint_as_every_role_inside_and_outside_its_subtree(
    both: Both, capsys: pytest.CaptureFixture[str]
) -> None:
    t = both.attendance
    w = await world(both)
    openapi = (await t.client.get("/openapi.json")).json()
    assert set(REQUESTS) == set(EXPECTED)
    before = await t.runtime.pool.fetchval("SELECT count(*) FROM events")
    cells = []
    for endpoint, (inside, outside) in EXPECTED.items():
        method = endpoint.split()[0]
        for role in ROLES:
            headers = bearer(role, SCOPES[role], w.me if role is MEMBER else None)
            for place in ("in", "out"):
                url, kwargs = REQUESTS[endpoint](w, place)
                response = await t.client.request(method, url, headers=headers, **kwargs)
                allowed = role in (inside if place == "in" else outside)
                expected: Expect = "allow" if allowed else "deny"
                cells.append(Cell(endpoint, role, place, expected, response.status_code))
    check("attendance", openapi, cells, capsys)
    # Empty bodies throughout: nothing was written by any cell.
    assert await t.runtime.pool.fetchval("SELECT count(*) FROM events") == before
