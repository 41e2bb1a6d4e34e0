"""Two organisation trees for the sign-in and authorisation tests, entered as a province-wide
administrator: Lào Cai (LC > VB > VL > VL-TT, VL-KC; VB > KH > KH-B) and, far away, Quảng
Ninh (QN > QN-X > QN-B), outside every scope the tests give. And a token per role, each
held over a place inside Lào Cai (docs/authorization.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assignment_service.conftest import Service
from attendance_service.branch import BRANCH, OTHER, create_units, ok, register
from signin import bearer

from chibo_chassis.auth import Role

from .conftest import Trio

YEAR = 2025
NEAR = "KH-B"  # a branch of another grassroots organisation of the same district
FAR = "QN-B"  # a branch of another province
MORE_UNITS = [
    ("KH", "grassroots", "Đảng bộ xã Khánh Yên Hạ", "VB"),
    (NEAR, "branch", "Chi bộ thôn Nậm Tha", "KH"),
    ("QN", "province", "Đảng bộ tỉnh Quảng Ninh", None),
    ("QN-X", "grassroots", "Đảng bộ xã Quảng Nghĩa", "QN"),
    (FAR, "branch", "Chi bộ thôn Bắc", "QN-X"),
]
# Where each role's token is held: every one covers BRANCH (VL-TT), none covers FAR.
SCOPES = {
    Role.PROVINCE_ADMIN: "LC",
    Role.ORGANISATION_BOARD: "LC.VB",
    Role.GRASSROOTS_COMMITTEE: "LC.VB.VL",
    Role.BRANCH_SECRETARY: f"LC.VB.VL.{BRANCH}",
    Role.MEMBER: f"LC.VB.VL.{BRANCH}",
    Role.AUDITOR: "LC",
}


@dataclass
class World:
    member: str  # in BRANCH: the member role's token is theirs
    neighbour: str  # in BRANCH too
    other_branch_member: str  # in OTHER (VL-KC), same commune
    far_member: str  # in FAR

    def headers(self, role: Role) -> dict[str, str]:
        member = self.member if role is Role.MEMBER else None
        return bearer(role, SCOPES[role], member)


async def build_world(trio: Trio) -> World:
    a = trio.assignment
    await create_units(a)
    await _more_units(a)
    world = World(
        member=await register(a, 1),
        neighbour=await register(a, 2),
        other_branch_member=await register(a, 3, OTHER),
        far_member=await register(a, 4, FAR),
    )
    await trio.rating.caught_up()
    return world


async def _more_units(a: Service) -> None:
    for unit_id, kind, name, parent in MORE_UNITS:
        body: dict[str, Any] = {
            "unit_id": unit_id,
            "kind": kind,
            "name": name,
            "parent_id": parent,
            "valid_from": "2020-01-01",
        }
        await ok(a, "POST", "/v1/units", json=body)
