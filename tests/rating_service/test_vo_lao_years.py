"""The `./chibo up` demo, driven against the test trio: chi bộ thị tứ Võ Lao's three years
(2023-2025) entered by the assignment and attendance demos, then rated by the rating demo as
people would. The seeds: 41 members, 1 exempt, "3 years running 100% rated good or better"."""

from __future__ import annotations

import pytest

from chibo_tools.demo import assignment as assignment_demo
from chibo_tools.demo import attendance as attendance_demo
from chibo_tools.demo.rating import DEMO_BRANCH, DEMO_YEARS, rate_demo_years

from .conftest import Trio

RULE_SETS = {2023: "qd124-hd25", 2024: "qd124-hd25", 2025: "qd366-hd43"}


@pytest.mark.timeout(600)
async def test_vo_lao_is_rated_good_or_better_three_years_running(trio: Trio) -> None:
    a, t, r = trio.assignment, trio.attendance, trio.rating
    assert DEMO_YEARS == assignment_demo.YEARS == attendance_demo.YEARS == tuple(RULE_SETS)

    vo_lao = await assignment_demo.seed_vo_lao(a.client)
    assert vo_lao is not None
    reports = await assignment_demo.seed_years(a.client, vo_lao)
    assert reports == 3 * 12 * 40  # 37 on households, 3 on leading overall
    assert await attendance_demo.seed_meetings(t.client) == {2023: 12, 2024: 12, 2025: 12}
    for year in DEMO_YEARS:
        coverage = await a.client.get(f"/v1/branches/{DEMO_BRANCH}/plans/{year}/coverage")
        assert (coverage.json()["members"], coverage.json()["households"]) == ("37/37", "207/207")
    await r.caught_up()

    years = await rate_demo_years(r.client)
    print("\nrating demo:", "; ".join(f"{y.line}, {y.excellent} excellent" for y in years))

    assert [(y.year, y.rule_set, y.members) for y in years] == [
        (year, rule_set, "40/40 (100.0%)") for year, rule_set in RULE_SETS.items()
    ]
    assert all(y.entered and y.excellent > 0 for y in years)
    for year in DEMO_YEARS:
        assert (await r.ok("GET", f"/v1/rule-sets/{year}"))["id"] == RULE_SETS[year]
        cards = await r.ok("GET", f"/v1/units/{DEMO_BRANCH}/members/{year}")
        rated = [c for c in cards if not c["excluded"]]
        assert (len(cards), len(rated)) == (41, 40)  # the exempt member is not rated
        assert {c["decided_level"] for c in rated} <= {"excellent", "good"}
        assert all(c["decided_level"] == c["proposed_level"] for c in rated)
        assert all(c["reports_on_time"] == c["reports_expected"] == 12 for c in rated)
        assert all(c["meetings_unexcused"] == 0 and not c["art8_flag"] for c in rated)
        # Every year's plan is there: no member of any year lacks tasks on record.
        proposals = await r.ok("GET", f"/v1/units/{DEMO_BRANCH}/proposals/{year}")
        assert proposals["rule_set"] == RULE_SETS[year]
        reasons = [text for p in proposals["proposals"] for text in p["reasons"]]
        assert not [text for text in reasons if "no task on record" in text], year
        rollup = await r.ok("GET", f"/v1/units/VL/rollup/{year}")
        assert (rollup["rule_set"], rollup["undecided_members"]) == (RULE_SETS[year], 0)

    # A second run (the demo run again on a kept stack) enters nothing and reads the same.
    again = await rate_demo_years(r.client)
    assert [y.line for y in again] == [y.line for y in years]
    assert not any(y.entered for y in again)
    assert years[0].line == "2023 qd124-hd25 members 40/40 (100.0%) good or better"
