"""Every rating endpoint asked by every role, at a place inside the role's subtree and at one
outside it (a branch of another province), with the answer docs/authorization.md gives
written down here, not read from the policy code.

"In" is the branch VL-TT and its member (the member role's own records); "out" is the
branch QN-B and its member. Bodies are empty: an allowed command then answers 422, which
shows it got past the guard; a refused one answers 403 whatever the body. The rebuild,
the only allowed call that changes anything, goes last.
"""

from __future__ import annotations

import pytest
from attendance_service.branch import BRANCH
from authz_matrix import Cell, Expect, Place, check
from signin import ADMIN

from chibo_chassis.auth import ROLES, Role

from .conftest import Trio
from .world import FAR, YEAR, World, build_world

PA = Role.PROVINCE_ADMIN
BOARD = Role.ORGANISATION_BOARD
GC = Role.GRASSROOTS_COMMITTEE
BS = Role.BRANCH_SECRETARY
MEMBER = Role.MEMBER
AUDITOR = Role.AUDITOR
EVERYONE = frozenset(ROLES)
READERS = frozenset({PA, BOARD, GC, BS, AUDITOR})  # read at a unit: the member role no

# endpoint → (who is allowed in scope, who outside it, whether it is a command)
# From docs/authorization.md, "rating": read at the unit; read at the member's branch
# (member: own); self_assess (member: own); appraise; decide; operate (no place);
# read_policy (no place); audit (only events filed inside the subtree).
EXPECTED: dict[str, tuple[frozenset[Role], frozenset[Role]]] = {
    "GET /v1/units/{unit_id}/members/{year}": (READERS, frozenset()),
    "GET /v1/units/{unit_id}/branches/{year}": (READERS, frozenset()),
    "GET /v1/units/{unit_id}/proposals/{year}": (READERS, frozenset()),
    "GET /v1/units/{unit_id}/rollup/{year}": (READERS, frozenset()),
    "GET /v1/units/{unit_id}/flags/{year}": (READERS, frozenset()),
    "GET /v1/units/{unit_id}/following/{year}": (READERS, frozenset()),
    "GET /v1/units/{unit_id}/titles/{year}": (READERS, frozenset()),
    "GET /v1/members/{member_id}/scorecard/{year}": (EVERYONE, frozenset()),
    "GET /v1/members/{member_id}/personal-data": (EVERYONE, frozenset()),
    "POST /v1/members/{member_id}/ratings/{year}/self-assessment": (
        frozenset({PA, GC, BS, MEMBER}),
        frozenset(),
    ),
    "POST /v1/members/{member_id}/ratings/{year}/appraisal": (frozenset({PA, GC, BS}), frozenset()),
    "POST /v1/members/{member_id}/ratings/{year}/discipline": (
        frozenset({PA, BOARD, GC}),
        frozenset(),
    ),
    "POST /v1/members/{member_id}/ratings/{year}/conclusions": (
        frozenset({PA, BOARD, GC}),
        frozenset(),
    ),
    "POST /v1/members/{member_id}/ratings/{year}/leave": (frozenset({PA, GC, BS}), frozenset()),
    "POST /v1/members/{member_id}/ratings/{year}/comments": (frozenset({PA, GC, BS}), frozenset()),
    "POST /v1/members/{member_id}/ratings/{year}/removal-proposal": (
        frozenset({PA, GC, BS}),
        frozenset(),
    ),
    "POST /v1/members/{member_id}/ratings/{year}/removal-decision": (
        frozenset({PA, BOARD, GC}),
        frozenset(),
    ),
    "POST /v1/units/{unit_id}/ratings/{year}/cohort": (frozenset({PA, BOARD, GC}), frozenset()),
    "POST /v1/units/{unit_id}/ratings/{year}/decisions": (frozenset({PA, BOARD, GC}), frozenset()),
    "POST /v1/units/{unit_id}/ratings/{year}/appraisal": (frozenset({PA, BOARD, GC}), frozenset()),
    "POST /v1/units/{unit_id}/ratings/{year}/allowance": (frozenset({PA, BOARD, GC}), frozenset()),
    "POST /v1/units/{unit_id}/ratings/{year}/cancellations": (
        frozenset({PA, BOARD, GC}),
        frozenset(),
    ),
    "GET /v1/rule-sets/{year}": (EVERYONE, EVERYONE),
    "POST /v1/rule-sets/{year}/meeting-verdict": (EVERYONE, EVERYONE),
    "GET /v1/audit/{kind}/{subject_id}": (frozenset({PA, BOARD, GC, AUDITOR}), frozenset()),
    # The log of personal data reads names no place: rows outside the subtree are left out.
    "GET /v1/personal-data-reads": (
        frozenset({PA, BOARD, GC, AUDITOR}),
        frozenset({PA, BOARD, GC, AUDITOR}),
    ),
    "GET /v1/admin/read-models": (frozenset({PA}), frozenset({PA})),
    "POST /v1/admin/read-models/rebuild": (frozenset({PA}), frozenset({PA})),
}


def _url(template: str, place: str, world: World) -> str:
    unit, member = (BRANCH, world.member) if place == "in" else (FAR, world.far_member)
    return (
        template.replace("{unit_id}", unit)
        .replace("{member_id}", member)
        .replace("{year}", str(YEAR))
        .replace("{kind}", "member")
        .replace("{subject_id}", member)
    )


@pytest.mark.timeout(300)
async def test_every_endpoint_as_every_role_in_and_out_of_scope(
    trio: Trio, capsys: pytest.CaptureFixture[str]
) -> None:
    r = trio.rating
    world = await build_world(trio)
    # Something to audit on both sides: an appraisal of each member, by the whole province.
    for member in (world.member, world.far_member):
        body = {"level": "good", "note": "hoàn thành tốt"}
        await r.ok("POST", f"/v1/members/{member}/ratings/{YEAR}/appraisal", json=body)
    stored = await r.runtime.pool.fetchval("SELECT count(*) FROM events")
    openapi = (await r.client.get("/openapi.json")).json()

    cells: list[Cell] = []
    for endpoint, (allowed_in, allowed_out) in EXPECTED.items():  # the rebuild last
        method, template = endpoint.split(" ", 1)
        for role in ROLES:
            async with r.signed_in(world.headers(role)) as client:
                places: tuple[tuple[Place, frozenset[Role]], ...] = (
                    ("in", allowed_in),
                    ("out", allowed_out),
                )
                for place, allowed in places:
                    url = _url(template, place, world)
                    payload: dict[str, str] | None = {} if method == "POST" else None
                    answer = await client.request(method, url, json=payload)
                    expected: Expect = "allow" if role in allowed else "deny"
                    cells.append(Cell(endpoint, role, place, expected, answer.status_code))
    check("rating", openapi, cells, capsys)
    assert len(cells) == len(EXPECTED) * len(ROLES) * 2
    # Nothing was written: every command was refused or had an empty body.
    assert await r.runtime.pool.fetchval("SELECT count(*) FROM events") == stored

    # The province-wide administrator learns that an id is unknown; a scoped one cannot.
    unknown = f"/v1/units/NOWHERE/rollup/{YEAR}"
    assert (await r.client.get(unknown)).status_code == 404
    async with r.signed_in(ADMIN) as client:
        assert (await client.get(f"/v1/members/nobody/scorecard/{YEAR}")).status_code == 404
    async with r.signed_in(world.headers(PA)) as client:
        assert (await client.get(unknown)).status_code == 403
        assert (await client.get(f"/v1/members/nobody/scorecard/{YEAR}")).status_code == 403
