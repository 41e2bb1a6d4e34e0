"""Demo data from the seeds, entered through the service's own HTTP API like any client.

Chi bộ thị tứ Võ Lao (xã Võ Lao, huyện Văn Bàn, tỉnh Lào Cai): 41 members leading 207
households; 1 exempt from meetings, 3 committee members leading overall, 37 assigned 5-10
households each; monthly reports; "3 years running" rated good or better. `seed_vo_lao`
enters the branch and its plan of 2024 (the acceptance tests drive it); `seed_years` then
gives it three whole years, 2023 to 2025: each year's plan (the same households, the
committee holding the task of leading overall), adopted in January, and every month's
reports, on time, reviewed at the next monthly meeting. The attendance demo holds those
meetings; the rating demo rates the three years.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from .calls import bearer, ok

BRANCH = "VL-TT"
YEAR = 2024
PLAN = f"/v1/branches/{BRANCH}/plans/{YEAR}"
YEARS = (2023, 2024, 2025)  # "3 years running"
# The committee's task: leading overall and guiding the members (chi ủy viên lãnh đạo chung,
# hướng dẫn, giúp đỡ đảng viên); they report on it monthly like everyone else.
LEAD_TASK = {"id": "lanh-dao-chung", "name": "Lãnh đạo chung, hướng dẫn, giúp đỡ đảng viên"}
SITUATIONS = (
    "Các hộ ổn định, chấp hành tốt chủ trương, chính sách",
    "Các hộ phát triển kinh tế, chăm sóc lúa, ngô vụ mùa",
    "Các hộ tham gia vệ sinh môi trường, làm đường liên thôn",
    "Các hộ đóng góp quỹ, tham gia phong trào văn hóa, thể thao",
)
LEAD_SITUATIONS = (
    "Đã hướng dẫn đảng viên nắm tình hình các hộ, đôn đốc báo cáo đúng hạn",
    "Đã dự sinh hoạt cùng tổ dân cư, nắm bắt tư tưởng của nhân dân",
)
# Reviews the monthly meeting gives "fair" (khá) instead of "good": (month, household holder).
FAIR = {(3, 7), (6, 19), (9, 26), (11, 33)}
UNITS = [
    ("LC", "province", "Đảng bộ tỉnh Lào Cai", None),
    ("VB", "district", "Đảng bộ huyện Văn Bàn", "LC"),
    ("VL", "grassroots", "Đảng bộ xã Võ Lao", "VB"),
    (BRANCH, "branch", "Chi bộ thị tứ Võ Lao", "VL"),
    ("VL-KC", "branch", "Chi bộ thôn Khe Có", "VL"),
]
COMMITTEE = ("secretary", "deputy_secretary", "committee_member")
MEMBERS = 41  # [0] exempt, [1:4] committee, [4:] hold households
EXEMPTION_REASON = "tuổi cao, sức yếu"  # of member [0]
# What the monthly meeting says of each report: by its evaluation, and of the committee's.
REVIEW_COMMENTS = {"good": "nắm chắc tình hình các hộ", "fair": "cần nắm tình hình sát hơn"}
LEAD_REVIEW_COMMENT = "tốt"


@dataclass(frozen=True)
class VoLao:
    members: list[str]  # [0] exempt, [1:4] committee, [4:] hold households
    assignments: list[dict[str, Any]]


async def seed_vo_lao(client: httpx.AsyncClient) -> VoLao | None:
    """Enter the branch; None if the demo data is already there (a second run changes nothing)."""
    first = await client.post("/v1/units", json=_unit(*UNITS[0]))
    if first.status_code == 422 and first.json().get("code") == "unit_exists":
        return None
    ok(first)
    for unit in UNITS[1:]:
        ok(await client.post("/v1/units", json=_unit(*unit)))
    members = [
        ok(await client.post("/v1/members", json=member_body(i)))["member_id"]
        for i in range(MEMBERS)
    ]
    exemption = {"from_date": "2023-01-01", "reason": EXEMPTION_REASON}
    ok(await client.post(f"/v1/members/{members[0]}/exemption", json=exemption))
    for member_id, role in zip(members[1:4], COMMITTEE, strict=True):
        role_body = {"role": role, "since": "2020-10-01"}
        ok(await client.post(f"/v1/members/{member_id}/roles", json=role_body))
    households = [{"household_id": f"h{i:03}", "label": f"Hộ số {i}"} for i in range(1, 208)]
    ok(await client.post(f"/v1/branches/{BRANCH}/households", json={"households": households}))
    ok(await client.post(PLAN, json={}))
    assignments, start = [], 0
    for index, member_id in enumerate(members[4:]):
        size = 6 if index < 22 else 5  # 22 x 6 + 15 x 5 = 207, all within 5-10
        ids = [h["household_id"] for h in households[start : start + size]]
        assignments.append({"member_id": member_id, "household_ids": ids})
        start += size
    ok(await client.post(f"{PLAN}/assignments", json={"assignments": assignments}))
    return VoLao(members, assignments)


async def seed_years(client: httpx.AsyncClient, vo_lao: VoLao) -> int:
    """Each year of YEARS: its plan, adopted, and its twelve months of reports and reviews.
    The number of reports entered."""
    committee = vo_lao.members[1:4]
    ok(await client.post(f"/v1/branches/{BRANCH}/duties", json={"tasks": [LEAD_TASK]}))
    lead = f"task:{LEAD_TASK['id']}"
    entered = 0
    for year in YEARS:
        plan = f"/v1/branches/{BRANCH}/plans/{year}"
        if year != YEAR:  # seed_vo_lao drafted and filled YEAR's
            ok(await client.post(plan, json={}))
            ok(await client.post(f"{plan}/assignments", json={"assignments": vo_lao.assignments}))
        duties = [{"member_id": m, "kind": "task", "target_id": LEAD_TASK["id"]} for m in committee]
        ok(await client.post(f"{plan}/duties", json={"duties": duties}))
        adoption = {"resolution_number": f"01-NQ/CB ({year})", "adopted_on": f"{year}-01-10"}
        ok(await client.post(f"{plan}/adoption", json=adoption))
        holders = [a["member_id"] for a in vo_lao.assignments]
        for month in range(1, 13):
            key = f"{year}-{month:02}"
            reports = [
                {
                    "member_id": m,
                    "situation": SITUATIONS[(i + month) % len(SITUATIONS)],
                    "submitted_on": f"{key}-{20 + i % 8:02}",  # due by the 5th of the next
                }
                for i, m in enumerate(holders)
            ] + [
                {
                    "member_id": m,
                    "assignment": lead,
                    "situation": LEAD_SITUATIONS[(i + month) % len(LEAD_SITUATIONS)],
                    "submitted_on": f"{key}-25",
                }
                for i, m in enumerate(committee)
            ]
            ok(await client.post(f"/v1/branches/{BRANCH}/reports/{key}", json={"reports": reports}))
            entered += len(reports)
            evaluations = ["fair" if (month, i) in FAIR else "good" for i in range(len(holders))]
            reviews = [
                {"member_id": m, "evaluation": e, "comment": REVIEW_COMMENTS[e]}
                for m, e in zip(holders, evaluations, strict=True)
            ] + [
                {
                    "member_id": m,
                    "assignment": lead,
                    "evaluation": "good",
                    "comment": LEAD_REVIEW_COMMENT,
                }
                for m in committee
            ]
            # At the next month's meeting (the attendance demo's, on the 5th).
            reviewed_on = f"{year + month // 12}-{month % 12 + 1:02}-05"
            body = {"reviewed_on": reviewed_on, "reviews": reviews}
            ok(await client.post(f"/v1/branches/{BRANCH}/reports/{key}/reviews", json=body))
    return entered


async def run_demo(base_url: str, token: str | None = None) -> str:
    """Signed in with `token`, else with $CHIBO_DEMO_TOKEN (what `./chibo up` hands the
    `demo` command: a province administrator's token)."""
    async with httpx.AsyncClient(base_url=base_url, timeout=30, headers=bearer(token)) as client:
        seeded = await seed_vo_lao(client)
        reports = await seed_years(client, seeded) if seeded else None
        coverage = [
            ok(await client.get(f"/v1/branches/{BRANCH}/plans/{year}/coverage")) for year in YEARS
        ]
    figures = {(c["members"], c["households"]) for c in coverage}
    years = ", ".join(str(y) for y in YEARS)
    state = "seeded" if seeded else "already present"
    if len(figures) == 1:
        ((members, households),) = figures
        plans = f"plans {years}: members {members}, households {households} each"
    else:
        plans = "; ".join(
            f"plan {y}: members {c['members']}, households {c['households']}"
            for y, c in zip(YEARS, coverage, strict=True)
        )
    done = f"; {reports:,} monthly reports, on time and reviewed" if reports else ""
    return f"Võ Lao {state}: {plans}{done}"


def _unit(unit_id: str, kind: str, name: str, parent: str | None) -> dict[str, Any]:
    return {
        "unit_id": unit_id,
        "kind": kind,
        "name": name,
        "parent_id": parent,
        "valid_from": "2020-01-01",
    }


def member_body(i: int) -> dict[str, Any]:
    """The registration of the demo's member number i (0-based)."""
    return {
        "full_name": f"Đảng viên {i + 1:02}",
        "branch_id": BRANCH,
        "admission_date": "2010-05-19",
        "card_number": f"{9900000 + i}",
        "birth_date": "1975-03-08",
    }
