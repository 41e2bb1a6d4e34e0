"""Demo data from the seeds, entered through the service's own HTTP API like any client.

Chi bộ thị tứ Võ Lao (xã Võ Lao, huyện Văn Bàn, tỉnh Lào Cai): 41 members leading 207
households; 1 exempt from meetings, 3 committee members leading overall, 37 assigned 5-10
households each. The acceptance test drives the same function.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import httpx

BRANCH = "VL-TT"
YEAR = 2024
PLAN = f"/v1/branches/{BRANCH}/plans/{YEAR}"
UNITS = [
    ("LC", "province", "Đảng bộ tỉnh Lào Cai", None),
    ("VB", "district", "Đảng bộ huyện Văn Bàn", "LC"),
    ("VL", "grassroots", "Đảng bộ xã Võ Lao", "VB"),
    (BRANCH, "branch", "Chi bộ thị tứ Võ Lao", "VL"),
    ("VL-KC", "branch", "Chi bộ thôn Khe Có", "VL"),
]
COMMITTEE = ("secretary", "deputy_secretary", "committee_member")


@dataclass(frozen=True)
class VoLao:
    members: list[str]  # [0] exempt, [1:4] committee, [4:] hold households
    assignments: list[dict[str, Any]]


async def seed_vo_lao(client: httpx.AsyncClient) -> VoLao | None:
    """Enter the branch; None if the demo data is already there (a second run changes nothing)."""
    first = await client.post("/v1/units", json=_unit(*UNITS[0]))
    if first.status_code == 422 and first.json().get("code") == "unit_exists":
        return None
    _ok(first)
    for unit in UNITS[1:]:
        _ok(await client.post("/v1/units", json=_unit(*unit)))
    members = [
        _ok(await client.post("/v1/members", json=_member(i)))["member_id"] for i in range(41)
    ]
    exemption = {"from_date": "2023-01-01", "reason": "tuổi cao, sức yếu"}
    _ok(await client.post(f"/v1/members/{members[0]}/exemption", json=exemption))
    for member_id, role in zip(members[1:4], COMMITTEE, strict=True):
        role_body = {"role": role, "since": "2020-10-01"}
        _ok(await client.post(f"/v1/members/{member_id}/roles", json=role_body))
    households = [{"household_id": f"h{i:03}", "label": f"Hộ số {i}"} for i in range(1, 208)]
    _ok(await client.post(f"/v1/branches/{BRANCH}/households", json={"households": households}))
    _ok(await client.post(PLAN, json={}))
    assignments, start = [], 0
    for index, member_id in enumerate(members[4:]):
        size = 6 if index < 22 else 5  # 22 x 6 + 15 x 5 = 207, all within 5-10
        ids = [h["household_id"] for h in households[start : start + size]]
        assignments.append({"member_id": member_id, "household_ids": ids})
        start += size
    _ok(await client.post(f"{PLAN}/assignments", json={"assignments": assignments}))
    return VoLao(members, assignments)


async def run_demo(base_url: str, token: str | None = None) -> str:
    """Signed in with `token`, else with $CHIBO_DEMO_TOKEN (what `./chibo up` hands the
    `demo` command: a province administrator's token)."""
    async with httpx.AsyncClient(base_url=base_url, timeout=30, headers=_bearer(token)) as client:
        seeded = await seed_vo_lao(client)
        coverage = (await client.get(f"{PLAN}/coverage")).json()
    state = "seeded" if seeded else "already present"
    return f"Võ Lao {state}: members {coverage['members']}, households {coverage['households']}"


def _unit(unit_id: str, kind: str, name: str, parent: str | None) -> dict[str, Any]:
    return {
        "unit_id": unit_id,
        "kind": kind,
        "name": name,
        "parent_id": parent,
        "valid_from": "2020-01-01",
    }


def _member(i: int) -> dict[str, Any]:
    return {
        "full_name": f"Đảng viên {i + 1:02}",
        "branch_id": BRANCH,
        "admission_date": "2010-05-19",
        "card_number": f"{9900000 + i}",
        "birth_date": "1975-03-08",
    }


def _bearer(token: str | None) -> dict[str, str]:
    token = token if token is not None else os.environ.get("CHIBO_DEMO_TOKEN")
    return {"Authorization": f"Bearer {token}"} if token else {}


def _ok(response: httpx.Response) -> dict[str, Any]:
    if response.status_code >= 400:
        raise RuntimeError(f"demo seed refused: {response.status_code} {response.text}")
    body: dict[str, Any] = response.json()
    return body
