"""Who decided is who signed in: the Võ Lao committee's token records "Đảng ủy xã Võ Lao" in
the event and in the audit, a province-wide one the province's committee; a body that still
names who decided is refused by the field's name, and nothing is stored."""

from __future__ import annotations

from typing import Any

from attendance_service.branch import BRANCH, create_units
from signin import bearer

from chibo_chassis.auth import Role

from .conftest import Rating, Trio
from .year import register_members

COMMITTEE_ORG = "LC.VB.VL"  # the Võ Lao commune's committee (tests/attendance_service/branch.py)
DECIDED_SQL = """
SELECT data->>'decided_by' AS decided_by, metadata->>'actor' AS actor FROM events
 WHERE event_type LIKE 'chibo.rating.level_decided.%' ORDER BY position
"""


async def _events(r: Rating) -> int:
    return int(await r.runtime.pool.fetchval("SELECT count(*) FROM events"))


async def test_the_vo_lao_committees_decision_records_its_committee_in_the_event_and_audit(
    trio: Trio,
) -> None:
    a, r = trio.assignment, trio.rating
    await create_units(a)
    members = await register_members(a, 2)
    await r.caught_up()
    body = {"decisions": [{"subject_id": m, "level": "good"} for m in members]}
    async with r.signed_in(bearer(Role.GRASSROOTS_COMMITTEE, COMMITTEE_ORG)) as committee:
        answer = await committee.post(
            f"/v1/units/{BRANCH}/ratings/2025/decisions", json={**body, "decided_on": "2026-01-10"}
        )
    assert answer.status_code == 201, answer.text

    rows = await r.runtime.pool.fetch(DECIDED_SQL)
    assert [(row["decided_by"], row["actor"]) for row in rows] == [
        ("Đảng ủy xã Võ Lao", f"grassroots_committee@{COMMITTEE_ORG}")
    ] * 2
    trail = await r.ok("GET", f"/v1/audit/member/{members[0]}")
    (decided,) = [e for e in trail["entries"] if ".level_decided." in e["event_type"]]
    assert decided["data"]["decided_by"] == "Đảng ủy xã Võ Lao"
    assert (decided["actor"], decided["role"]) == (
        f"grassroots_committee@{COMMITTEE_ORG}",
        "grassroots_committee",
    )

    # A province-wide administrator signs for the province's one unit, by its committee.
    cancel = {
        "subject_id": members[0],
        "by_unit_id": "VL",
        "reason": "xếp loại chưa đúng quy trình",
        "cancelled_on": "2026-01-20",
    }
    await r.ok("POST", f"/v1/units/{BRANCH}/ratings/2025/cancellations", json=cancel)
    trail = await r.ok("GET", f"/v1/audit/member/{members[0]}")
    (cancelled,) = [e for e in trail["entries"] if ".decision_cancelled." in e["event_type"]]
    assert cancelled["data"]["cancelled_by"] == "Tỉnh ủy Lào Cai"
    assert cancelled["role"] == "province_admin"


async def test_a_body_still_naming_who_decided_is_refused_by_the_field_and_stores_nothing(
    trio: Trio,
) -> None:
    a, r = trio.assignment, trio.rating
    await create_units(a)
    (member,) = await register_members(a, 1)
    await r.caught_up()
    ratings, unit = f"/v1/members/{member}/ratings/2025", f"/v1/units/{BRANCH}/ratings/2025"
    sent: list[tuple[str, dict[str, Any], str]] = [
        (
            f"{unit}/decisions",
            {"decisions": [{"subject_id": member, "level": "good"}], "decided_on": "2026-01-10"},
            "decided_by",
        ),
        (
            f"{unit}/cancellations",
            {
                "subject_id": member,
                "by_unit_id": "VL",
                "reason": "sai",
                "cancelled_on": "2026-01-20",
            },
            "cancelled_by",
        ),
        (f"{unit}/cohort", {"cohort_id": BRANCH, "decided_on": "2026-01-02"}, "decided_by"),
        (f"{unit}/appraisal", {"level": "good", "points": 90}, "appraised_by"),
        (
            "/v1/units/VL/ratings/2025/allowance",
            {"granted_on": "2026-01-05", "reason": "nổi trội"},
            "granted_by",
        ),
        (f"{ratings}/removal-proposal", {"proposed_on": "2025-10-05"}, "proposed_by"),
        (
            f"{ratings}/removal-decision",
            {"removed": False, "decided_on": "2025-11-02", "reason": "có lý do"},
            "decided_by",
        ),
        (
            f"{ratings}/conclusions",
            {"kind": "degradation", "concluded_on": "2025-10-02", "reason": "suy thoái"},
            "concluded_by",
        ),
    ]
    stored = await _events(r)
    for url, body, field in sent:
        answer = await r.client.post(url, json={**body, field: "Chi ủy chi bộ"})
        assert answer.status_code == 422, f"{url}: {answer.text}"
        problem = answer.json()
        assert (problem["code"], problem["field"]) == ("taken_from_sign_in", field)
        assert f"{field} is no longer accepted" in problem["detail"]
        assert f"không còn nhận trường {field}" in problem["detail_vi"]
        assert "được lấy từ tài khoản đăng nhập" in problem["detail_vi"]
    # Named before anything else the body lacks: the old client learns what to drop.
    bare = await r.client.post(f"{unit}/decisions", json={"decided_by": "Chi ủy chi bộ"})
    assert (bare.status_code, bare.json()["field"]) == (422, "decided_by")
    assert await _events(r) == stored
