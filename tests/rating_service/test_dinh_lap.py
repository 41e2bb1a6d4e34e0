"""The seeds' Đình Lập of 2020, generated and entered through the three services and one
real NATS: the upper-level committee members who followed its communes attended branch
meetings as the province's quotas ask, "nearly 80" times for the district's; 47 of 48
organisations (97.9%), 179 of 183 branches (97.8%) and over 94% of the members good or
better under Quy định 132 and Hướng dẫn 21, every decision as the service proposed it."""

from __future__ import annotations

import json

import pytest

from chibo_tools.districts.dinh_lap import DinhLapParameters, generate

from .conftest import Trio


@pytest.mark.timeout(600)
async def test_generated_dinh_lap_rolls_up_to_the_seeds(trio: Trio) -> None:
    params = DinhLapParameters()
    r = trio.rating
    result = await generate(trio.assignment.client, trio.attendance.client, r.client, params)
    print("\nphase timings (s):", json.dumps(result["timings"]))
    print("requests per phase:", json.dumps(result["requests"]))
    print(f"total: {result['total_seconds']} s")
    print("plan:", json.dumps(result["plan"]))
    print("roll-up:", json.dumps(result["rollup"], ensure_ascii=False))

    rollup = result["rollup"]
    assert rollup["rule_set"] == "qd132-hd21"
    assert rollup["organisations"]["text"] == "47/48 (97.9%)"
    assert rollup["branches"]["text"] == "179/183 (97.8%)"
    members = rollup["members"]
    assert members["good_or_better"] / members["total"] > 0.94  # "over 94%"
    assert members["text"] == "2,778/2,928 (94.9%)"
    assert rollup["undecided_members"] == 0

    # The following, as rating counts it for the district.
    lines = await r.ok("GET", f"/v1/units/DL/following/{params.year}")
    district = [x for x in lines if x["level"] == "district"]
    commune = [x for x in lines if x["level"] == "commune"]
    assert len(district) == params.district_followers
    assert len(commune) == 3 * params.communes
    assert all(x["quota"] == 2 and x["visits"] >= 2 and x["met"] for x in district)
    assert all(x["quota"] == 4 and x["visits"] >= 4 and x["met"] for x in commune)
    assert all(x["outside_assignment"] == 0 for x in lines)
    assert 75 <= sum(x["visits"] for x in district) <= 79  # "nearly 80"
    print("district committee members' visits:", sum(x["visits"] for x in district))

    # People decided exactly what the service proposed, at every level.
    cards = await r.every_page(f"/v1/units/DL/members/{params.year}")
    assert len(cards) == params.members
    assert all(c["decided_level"] == c["proposed_level"] for c in cards)
    units = await r.ok("GET", f"/v1/units/DL/branches/{params.year}")
    decided = [u for u in units if u["kind"] in ("branch", "grassroots")]
    assert len(decided) == params.branches + params.organisations
    assert all(u["decided_level"] == u["proposed_level"] for u in decided)
