"""Two organisation trees entered as a province-wide administrator, for the sign-in tests:
Lào Cai (LC > VB > VL > the branches VL-TT and VL-KC) and Yên Bái (YB > TY > TH > TH-A).
Each branch has members and households; VL-TT and TH-A have a 2025 plan, a month of
reports and an open problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from chibo_chassis.auth import Role

UNITS = [
    ("LC", "province", None),
    ("VB", "district", "LC"),
    ("VL", "grassroots", "VB"),
    ("VL-TT", "branch", "VL"),
    ("VL-KC", "branch", "VL"),
    ("YB", "province", None),
    ("TY", "district", "YB"),
    ("TH", "grassroots", "TY"),
    ("TH-A", "branch", "TH"),
]
PATHS = {
    "LC": "LC",
    "VB": "LC.VB",
    "VL": "LC.VB.VL",
    "VL-TT": "LC.VB.VL.VL-TT",
    "VL-KC": "LC.VB.VL.VL-KC",
    "YB": "YB",
    "TH-A": "YB.TY.TH.TH-A",
}
YEAR = 2025
MONTH = "2025-03"
PLANNED = ("VL-TT", "TH-A")
# Each role's subtree: every one of them covers VL-TT and none covers Yên Bái.
SCOPES = {
    Role.PROVINCE_ADMIN: PATHS["LC"],
    Role.ORGANISATION_BOARD: PATHS["VB"],
    Role.GRASSROOTS_COMMITTEE: PATHS["VL"],
    Role.BRANCH_SECRETARY: PATHS["VL-TT"],
    Role.MEMBER: PATHS["VL-TT"],
    Role.AUDITOR: PATHS["LC"],
}


@dataclass
class World:
    members: dict[str, list[str]] = field(default_factory=dict)  # branch → member ids
    problems: dict[str, str] = field(default_factory=dict)  # branch → an open problem's id

    def member(self, branch: str, index: int = 0) -> str:
        return self.members[branch][index]


async def ok(client: httpx.AsyncClient, method: str, url: str, **kwargs: Any) -> Any:
    response = await client.request(method, url, **kwargs)
    assert response.status_code < 300, f"{method} {url}: {response.status_code} {response.text}"
    return response.json()


def report(member_id: str) -> dict[str, Any]:
    return {"member_id": member_id, "situation": "Các hộ ổn định", "submitted_on": "2025-03-28"}


async def two_provinces(client: httpx.AsyncClient) -> World:
    """`client` must be signed in over the whole province (it creates two provinces)."""
    world = World()
    for unit_id, kind, parent in UNITS:
        body = {
            "unit_id": unit_id,
            "kind": kind,
            "name": f"Đảng bộ {unit_id}",
            "parent_id": parent,
            "valid_from": "2020-01-01",
        }
        await ok(client, "POST", "/v1/units", json=body)
    card = 70000000
    for branch in ("VL-TT", "VL-KC", "TH-A"):
        world.members[branch] = []
        for i in range(3):
            card += 1
            registered = await ok(
                client,
                "POST",
                "/v1/members",
                json={
                    "full_name": f"Đảng viên {branch} {i}",
                    "branch_id": branch,
                    "admission_date": "2010-05-19",
                    "card_number": str(card),
                    "birth_date": "1985-01-01",
                },
            )
            world.members[branch].append(registered["member_id"])
        households = [{"household_id": f"h{i}", "label": f"Hộ {i}"} for i in range(1, 7)]
        await ok(
            client, "POST", f"/v1/branches/{branch}/households", json={"households": households}
        )
    for branch in PLANNED:
        plan = f"/v1/branches/{branch}/plans/{YEAR}"
        await ok(client, "POST", plan, json={})
        assignments = [
            {
                "member_id": world.member(branch, i),
                "household_ids": [f"h{2 * i + 1}", f"h{2 * i + 2}"],
            }
            for i in range(3)
        ]
        await ok(client, "POST", f"{plan}/assignments", json={"assignments": assignments})
        first = {**report(world.member(branch)), "problems": ["Đường vào bản sạt lở"]}
        await ok(
            client, "POST", f"/v1/branches/{branch}/reports/{MONTH}", json={"reports": [first]}
        )
        month = await ok(client, "GET", f"/v1/branches/{branch}/reports/{MONTH}")
        (problem,) = month["open_problems"]
        world.problems[branch] = problem["problem_id"]
    return world
