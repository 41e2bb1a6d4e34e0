"""The prepared ratings the province-wide reads aggregate say what assessing the same facts
from scratch says: after a year entered through the services, a transfer between branches,
decisions, an appraisal and Charter art. 8 flags, and again at once after each new input
(the read derives what is stale first), at every level of the tree."""

from __future__ import annotations

from typing import Any

import pytest
from attendance_service.branch import BRANCH, OTHER, create_units, register
from kernel.support import eventually
from prometheus_client import CollectorRegistry

from rating.adapters.facts_schema import facts
from rating.adapters.metrics import RatingMetrics
from rating.adapters.rule_files import load_rule_book
from rating.application import read_models
from rating.application.deriver import Deriver
from rating.application.queries.assessments import assess_subtree
from rating.domain.member_rating import GOOD_OR_BETTER

from .conftest import Rating, Trio
from .year import Deviations, enter_year, plan_year, register_members

YEAR = 2025
# Three months absent without reason for member 1 (Charter art. 8), one for member 3.
ABSENT = {
    (1, 2): "absent_unexcused",
    (1, 5): "absent_unexcused",
    (1, 9): "absent_unexcused",
    (2, 6): "absent_excused",
    (3, 7): "absent_unexcused",
}
UNITS = ("LC", "VL", BRANCH, OTHER)


def _figure(good: int, total: int) -> tuple[int, int]:
    return good, total


async def from_scratch(r: Rating, unit_id: str) -> dict[str, Any]:
    """The roll-up, the units below and the flags, assessed from the facts on the spot."""
    async with facts(r.runtime.pool, r.read_models.active_schema) as conn:
        members, units = await assess_subtree(conn, unit_id, YEAR, load_rule_book())
    decided = [m.evidence.decided for m in members if m.evidence.decided]
    branches = [u.decided for u in units.values() if u.kind == "branch" and u.decided]
    organisations = [
        u.decided
        for u in units.values()
        if u.kind in ("grassroots", "grassroots_cell") and u.decided
    ]
    cells = [u.branch.bon_tot for u in units.values() if u.branch and u.branch.bon_tot]
    root = units[unit_id]
    return {
        "members": _figure(sum(d in GOOD_OR_BETTER for d in decided), len(decided)),
        "branches": _figure(sum(d in GOOD_OR_BETTER for d in branches), len(branches)),
        "organisations": _figure(
            sum(d in GOOD_OR_BETTER for d in organisations), len(organisations)
        ),
        "bon_tot": _figure(sum(c.title for c in cells), len(cells)),
        "undecided": sum(1 for m in members if m.rated and not m.evidence.decided),
        "below": [
            (u.unit_id, u.proposal.level, u.proposal.score, u.proposal.texts, u.decided)
            for u in units.values()
            if u.path[:-1] == root.path and u.proposal is not None
        ],
        "flags": [
            (m.evidence.member_id, m.evidence.unexcused_months)
            for m in members
            if m.removal is not None or m.evidence.removal_procedure
        ],
    }


async def prepared(r: Rating, unit_id: str) -> dict[str, Any]:
    rollup = await r.ok("GET", f"/v1/units/{unit_id}/rollup/{YEAR}")
    proposals = await r.ok("GET", f"/v1/units/{unit_id}/proposals/{YEAR}")
    flags = await r.ok("GET", f"/v1/units/{unit_id}/flags/{YEAR}")
    assert rollup["waiting_units"] == 0, rollup

    def pair(key: str) -> tuple[int, int]:
        return rollup[key]["good_or_better"], rollup[key]["total"]

    below = []
    if proposals["subject"] == "unit":
        below = [
            (p["subject_id"], p["level"], p["score"], p["reasons"], p["decided"])
            for p in proposals["proposals"]
        ]
    return {
        "members": pair("members"),
        "branches": pair("branches"),
        "organisations": pair("organisations"),
        "bon_tot": pair("bon_tot_branches"),
        "undecided": rollup["undecided_members"],
        "below": below,
        "flags": [(f["member_id"], f["months"]) for f in flags],
    }


async def same_everywhere(r: Rating) -> None:
    for unit_id in UNITS:
        expected = await from_scratch(r, unit_id)
        if unit_id in (BRANCH, OTHER):
            expected["below"] = []  # a cell's proposals are its members', read on the spot
        assert await prepared(r, unit_id) == expected, unit_id


async def test_prepared_ratings_match_an_assessment_from_scratch(trio: Trio) -> None:
    r, a = trio.rating, trio.assignment
    await create_units(a)
    ids = await register_members(a, 6)
    others = [await register(a, 20 + i, OTHER) for i in range(2)]
    await plan_year(a, ids, YEAR)
    await enter_year(a, trio.attendance, ids, YEAR, Deviations(absent=ABSENT))
    # Member 4 moves to the other branch in the autumn: rated there, counted once.
    await a.client.post(
        f"/v1/members/{ids[4]}/transfer", json={"to_branch_id": OTHER, "on": f"{YEAR}-10-01"}
    )
    await r.caught_up()
    flagged = await from_scratch(r, "VL")
    assert [f[0] for f in flagged["flags"]] == [ids[1]]  # the comparison is not of nothing
    await same_everywhere(r)

    # Each input below is compared at once: the read derives what it made stale.
    decisions = [{"subject_id": m, "level": "good"} for m in ids[:4]]
    decisions.append({"subject_id": ids[5], "level": "completed"})
    body = {"decisions": decisions, "decided_on": f"{YEAR + 1}-01-10"}
    await r.ok("POST", f"/v1/units/{BRANCH}/ratings/{YEAR}/decisions", json=body)
    await same_everywhere(r)

    appraisal = {
        "points": 92,
        "level": "good",
        "targets_total": 10,
        "targets_done": 10,
        "targets_exceeded": 3,
    }
    await r.ok("POST", f"/v1/units/{BRANCH}/ratings/{YEAR}/appraisal", json=appraisal)
    await r.ok("POST", f"/v1/units/{OTHER}/ratings/{YEAR}/appraisal", json=appraisal)
    await same_everywhere(r)

    decisions = [{"subject_id": m, "level": "completed"} for m in (ids[4], *others)]
    body = {"decisions": decisions, "decided_on": f"{YEAR + 1}-01-10"}
    await r.ok("POST", f"/v1/units/{OTHER}/ratings/{YEAR}/decisions", json=body)
    await same_everywhere(r)

    units = [{"subject_id": BRANCH, "level": "good"}, {"subject_id": OTHER, "level": "good"}]
    body = {"decisions": units, "decided_on": f"{YEAR + 1}-01-15"}
    await r.ok("POST", f"/v1/units/VL/ratings/{YEAR}/decisions", json=body)
    await same_everywhere(r)
    rollup = await r.ok("GET", f"/v1/units/VL/rollup/{YEAR}")
    assert rollup["branches"]["total"] == 2
    assert rollup["members"]["total"] == 8
    moved = await r.ok("GET", f"/v1/units/{OTHER}/proposals/{YEAR}")
    assert {p["subject_id"] for p in moved["proposals"]} == {ids[4], *others}

    # Rule files other than those the rows were prepared under: every unit derived again.
    schema = r.read_models.active_schema
    await r.runtime.pool.execute(f"UPDATE {schema}.derived_with SET rule_book = 'older'")
    book = load_rule_book()
    metrics = RatingMetrics(CollectorRegistry())

    async def caught_up() -> bool:
        return False

    await Deriver(r.runtime.pool, schema, book, metrics, behind=caught_up).check_rules()
    waiting = await r.runtime.pool.fetchval(f"SELECT count(*) FROM {schema}.stale")
    assert waiting >= 5  # LC, VB, VL and its two branches, for 2025
    await r.caught_up()
    await same_everywhere(r)


async def test_batches_applied_while_catching_up_note_years_and_a_read_derives_them(
    trio: Trio, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As after a rebuild or a start after downtime: every batch counts as catching up, so
    it notes only its years; the background derivation waits, and a read turns the years
    into marks of every unit and derives those under it."""
    r, a = trio.rating, trio.assignment
    await create_units(a)
    ids = await register_members(a, 6)
    await plan_year(a, ids, YEAR)
    await enter_year(a, trio.attendance, ids, YEAR, Deviations(absent=ABSENT))
    await r.caught_up()
    await same_everywhere(r)  # every unit of the year prepared
    monkeypatch.setattr(read_models, "CATCHING_UP_ABOVE", -1)

    async def catching_up() -> bool:
        return bool((await r.read_models.status())["catching_up"])

    await eventually(catching_up, timeout=10, what="the deriver to see it is catching up")
    # From here every batch counts as catching up: a transfer changes two branches' years.
    await a.client.post(
        f"/v1/members/{ids[4]}/transfer", json={"to_branch_id": OTHER, "on": f"{YEAR}-10-01"}
    )
    await r.caught_up(derived=False)
    schema = r.read_models.active_schema
    pool = r.runtime.pool
    assert await pool.fetchval(f"SELECT count(*) FROM {schema}.catch_up_years") == 1
    assert await pool.fetchval(f"SELECT count(*) FROM {schema}.stale") == 0
    await same_everywhere(r)  # the moved member is counted in the other branch
    assert await pool.fetchval(f"SELECT count(*) FROM {schema}.catch_up_years") == 0
