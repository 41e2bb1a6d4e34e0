"""Seed 002: a generated Mèo Vạc (21 đảng bộ cơ sở with 308 branches, 34 chi bộ cơ sở, 4,705
members) and its 2023 entered through the three services and one real NATS rolls up to
"142 chi bộ bốn tốt (41.52%)": 109 branches and 33 chi bộ cơ sở of the 342 branch-level cells.

The roll-up phrases the figure as "142/342 (41.5%)" and gives the share to two decimals,
"41.52%", as the seed writes it."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from chibo_tools.districts.meo_vac import MeoVacParameters, generate

from .conftest import Trio


@pytest.mark.timeout(900)
async def test_generated_meo_vac_has_the_seeds_bon_tot_branches(trio: Trio) -> None:
    params = MeoVacParameters()
    r = trio.rating
    result = await generate(trio.assignment.client, trio.attendance.client, r.client, params)
    print("\nphase timings (s):", json.dumps(result["timings"]))
    print("requests per phase:", json.dumps(result["requests"]))
    print("CPU of this process per phase (s):", json.dumps(result["process_cpu_seconds"]))
    print(f"total: {result['total_seconds']} s")
    print("plan:", json.dumps(result["plan"], ensure_ascii=False))
    print("roll-up:", json.dumps(result["rollup"], ensure_ascii=False))

    bon_tot = result["rollup"]["bon_tot_branches"]
    assert (bon_tot["good_or_better"], bon_tot["total"]) == (142, 342)
    assert bon_tot["percent"] == "41.52%"
    assert bon_tot["text"] == "142/342 (41.5%)"

    # Read again from the service, not from the generator's result: the split of the 142.
    cards = await r.ok("GET", f"/v1/units/MV/branches/{params.year}")
    cells = [c for c in cards if c["kind"] in ("branch", "grassroots_cell")]
    assert Counter(c["kind"] for c in cells) == {"branch": 308, "grassroots_cell": 34}
    titled = Counter(c["kind"] for c in cells if c["bon_tot_title"] is True)
    assert titled == {"branch": 109, "grassroots_cell": 33}
    assert all(c["bon_tot_title"] is (all(c["bon_tot"].values())) for c in cells)
    committees = [c for c in cards if c["kind"] == "grassroots"]  # đảng bộ cơ sở
    assert len(committees) == 21  # with the 34 chi bộ cơ sở, the seed's 55 organisations
    # 4,705 members, all rated; nobody decided: "bốn tốt" read the proposed levels.
    assert result["rollup"]["undecided_members"] == 4705
