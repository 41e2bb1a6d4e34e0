"""Đình Lập planned before anything is sent: the district's shape and its year of 2020 as
Văn Bàn's plan builds them (`chibo_tools.districts.van_ban.plan`), and the upper-level
committee members who followed its organisations and attended their branches' meetings as guests."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from chibo_tools.districts.van_ban.api import PlanError
from chibo_tools.districts.van_ban.district import (
    BranchPlan,
    DistrictPlan,
    MemberPlan,
    OrganisationPlan,
)
from chibo_tools.districts.van_ban.plan import DistrictParameters, plan_district
from chibo_tools.districts.van_ban.rules import YearRules

COMMUNES = (
    "thị trấn Đình Lập",
    "thị trấn Nông trường Thái Bình",
    "xã Bắc Lãng",
    "xã Bắc Xa",
    "xã Bính Xá",
    "xã Châu Sơn",
    "xã Cường Lợi",
    "xã Đình Lập",
    "xã Đồng Thắng",
    "xã Kiên Mộc",
    "xã Lâm Ca",
    "xã Thái Bình",
)
AGENCIES = (
    "Cơ quan Chính quyền huyện",
    "Cơ quan Dân - Đảng huyện",
    "Công an huyện",
    "Quân sự huyện",
    "Trung tâm Y tế huyện",
    "Trường THPT Đình Lập",
    "Trường THPT Bình Xá",
    "Đồn Biên phòng Bắc Xa",
    "Đồn Biên phòng Bính Xá",
    "Đồn Biên phòng Đồng Thắng",
    "Trung tâm GDNN - GDTX huyện",
    "Hạt Kiểm lâm Đình Lập",
    "Công ty TNHH MTV Lâm nghiệp Đình Lập",
    "Điện lực Đình Lập",
    "Ngân hàng Nông nghiệp Đình Lập",
    "Kho bạc Nhà nước Đình Lập",
    "Chi cục Thuế Đình Lập",
    "Ban Quản lý dự án đầu tư xây dựng huyện",
)
BAC_XA = "xã Bắc Xa"


@dataclass(frozen=True)
class DinhLapParameters(DistrictParameters):
    """Đình Lập's shape and its 2020 figures; the members' count is the generator's choice
    (the seeds say only "over 94%" of them good or better)."""

    year: int = 2020
    organisations: int = 48
    communes: int = 12
    branches: int = 183
    members: int = 2928  # 16 to a branch
    members_good: int = 2778  # 94.9%
    branches_good: int = 179
    organisations_good: int = 47
    long_sick: int = 24
    short_sick: int = 15
    excellent_organisations: int = 5
    agency_sizes: tuple[int, ...] = (2, 2, 2, 3)
    commune_names: tuple[str, ...] = COMMUNES
    agency_names: tuple[str, ...] = AGENCIES
    province_name: str = "Đảng bộ tỉnh Lạng Sơn"
    district_name: str = "Đảng bộ huyện Đình Lập"
    card_base: int = 20_000_000
    seed: int = 2020
    province_id: str = "LS"
    district_id: str = "DL"
    # Following (the seeds: district committee members at least 2 each, nearly 80 in all;
    # commune committee members 4 or more each; Bắc Xa's secretary 6).
    district_followers: int = 35  # huyện ủy viên, each following one commune
    district_quota: int = 2
    district_visits: int = 77
    commune_followers: int = 3  # đảng ủy viên in each commune, the secretary first
    commune_quota: int = 4
    commune_visits: tuple[int, int] = (4, 6)
    bac_xa_secretary_visits: int = 6


DEFAULTS = DinhLapParameters()


@dataclass
class FollowerPlan:
    member: MemberPlan
    branch: BranchPlan  # their own
    level: str  # "district" | "commune"
    unit: OrganisationPlan  # followed
    title: str
    visits: list[tuple[BranchPlan, int]] = field(default_factory=list)  # branch, month


@dataclass
class DinhLapPlan:
    district: DistrictPlan
    followers: list[FollowerPlan]

    def visits(self, level: str) -> int:
        return sum(len(f.visits) for f in self.followers if f.level == level)


def plan_dinh_lap(rules: YearRules, params: DinhLapParameters = DEFAULTS) -> DinhLapPlan:
    district = plan_district(rules, params)
    rng = random.Random(f"{params.seed}/following")
    p = params
    communes = [o for o in district.organisations if o.commune]
    agencies = [o for o in district.organisations if not o.commune]

    def well(branch: BranchPlan) -> list[MemberPlan]:
        return [m for m in branch.members if m.sick_leave is None]

    followers: list[FollowerPlan] = []
    # District committee members: from the district's agencies, one commune each.
    pool = [(b, m) for o in agencies for b in o.branches for m in well(b)]
    extra = p.district_visits - p.district_quota * p.district_followers
    if not 0 <= extra <= p.district_followers:
        raise PlanError(
            f"{p.district_visits} visits cannot give each of {p.district_followers} "
            f"district followers {p.district_quota} or one more"
        )
    chosen = rng.sample(pool, p.district_followers)
    for i, (branch, member) in enumerate(chosen):
        commune = communes[i % len(communes)]
        visits = p.district_quota + (i < extra)
        followers.append(FollowerPlan(member, branch, "district", commune, "Huyện ủy viên"))
        followers[-1].visits = _visits(rng, commune, branch, visits)
    # Commune committee members: the commune's secretary and others of its branches.
    for commune in communes:
        pool = [(b, m) for b in commune.branches for m in well(b)]
        picked = rng.sample(pool, p.commune_followers)
        for j, (branch, member) in enumerate(picked):
            title = "Bí thư Đảng ủy" if j == 0 else "Đảng ủy viên"
            if j == 0 and commune.name.endswith(BAC_XA):
                count = p.bac_xa_secretary_visits
            else:
                count = rng.randint(*p.commune_visits)
            followers.append(FollowerPlan(member, branch, "commune", commune, title))
            followers[-1].visits = _visits(rng, commune, branch, count)
    plan = DinhLapPlan(district, followers)
    for f in followers:
        quota = p.district_quota if f.level == "district" else p.commune_quota
        if len(f.visits) < quota:
            raise PlanError(f"{f.member.name} plans {len(f.visits)} visits, under {quota}")
    by_meeting = {(b.unit_id, m.month): m for b in district.branches for m in b.meetings}
    for f in followers:
        for branch, month in f.visits:
            by_meeting[branch.unit_id, month].guests.append((f.member, f.level))
    return plan


def _visits(
    rng: random.Random, unit: OrganisationPlan, own: BranchPlan, count: int
) -> list[tuple[BranchPlan, int]]:
    """`count` meetings of the unit's branches, not the follower's own, in distinct months."""
    others = [b for b in unit.branches if b is not own]
    months = rng.sample(range(1, 13), count)
    return [(rng.choice(others), month) for month in sorted(months)]
