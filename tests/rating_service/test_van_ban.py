"""The acceptance of the rating issue: a generated Văn Bàn (58 organisations, 341 branches,
5,719 members and their year 2021) entered through the three services and one real NATS,
with the committees' appraisals and the members' sick leave, rolls up under Quy định 132 and
Hướng dẫn 21 to the seeds' figures, with every decision as the service proposed it."""

from __future__ import annotations

import json

import pytest

from chibo_tools.districts.van_ban import VanBanParameters, generate

from .conftest import Trio


@pytest.mark.timeout(900)
async def test_generated_van_ban_rolls_up_to_the_seeds(trio: Trio) -> None:
    params = VanBanParameters()
    r = trio.rating
    result = await generate(trio.assignment.client, trio.attendance.client, r.client, params)
    print("\nphase timings (s):", json.dumps(result["timings"]))
    print("requests per phase:", json.dumps(result["requests"]))
    print("CPU of this process per phase (s):", json.dumps(result["process_cpu_seconds"]))
    print(f"total: {result['total_seconds']} s")
    print("plan:", json.dumps(result["plan"]))
    print("roll-up:", json.dumps(result["rollup"], ensure_ascii=False))

    rollup = result["rollup"]
    assert rollup["rule_set"] == "qd132-hd21"
    assert rollup["members"]["text"] == "5,508/5,719 (96.3%)"
    assert rollup["branches"]["text"] == "321/341 (94.1%)"
    assert rollup["organisations"]["text"] == "53/58 (91.4%)"
    assert rollup["undecided_members"] == 0

    # People decided exactly what the service proposed, at every level.
    await r.caught_up()  # nothing pending, nothing parked
    cards = await r.every_page(f"/v1/units/VB/members/{params.year}")
    assert len(cards) == params.members
    assert all(c["decided_level"] == c["proposed_level"] for c in cards)
    units = await r.ok("GET", f"/v1/units/VB/branches/{params.year}")
    decided = [u for u in units if u["kind"] in ("branch", "grassroots")]
    assert len(decided) == params.branches + params.organisations
    assert all(u["decided_level"] == u["proposed_level"] for u in decided)
