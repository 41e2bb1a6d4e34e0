"""Building a branch through the assignment service's public API, and entering meetings
through the attendance service's: the helpers the attendance tests share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assignment_service.conftest import Service

from .conftest import Attendance

BRANCH = "VL-TT"
OTHER = "VL-KC"
UNITS = [
    ("LC", "province", "Đảng bộ tỉnh Lào Cai", None),
    ("VB", "district", "Đảng bộ huyện Văn Bàn", "LC"),
    ("VL", "grassroots", "Đảng bộ xã Võ Lao", "VB"),
    (BRANCH, "branch", "Chi bộ thị tứ Võ Lao", "VL"),
    (OTHER, "branch", "Chi bộ thôn Khe Có", "VL"),
]


async def ok(service: Service, method: str, url: str, **kwargs: Any) -> Any:
    response = await service.client.request(method, url, **kwargs)
    assert response.status_code < 300, f"{method} {url}: {response.text}"
    return response.json()


async def create_units(
    assignment: Service, units: list[tuple[str, str, str, str | None]] = UNITS
) -> None:
    for unit_id, kind, name, parent in units:
        body = {
            "unit_id": unit_id,
            "kind": kind,
            "name": name,
            "parent_id": parent,
            "valid_from": "2020-01-01",
        }
        await ok(assignment, "POST", "/v1/units", json=body)


async def register(assignment: Service, index: int, branch: str = BRANCH) -> str:
    body = {
        "full_name": f"Đảng viên {index:03}",
        "branch_id": branch,
        "admission_date": "2010-05-19",
        "card_number": f"{8800000 + index}",
        "birth_date": "1970-01-01",
    }
    return str((await ok(assignment, "POST", "/v1/members", json=body))["member_id"])


async def schedule(attendance: Attendance, day: str, kind: str = "regular", **extra: Any) -> str:
    body = {"kind": kind, "scheduled_for": f"{day}T19:30:00+07:00", "place": "Nhà văn hóa"}
    body.update(extra)
    found = await attendance.ok("POST", f"/v1/branches/{BRANCH}/meetings", json=body)
    return str(found["meeting_id"])


def held_body(day: str, chair: str, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "started_at": f"{day}T19:30:00+07:00",
        "ended_at": f"{day}T21:05:00+07:00",
        "place": "Nhà văn hóa",
        "chair_id": chair,
        "minutes_recorded": True,
        "prepared_by_committee": True,
    }
    body.update(extra)
    return body


def sheet(
    present: list[str], absent: Mapping[str, tuple[str, str | None]] | None = None
) -> list[dict[str, Any]]:
    """Marks: everyone in `present` present; `absent` maps member → (status, reason)."""
    absent = absent or {}
    marks: list[dict[str, Any]] = [
        {"member_id": m, "status": "present"} for m in present if m not in absent
    ]
    for member, (status, reason) in absent.items():
        marks.append({"member_id": member, "status": status, "reason": reason})
    return marks


# A second province, far from the first: outside every scope the authorisation tests give.
FAR_BRANCH = "QN-B"
FAR_UNITS = [
    ("QN", "province", "Đảng bộ tỉnh Quảng Ninh", None),
    ("QN-X", "grassroots", "Đảng bộ xã Quảng Nghĩa", "QN"),
    (FAR_BRANCH, "branch", "Chi bộ thôn Bắc", "QN-X"),
]
