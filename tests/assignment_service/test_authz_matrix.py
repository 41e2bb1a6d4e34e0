"""The assignment service's authorisation matrix: every endpoint of its OpenAPI document,
asked by each of the six roles at a place inside its subtree and at one outside it, with
the answer docs/authorization.md gives written down here.

Two provinces (see two_provinces.py): every role's token is held somewhere in Lào Cai, down
to the branch VL-TT, so VL-TT (its members, problems, import jobs) is "in" for all of them;
Yên Bái's branch TH-A is "out" for all of them. A province administrator and an auditor
hold their role over Lào Cai only. The member role's token names a member of VL-TT: "in"
is its own record where the request names a member. Writes carry bodies that name their
places but are otherwise empty: where the role may, the answer is 422 (authorisation
passed, the body did not), so no cell changes what later cells see. The member import is
the exception: its place is each row's branch, known only once the file is read, so the
upload is admitted and rows outside the subtree are refused one by one (asserted below).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from authz_matrix import Cell, Expect, Place, check
from kernel.support import eventually
from signin import bearer

from chibo_chassis.auth import ROLES, Role

from .conftest import Service
from .two_provinces import MONTH, SCOPES, YEAR, World, two_provinces

PA, BOARD, GC = Role.PROVINCE_ADMIN, Role.ORGANISATION_BOARD, Role.GRASSROOTS_COMMITTEE
SECRETARY, MEMBER, AUDITOR = Role.BRANCH_SECRETARY, Role.MEMBER, Role.AUDITOR

# From docs/authorization.md, the table of roles and their permissions.
ORGANISE = {PA, BOARD}
MEMBERS = {PA, GC, SECRETARY}
BRANCH_WORK = {PA, GC, SECRETARY}
REPORT = {PA, GC, SECRETARY, MEMBER}  # the member: its own only
FOLLOW = {PA, BOARD, GC}
READ_AT_PLACE = {PA, BOARD, GC, SECRETARY, AUDITOR}  # the member: only where it is named
AUDIT = {PA, BOARD, GC, AUDITOR}
NOBODY: set[Role] = set()

# endpoint → (roles allowed inside their subtree, roles allowed outside it); the routes
# table of docs/authorization.md, assignment.
EXPECTED: dict[str, tuple[set[Role], set[Role]]] = {
    "POST /v1/units": (ORGANISE, NOBODY),
    "POST /v1/units/{province_id}/household-range": (ORGANISE, NOBODY),
    "GET /v1/units/{province_id}/visit-quotas": (READ_AT_PLACE, NOBODY),
    "POST /v1/units/{province_id}/visit-quotas": (ORGANISE, NOBODY),
    "POST /v1/units/{unit_id}/dissolution": (ORGANISE, NOBODY),
    "POST /v1/units/{unit_id}/name": (ORGANISE, NOBODY),
    "POST /v1/units/{unit_id}/move": (ORGANISE, NOBODY),
    "POST /v1/units/{unit_id}/merger": (ORGANISE, NOBODY),
    "POST /v1/branches/{branch_id}/duties": (BRANCH_WORK, NOBODY),
    "POST /v1/branches/{branch_id}/households": (BRANCH_WORK, NOBODY),
    "POST /v1/branches/{branch_id}/plans/{year}": (BRANCH_WORK, NOBODY),
    "POST /v1/branches/{branch_id}/plans/{year}/adoption": (BRANCH_WORK, NOBODY),
    "POST /v1/branches/{branch_id}/plans/{year}/assignments": (BRANCH_WORK, NOBODY),
    "POST /v1/branches/{branch_id}/plans/{year}/assignments/import": (BRANCH_WORK, NOBODY),
    "POST /v1/branches/{branch_id}/plans/{year}/duties": (BRANCH_WORK, NOBODY),
    "POST /v1/branches/{branch_id}/plans/{year}/mentors": (BRANCH_WORK, NOBODY),
    "GET /v1/branches/{branch_id}/plans/{year}/coverage": (READ_AT_PLACE, NOBODY),
    "GET /v1/branches/{branch_id}/plans/{year}": (READ_AT_PLACE, NOBODY),
    "GET /v1/branches/{branch_id}/members": (READ_AT_PLACE, NOBODY),
    "GET /v1/branches/{branch_id}/households": (READ_AT_PLACE, NOBODY),
    "GET /v1/branches/{branch_id}/followers": (READ_AT_PLACE, NOBODY),
    # The tree names no place: every role sees the units inside its own subtree.
    "GET /v1/org-tree": (set(ROLES), set(ROLES)),
    "GET /v1/branches/{branch_id}/plans/{year}/mentors": (READ_AT_PLACE, NOBODY),
    "GET /v1/branches/{branch_id}/reports/{month}": (READ_AT_PLACE, NOBODY),
    "POST /v1/branches/{branch_id}/reports/{month}": (REPORT, NOBODY),
    "POST /v1/branches/{branch_id}/reports/{month}/reviews": (BRANCH_WORK, NOBODY),
    "POST /v1/followers/{member_id}/years/{year}": (FOLLOW, NOBODY),
    # Admitted by the role; each row's branch is checked as the job reads the file.
    "POST /v1/imports/members": (MEMBERS, MEMBERS),
    "GET /v1/imports/{job_id}": (READ_AT_PLACE, NOBODY),
    "POST /v1/members": (MEMBERS, NOBODY),
    "POST /v1/members/{member_id}/confirmation": (MEMBERS, NOBODY),
    "POST /v1/members/{member_id}/departure": (MEMBERS, NOBODY),
    "POST /v1/members/{member_id}/erasure": (ORGANISE, NOBODY),
    "POST /v1/members/{member_id}/exemption": (MEMBERS, NOBODY),
    "POST /v1/members/{member_id}/roles": (MEMBERS, NOBODY),
    "POST /v1/members/{member_id}/suspension": (MEMBERS, NOBODY),
    "POST /v1/members/{member_id}/temporary-attendance": (MEMBERS, NOBODY),
    "POST /v1/members/{member_id}/transfer": (MEMBERS, NOBODY),
    # An empty correction, once authorised, is refused: it names nothing to correct.
    "PUT /v1/members/{member_id}/identity": (MEMBERS, NOBODY),
    # Everything held about a member: read at their branch, the member role its own.
    "GET /v1/members/{member_id}/personal-data": (READ_AT_PLACE | {MEMBER}, NOBODY),
    "POST /v1/problems/{problem_id}/escalation": (BRANCH_WORK, NOBODY),
    "POST /v1/problems/{problem_id}/resolution": (BRANCH_WORK, NOBODY),
    "GET /v1/audit/{kind}/{subject_id}": (AUDIT, NOBODY),
    # The log of personal data reads names no place: rows outside the subtree are left out.
    "GET /v1/personal-data-reads": (AUDIT, AUDIT),
}
BRANCHES: dict[Place, str] = {"in": "VL-TT", "out": "TH-A"}


class Places:
    """What each place stands for: VL-TT and its things inside, TH-A and its outside."""

    def __init__(self, world: World, jobs: dict[Place, str]) -> None:
        self.world = world
        self.jobs = jobs

    def unit(self, place: Place) -> str:
        return BRANCHES[place]

    def member(self, place: Place) -> str:
        return self.world.member(BRANCHES[place])  # "in": the member role's own id

    def problem(self, place: Place) -> str:
        return self.world.problems[BRANCHES[place]]


Request = Callable[[Places, Place], tuple[str, dict[str, Any]]]


def _branch(suffix: str, body: dict[str, Any] | None = None) -> Request:
    return lambda p, place: (f"/v1/branches/{p.unit(place)}{suffix}", {"json": body or {}})


def _unit(suffix: str, field: str | None = None) -> Request:
    def request(p: Places, place: Place) -> tuple[str, dict[str, Any]]:
        body = {field: p.unit(place)} if field else {}
        return f"/v1/units/{p.unit(place)}{suffix}", {"json": body}

    return request


def _member(suffix: str, field: str | None = None) -> Request:
    def request(p: Places, place: Place) -> tuple[str, dict[str, Any]]:
        body = {field: p.unit(place)} if field else {}
        return f"/v1/members/{p.member(place)}{suffix}", {"json": body}

    return request


def _csv(branch: str) -> bytes:
    """A one-row member export for `branch`, the same each time (a repeat changes nothing)."""
    card = "81000001" if branch == "VL-TT" else "82000001"
    return (
        "Họ và tên,Ngày sinh,Ngày vào Đảng,Số thẻ đảng viên,Chi bộ\n"
        f"Nhập Thử {branch},02/09/1980,03/02/2010,{card},{branch}\n"
    ).encode()


PLAN = f"/plans/{YEAR}"
REQUESTS: dict[str, Request] = {
    "POST /v1/units": lambda p, place: ("/v1/units", {"json": {"parent_id": p.unit(place)}}),
    "POST /v1/units/{province_id}/household-range": _unit("/household-range"),
    "GET /v1/units/{province_id}/visit-quotas": lambda p, place: (
        f"/v1/units/{p.unit(place)}/visit-quotas",
        {},
    ),
    "POST /v1/units/{province_id}/visit-quotas": _unit("/visit-quotas"),
    "POST /v1/units/{unit_id}/dissolution": _unit("/dissolution"),
    "POST /v1/units/{unit_id}/name": _unit("/name"),
    "POST /v1/units/{unit_id}/move": _unit("/move", "to_parent_id"),
    "POST /v1/units/{unit_id}/merger": _unit("/merger", "into_unit_id"),
    "POST /v1/branches/{branch_id}/duties": _branch("/duties", {"groups": "none"}),
    "POST /v1/branches/{branch_id}/households": _branch("/households"),
    "POST /v1/branches/{branch_id}/plans/{year}": _branch(PLAN, {"min_households": 0}),
    "POST /v1/branches/{branch_id}/plans/{year}/adoption": _branch(f"{PLAN}/adoption"),
    "POST /v1/branches/{branch_id}/plans/{year}/assignments": _branch(f"{PLAN}/assignments"),
    "POST /v1/branches/{branch_id}/plans/{year}/assignments/import": lambda p, place: (
        f"/v1/branches/{p.unit(place)}{PLAN}/assignments/import",
        {"params": {"filename": "plan.txt"}, "content": b"not a sheet"},
    ),
    "POST /v1/branches/{branch_id}/plans/{year}/duties": _branch(f"{PLAN}/duties"),
    "POST /v1/branches/{branch_id}/plans/{year}/mentors": _branch(f"{PLAN}/mentors"),
    "GET /v1/branches/{branch_id}/plans/{year}/coverage": lambda p, place: (
        f"/v1/branches/{p.unit(place)}{PLAN}/coverage",
        {},
    ),
    "GET /v1/branches/{branch_id}/plans/{year}": lambda p, place: (
        f"/v1/branches/{p.unit(place)}{PLAN}",
        {},
    ),
    "GET /v1/branches/{branch_id}/members": lambda p, place: (
        f"/v1/branches/{p.unit(place)}/members",
        {},
    ),
    "GET /v1/branches/{branch_id}/households": lambda p, place: (
        f"/v1/branches/{p.unit(place)}/households",
        {"params": {"year": YEAR}},
    ),
    "GET /v1/branches/{branch_id}/followers": lambda p, place: (
        f"/v1/branches/{p.unit(place)}/followers",
        {"params": {"year": YEAR}},
    ),
    "GET /v1/org-tree": lambda p, place: ("/v1/org-tree", {}),
    "GET /v1/branches/{branch_id}/plans/{year}/mentors": lambda p, place: (
        f"/v1/branches/{p.unit(place)}{PLAN}/mentors",
        {},
    ),
    "GET /v1/branches/{branch_id}/reports/{month}": lambda p, place: (
        f"/v1/branches/{p.unit(place)}/reports/{MONTH}",
        {},
    ),
    # The member role names itself: "in" is its own report (incomplete, so 422).
    "POST /v1/branches/{branch_id}/reports/{month}": lambda p, place: (
        f"/v1/branches/{p.unit(place)}/reports/{MONTH}",
        {"json": {"reports": [{"member_id": p.member(place)}]}},
    ),
    "POST /v1/branches/{branch_id}/reports/{month}/reviews": _branch(f"/reports/{MONTH}/reviews"),
    "POST /v1/followers/{member_id}/years/{year}": lambda p, place: (
        f"/v1/followers/{p.member(place)}/years/{YEAR}",
        {"json": {"unit_ids": [p.unit(place)]}},
    ),
    "POST /v1/imports/members": lambda p, place: (
        "/v1/imports/members",
        {"params": {"filename": "export.csv"}, "content": _csv(p.unit(place))},
    ),
    "GET /v1/imports/{job_id}": lambda p, place: (f"/v1/imports/{p.jobs[place]}", {}),
    "POST /v1/members": lambda p, place: ("/v1/members", {"json": {"branch_id": p.unit(place)}}),
    "POST /v1/members/{member_id}/confirmation": _member("/confirmation"),
    "POST /v1/members/{member_id}/departure": _member("/departure"),
    "POST /v1/members/{member_id}/erasure": _member("/erasure"),
    "POST /v1/members/{member_id}/exemption": _member("/exemption"),
    "POST /v1/members/{member_id}/roles": _member("/roles"),
    "POST /v1/members/{member_id}/suspension": _member("/suspension"),
    "POST /v1/members/{member_id}/temporary-attendance": _member("/temporary-attendance"),
    "POST /v1/members/{member_id}/transfer": _member("/transfer", "to_branch_id"),
    "PUT /v1/members/{member_id}/identity": _member("/identity"),
    "GET /v1/members/{member_id}/personal-data": lambda p, place: (
        f"/v1/members/{p.member(place)}/personal-data",
        {},
    ),
    "POST /v1/problems/{problem_id}/escalation": lambda p, place: (
        f"/v1/problems/{p.problem(place)}/escalation",
        {"json": {}},
    ),
    "POST /v1/problems/{problem_id}/resolution": lambda p, place: (
        f"/v1/problems/{p.problem(place)}/resolution",
        {"json": {}},
    ),
    "GET /v1/audit/{kind}/{subject_id}": lambda p, place: (
        f"/v1/audit/unit/{p.unit(place)}",
        {},
    ),
    "GET /v1/personal-data-reads": lambda p, place: ("/v1/personal-data-reads", {}),
}


async def start_jobs(service: Service) -> dict[Place, str]:
    """An import job started in each branch by its own secretary (a job's place is the
    subtree of whoever started it), run to its end: the matrix's uploads of the same file
    then change nothing."""
    jobs: dict[Place, str] = {}
    starters: list[tuple[Place, str]] = [("in", SCOPES[SECRETARY]), ("out", "YB.TY.TH.TH-A")]
    for place, scope in starters:
        response = await service.client.post(
            "/v1/imports/members",
            params={"filename": "export.csv"},
            content=_csv(BRANCHES[place]),
            headers=bearer(SECRETARY, scope),
        )
        assert response.status_code == 202, response.text
        jobs[place] = response.json()["job_id"]
    inside, outside = await finished(service, [jobs["in"], jobs["out"]])
    assert (inside["imported"], outside["imported"]) == (1, 1)
    return jobs


async def finished(service: Service, job_ids: list[str]) -> list[dict[str, Any]]:
    done: list[dict[str, Any]] = []

    async def all_done() -> bool:
        done.clear()
        for job_id in job_ids:
            done.append((await service.client.get(f"/v1/imports/{job_id}")).json())
        return all(j["status"] != "running" for j in done)

    await eventually(all_done, timeout=60, what="the import jobs to finish")
    return done


async def test_every_endpoint_as_every_role_inside_and_outside_its_subtree(
    service: Service, capsys: pytest.CaptureFixture[str]
) -> None:
    client = service.client  # a province-wide administrator
    world = await two_provinces(client)
    places = Places(world, await start_jobs(service))
    openapi = (await client.get("/openapi.json")).json()
    assert set(REQUESTS) == set(EXPECTED)
    assert len(REQUESTS) == 44
    before = await service.runtime.pool.fetchval("SELECT count(*) FROM events")
    cells = []
    uploads: dict[Place, list[str]] = {"in": [], "out": []}
    for endpoint, (inside, outside) in EXPECTED.items():
        method = endpoint.split()[0]
        for role in ROLES:
            me = world.member("VL-TT") if role is MEMBER else None
            headers = bearer(role, SCOPES[role], me)
            for place in ("in", "out"):
                url, kwargs = REQUESTS[endpoint](places, place)
                response = await client.request(method, url, headers=headers, **kwargs)
                allowed = role in (inside if place == "in" else outside)
                expected: Expect = "allow" if allowed else "deny"
                cells.append(Cell(endpoint, role, place, expected, response.status_code))
                if endpoint == "POST /v1/imports/members" and response.status_code == 202:
                    uploads[place].append(response.json()["job_id"])
    check("assignment", openapi, cells, capsys)

    # No cell wrote anything: the uploads inside found their row already there, those
    # outside had their row refused as naming a branch they cannot see.
    inside_jobs = await finished(service, uploads["in"])
    assert [(j["imported"], j["unchanged"]) for j in inside_jobs] == [(0, 1)] * len(MEMBERS)
    outside_jobs = await finished(service, uploads["out"])
    assert len(outside_jobs) == len(MEMBERS)
    for job in outside_jobs:
        assert (job["imported"], job["unchanged"]) == (0, 0)
        assert [e["field"] for e in job["errors"]] == ["branch_code"]
    assert await service.runtime.pool.fetchval("SELECT count(*) FROM events") == before
