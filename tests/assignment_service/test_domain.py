"""The assignment domain as specification: pure objects, no servers."""

from __future__ import annotations

from datetime import date

import pytest

from assignment.domain.area import BranchArea
from assignment.domain.events import (
    DutiesReleased,
    HouseholdsReleased,
    MemberAssigned,
    MemberIdentityRecorded,
    OrgUnitCreated,
)
from assignment.domain.identity import MemberIdentity
from assignment.domain.member import Member
from assignment.domain.org import OrgUnit
from assignment.domain.plan import Plan, plan_id
from assignment.domain.plan_coverage import RosterEntry
from assignment.domain.policies import (
    when_member_attends_elsewhere_release_households,
    when_member_is_exempted_release_households,
    when_member_transfers_release_households,
)
from assignment.domain.private_texts import HouseholdLabels, StandingReasons
from assignment.domain.standing import duty_days, require_free_for_duties
from chibo_kernel.errors import RuleViolation

DAY = date(2024, 1, 15)


def unit(unit_id: str, kind: str, parent: OrgUnit | None = None, name: str = "") -> OrgUnit:
    u = OrgUnit(unit_id)
    u.create(kind=kind, name=name or unit_id, parent=parent, valid_from=date(2020, 1, 1))  # type: ignore[arg-type]
    return u


@pytest.fixture
def tree() -> dict[str, OrgUnit]:
    province = unit("LC", "province", name="Đảng bộ tỉnh Lào Cai")
    district = unit("VB", "district", province, "Đảng bộ huyện Văn Bàn")
    commune = unit("VL", "grassroots", district, "Đảng bộ xã Võ Lao")
    branch = unit("VL-TT", "branch", commune, "Chi bộ thị tứ Võ Lao")
    other = unit("VL-K1", "branch", commune, "Chi bộ thôn Khe Có")
    return {u.id: u for u in (province, district, commune, branch, other)}


def member(member_id: str, branch: OrgUnit) -> Member:
    m = Member(member_id)
    m.register(
        full_name=f"Đảng viên {member_id}",
        branch=branch,
        admission_date=date(2010, 5, 19),
        status="full",
    )
    return m


def test_a_branch_carries_its_whole_path_for_subjects(tree: dict[str, OrgUnit]) -> None:
    created = tree["VL-TT"].pending[0]
    assert isinstance(created, OrgUnitCreated)
    assert created.path == ["LC", "VB", "VL", "VL-TT"]
    assert created.name == "Chi bộ thị tứ Võ Lao"


@pytest.mark.parametrize(
    ("kind", "parent_id", "code"),
    [
        ("branch", "VB", "invalid_parent"),  # a branch belongs to a grassroots organisation
        ("province", "LC", "invalid_parent"),
        ("district", None, "invalid_parent"),
    ],
)
def test_the_tree_refuses_units_in_the_wrong_place(
    tree: dict[str, OrgUnit], kind: str, parent_id: str | None, code: str
) -> None:
    with pytest.raises(RuleViolation) as refused:
        unit("X1", kind, tree[parent_id] if parent_id else None)
    assert refused.value.code == code
    assert refused.value.message_vi


def test_abolishing_districts_keeps_their_past(tree: dict[str, OrgUnit]) -> None:
    district = tree["VB"]
    district.dissolve(date(2025, 7, 1), "bỏ cấp huyện (2025)")
    assert not district.active
    assert tree["VL"].path == ["LC", "VB", "VL"]  # history is not rewritten
    with pytest.raises(RuleViolation):
        unit("NEW", "grassroots", district)


def test_names_in_nfd_and_nfc_are_stored_the_same(tree: dict[str, OrgUnit]) -> None:
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Nguyễn  Văn   Ánh")
    m = Member("m-nfd")
    m.register(
        full_name=nfd,
        branch=tree["VL-TT"],
        admission_date=date(2015, 2, 3),
        status="probationary",
    )
    assert m.full_name == "Nguyễn Văn Ánh"


def test_registration_keeps_identity_data_in_a_private_aggregate(
    tree: dict[str, OrgUnit],
) -> None:
    m = member("m1", tree["VL-TT"])
    identity = MemberIdentity(m.id)
    identity.record(m, card_number="0123456", birth_date=date(1980, 1, 1))

    (public,) = m.pending
    (private,) = identity.pending
    assert type(public).published is True
    assert "card_number" not in public.model_dump()
    assert isinstance(private, MemberIdentityRecorded)
    assert type(private).published is False
    # Its own stream: the relay skips it, and a gap in `member-m1` would stall consumers.
    assert (m.stream_id, identity.stream_id) == ("member-m1", "member_private-m1")


def test_a_member_is_born_before_admission(tree: dict[str, OrgUnit]) -> None:
    m = member("m1", tree["VL-TT"])
    with pytest.raises(RuleViolation) as refused:
        MemberIdentity(m.id).record(m, card_number="0123456", birth_date=date(2010, 5, 19))
    assert refused.value.code == "invalid_dates"


def test_a_household_has_one_responsible_member(tree: dict[str, OrgUnit]) -> None:
    area, plan = area_with(5), drafted_plan()
    plan.assign("m1", ["h1", "h2"], area=area)
    with pytest.raises(RuleViolation) as refused:
        plan.assign("m2", ["h2", "h3"], area=area)
    assert refused.value.code == "households_taken"
    assert "h2 (m1)" in refused.value.message_en


def test_an_out_of_range_assignment_is_allowed_and_recorded() -> None:
    area, plan = area_with(20), drafted_plan()
    plan.assign("m1", ["h1", "h2"], area=area)
    plan.assign("m2", [f"h{i}" for i in range(3, 9)], area=area)
    first, second = plan.pending[1:]
    assert isinstance(first, MemberAssigned)
    assert first.out_of_range
    assert isinstance(second, MemberAssigned)
    assert not second.out_of_range


def test_households_outside_the_area_are_refused() -> None:
    with pytest.raises(RuleViolation) as refused:
        drafted_plan().assign("m1", ["h1", "nowhere"], area=area_with(3))
    assert refused.value.code == "unknown_households"


def test_vo_lao_coverage_and_a_transfer_that_releases_households(
    tree: dict[str, OrgUnit],
) -> None:
    """Chi bộ thị tứ Võ Lao: 41 members leading 207 households; 1 exempt, 3 committee
    members leading overall, 37 assigned 5-10 households each."""
    branch = tree["VL-TT"]
    members = [member(f"m{i:02}", branch) for i in range(41)]
    members[0].exempt(
        from_date=date(2023, 1, 1),
        to_date=None,
        reason="tuổi cao, sức yếu",
        reasons=StandingReasons(members[0].id),
    )
    roles = ("secretary", "deputy_secretary", "committee_member")
    for m, role in zip(members[1:4], roles, strict=True):
        m.give_role(role, date(2020, 10, 1))  # type: ignore[arg-type]
    area, plan = area_with(207), drafted_plan()
    households = sorted(area.households, key=lambda h: int(h[1:]))
    rank_and_file = members[4:]
    start = 0
    for index, m in enumerate(rank_and_file):
        size = 6 if index < 22 else 5  # 22 x 6 + 15 x 5 = 207
        plan.assign(m.id, households[start : start + size], area=area)
        start += size

    coverage = plan.coverage(roster(members), area)
    assert (coverage.members_text, coverage.households_text) == ("37/37", "207/207")
    assert not any(e.out_of_range for e in plan.pending if isinstance(e, MemberAssigned))

    leaving = rank_and_file[0]
    held = plan.households_of(leaving.id)
    when_member_transfers_release_households(leaving, tree["VL-K1"], date(2024, 6, 1), plan)

    released = plan.pending[-1]
    assert isinstance(released, HouseholdsReleased)
    assert (released.household_ids, released.reason) == (held, "transferred")
    after = plan.coverage(roster(m for m in members if m.branch_id == branch.id), area)
    assert after.members_text == "36/36"
    assert after.households_text == f"{207 - len(held)}/207"
    assert after.households_without_member == held


def test_exempting_a_member_releases_their_households(tree: dict[str, OrgUnit]) -> None:
    area, plan = area_with(6), drafted_plan()
    m = member("m7", tree["VL-TT"])
    plan.assign(m.id, ["h1", "h2", "h3", "h4", "h5"], area=area)
    when_member_is_exempted_release_households(
        m,
        from_date=DAY,
        to_date=None,
        reason="ốm dài ngày",
        reasons=StandingReasons(m.id),
        plan=plan,
    )
    assert plan.households_of(m.id) == []
    assert plan.coverage(roster([m]), area).members_text == "0/0"


def test_replaying_history_rebuilds_the_same_state(tree: dict[str, OrgUnit]) -> None:
    area, plan = area_with(8), drafted_plan()
    plan.assign("m1", ["h1", "h2", "h3", "h4", "h5"], area=area)
    plan.release("m1", "reassigned")
    plan.assign("m2", ["h1", "h2", "h3", "h4", "h5", "h6"], area=area)
    rebuilt = Plan.from_history(plan.id, plan.pending)
    assert rebuilt.holder == plan.holder
    assert rebuilt.version == len(plan.pending)


def area_with(count: int) -> BranchArea:
    area, labels = BranchArea("VL-TT"), HouseholdLabels("VL-TT")
    for i in range(1, count + 1):
        area.register_household(f"h{i}", f"Hộ số {i}", labels)
    return area


def drafted_plan() -> Plan:
    plan = Plan(plan_id("VL-TT", 2024))
    plan.draft(branch_id="VL-TT", year=2024)
    return plan


def roster(members: object) -> list[RosterEntry]:
    return [
        RosterEntry(m.id, excluded=m.exempt_on(DAY), on_committee=m.on_committee)
        for m in members  # type: ignore[attr-defined]
    ]


def test_an_exempt_member_is_given_no_duties_and_the_refusal_names_them(
    tree: dict[str, OrgUnit],
) -> None:
    m = member("m7", tree["VL-TT"])
    reasons = StandingReasons(m.id)
    m.exempt(from_date=date(2023, 1, 1), to_date=None, reason="tuổi cao, sức yếu", reasons=reasons)
    with pytest.raises(RuleViolation) as refused:
        require_free_for_duties(m, year=2024, today=DAY)
    assert refused.value.code == "member_exempt"
    assert "Đảng viên m7" in refused.value.message_en
    assert "Đảng viên m7 được miễn công tác và sinh hoạt đảng" in refused.value.message_vi


def test_duties_follow_the_standing_of_the_days_they_would_be_held(
    tree: dict[str, OrgUnit],
) -> None:
    m = member("m7", tree["VL-TT"])
    reasons = StandingReasons(m.id)
    m.exempt(
        from_date=date(2024, 1, 1), to_date=date(2024, 3, 31), reason="ốm dài ngày", reasons=reasons
    )
    m.suspend(
        from_date=date(2024, 9, 1), to_date=None, reason="đang xem xét kỷ luật", reasons=reasons
    )
    with pytest.raises(RuleViolation) as exempt:
        require_free_for_duties(m, year=2024, today=date(2024, 2, 1))
    with pytest.raises(RuleViolation) as suspended_ahead:  # recorded in advance
        require_free_for_duties(m, year=2024, today=date(2024, 5, 1))
    assert (exempt.value.code, suspended_ahead.value.code) == ("member_exempt", "member_suspended")
    assert "từ ngày 01/01/2024 đến ngày 31/03/2024" in exempt.value.message_vi
    require_free_for_duties(m, year=2023, today=date(2024, 5, 1))  # 2023 is judged on 31/12


def test_a_plan_entered_late_or_early_is_judged_within_its_own_year() -> None:
    assert duty_days(2024, date(2026, 12, 5)) == (date(2024, 12, 31), date(2024, 12, 31))
    assert duty_days(2025, date(2024, 12, 20)) == (date(2025, 1, 1), date(2025, 12, 31))
    assert duty_days(2024, DAY) == (DAY, date(2024, 12, 31))


def test_temporary_attendance_elsewhere_releases_what_the_member_held_in_each_year(
    tree: dict[str, OrgUnit],
) -> None:
    area = area_with(8)
    area.define_task("tuyen-truyen", "Tuyên truyền")
    this_year, next_year = drafted_plan(), Plan(plan_id("VL-TT", 2025))
    next_year.draft(branch_id="VL-TT", year=2025)
    m = member("m7", tree["VL-TT"])
    this_year.assign(m.id, ["h1", "h2", "h3", "h4", "h5"], area=area)
    this_year.assign_duty(m.id, "task", "tuyen-truyen", area=area)
    next_year.assign(m.id, ["h6", "h7", "h8"], area=area)

    when_member_attends_elsewhere_release_households(
        m,
        tree["VL-K1"],
        from_date=date(2024, 10, 1),
        to_date=date(2025, 3, 31),
        plans=[this_year, next_year],
    )

    duties, households = this_year.pending[-2:]
    assert isinstance(duties, DutiesReleased)
    assert (duties.duties, duties.reason) == (["task:tuyen-truyen"], "transferred")
    assert isinstance(households, HouseholdsReleased)
    assert households.reason == "transferred"
    assert this_year.households_of(m.id) == next_year.households_of(m.id) == []
    with pytest.raises(RuleViolation) as away:
        require_free_for_duties(m, year=2024, today=date(2024, 11, 1), host_name=tree["VL-K1"].name)
    assert away.value.code == "member_away"
    assert "sinh hoạt tạm thời ở Chi bộ thôn Khe Có từ ngày 01/10/2024" in away.value.message_vi
    require_free_for_duties(m, year=2025, today=date(2025, 4, 1))  # back home


def test_coverage_counts_nothing_held_by_a_member_who_may_hold_no_duties() -> None:
    area, plan = area_with(10), drafted_plan()
    plan.assign("m1", ["h1", "h2", "h3", "h4", "h5"], area=area)
    plan.assign("m2", ["h6", "h7", "h8", "h9", "h10"], area=area)
    exempt = RosterEntry("m1", excluded=True, on_committee=False)
    away = RosterEntry("m2", excluded=False, on_committee=False, away=True)
    serving = RosterEntry("m2", excluded=False, on_committee=False)

    assert plan.coverage([exempt, away], area).households_text == "0/10"
    both = plan.coverage([exempt, serving], area)
    assert (both.members_text, both.households_text) == ("1/1", "5/10")
    assert both.households_without_member == ["h1", "h2", "h3", "h4", "h5"]
