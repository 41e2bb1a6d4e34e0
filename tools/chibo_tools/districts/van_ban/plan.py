"""A district planned before anything is sent (Văn Bàn's 2021 by default): its shape, then
what people recorded about its year (appraisals, sick leave), checked against the seeds'
figures under the year's rule set as the rating service publishes it."""

from __future__ import annotations

import random
from dataclasses import dataclass

from .api import PlanError
from .district import (
    BranchPlan,
    DistrictPlan,
    OrganisationPlan,
    check_quotas,
    good_or_better,
    make_members,
    most_excellent,
    occasional_absences,
    regular_meetings,
    sick_leave,
    targets,
    unique,
    village,
)
from .rules import YearRules

RULE_SET = "qd132-hd21"  # Quy định 132 with Hướng dẫn 21 rates 2019-2022

COMMUNES = (
    "thị trấn Khánh Yên",
    "xã Chiềng Ken",
    "xã Dần Thàng",
    "xã Dương Quỳ",
    "xã Hòa Mạc",
    "xã Khánh Yên Hạ",
    "xã Khánh Yên Thượng",
    "xã Khánh Yên Trung",
    "xã Làng Giàng",
    "xã Liêm Phú",
    "xã Minh Lương",
    "xã Nậm Chày",
    "xã Nậm Dạng",
    "xã Nậm Mả",
    "xã Nậm Tha",
    "xã Nậm Xây",
    "xã Nậm Xé",
    "xã Sơn Thủy",
    "xã Tân An",
    "xã Tân Thượng",
    "xã Thẩm Dương",
    "xã Văn Sơn",
    "xã Võ Lao",
)
AGENCIES = (
    "Cơ quan Chính quyền huyện",
    "Cơ quan Dân - Đảng huyện",
    "Công an huyện",
    "Quân sự huyện",
    "Trung tâm Y tế huyện",
    "Bệnh viện Đa khoa huyện",
    "Trường THPT số 1 Văn Bàn",
    "Trường THPT số 2 Văn Bàn",
    "Trường THPT số 3 Văn Bàn",
    "Trường THPT số 4 Văn Bàn",
    "Trung tâm GDNN - GDTX huyện",
    "Ban Quản lý dự án đầu tư xây dựng huyện",
    "Hạt Kiểm lâm Văn Bàn",
    "Công ty Lâm nghiệp Văn Bàn",
    "Điện lực Văn Bàn",
    "Ngân hàng Nông nghiệp Văn Bàn",
)


SCHOOLS = ("Trường PTDTBT TH và THCS", "Trường Mầm non", "Trường THCS")


@dataclass(frozen=True)
class DistrictParameters:
    """A district's shape and its year's figures; the defaults are Văn Bàn's of 2021."""

    year: int = 2021
    organisations: int = 58
    communes: int = 23  # đảng bộ xã and thị trấn; the other organisations are agencies'
    branches: int = 341
    members: int = 5719
    members_good: int = 5508
    branches_good: int = 321
    organisations_good: int = 53
    long_sick: int = 46  # of the members below good, those on long sick leave
    short_sick: int = 30  # members on sick leave too short to cap them
    excellent_members: tuple[int, ...] = (0, 1, 1, 2)  # wished per branch, within the quota
    excellent_branch_chance: float = 0.4  # an organisation proposes one model branch
    excellent_organisations: int = 6  # wished, within the district's quota
    absent_once: float = 0.1  # members who miss one meeting with a reason
    agency_sizes: tuple[int, ...] = (2, 3, 3, 4)  # branches of an agency's organisation
    commune_names: tuple[str, ...] = COMMUNES
    agency_names: tuple[str, ...] = AGENCIES
    province_name: str = "Đảng bộ tỉnh Lào Cai"
    district_name: str = "Đảng bộ huyện Văn Bàn"
    card_base: int = 21_000_000  # party card numbers from here on
    seed: int = 2021
    concurrency: int = 8  # branches entered at once: each is its own set of aggregates
    province_id: str = "LC"
    district_id: str = "VB"
    wait_seconds: float = 600.0  # the longest wait for events to flow before giving up


VanBanParameters = DistrictParameters


DEFAULTS = VanBanParameters()


def plan_district(rules: YearRules, params: DistrictParameters = DEFAULTS) -> DistrictPlan:
    """The whole district and its year, decided before anything is sent."""
    rng = random.Random(params.seed)
    p = params
    weak_orgs = p.organisations - p.organisations_good
    weak_branches = p.branches - p.branches_good
    if len(p.commune_names) < p.communes:
        raise PlanError(f"{p.communes} communes need as many names")
    if not 0 < weak_orgs <= p.communes:
        raise PlanError(f"{weak_orgs} organisations below good must be communes")

    agencies = p.organisations - p.communes
    agency_sizes = [rng.choice(p.agency_sizes) for _ in range(agencies)]
    base, extra = divmod(p.branches - sum(agency_sizes), p.communes)
    commune_sizes = [base + 1] * extra + [base] * (p.communes - extra)
    rng.shuffle(commune_sizes)
    sizes = commune_sizes + agency_sizes

    per_branch, longer = divmod(p.members, p.branches)
    seventeen = set(rng.sample(range(p.branches), longer))
    serial = 0
    organisations: list[OrganisationPlan] = []
    for index, size in enumerate(sizes):
        commune = index < p.communes
        name = p.commune_names[index] if commune else _agency(p, index - p.communes)
        org = OrganisationPlan(
            unit_id=f"{p.district_id}-G{index + 1:02}", name=f"Đảng bộ {name}", commune=commune
        )
        villages: set[str] = set()
        for number in range(1, size + 1):
            count = per_branch + (serial in seventeen)
            members = make_members(rng, count, serial * 100, p.year, p.card_base)
            unit_id = f"{org.unit_id}-B{number:02}"
            if commune:
                v = unique(rng, villages, village)
                branch = BranchPlan(
                    unit_id=unit_id,
                    name=f"Chi bộ thôn {v}",
                    place=f"Nhà văn hóa thôn {v}",
                    members=members,
                )
            else:
                branch = BranchPlan(
                    unit_id=unit_id,
                    name=f"Chi bộ số {number}",
                    place=f"Hội trường {name}",
                    members=members,
                )
            regular_meetings(rng, branch, commune)
            occasional_absences(rng, members, p.absent_once)
            org.branches.append(branch)
            serial += 1
        organisations.append(org)

    _members_year(rng, p, rules, organisations)
    _branches_year(rng, p, rules, organisations, weak_orgs, weak_branches)
    _organisations_year(rng, p, rules, organisations, weak_orgs)
    plan = DistrictPlan(
        p.province_id,
        p.province_name,
        p.district_id,
        p.district_name,
        p.year,
        p.seed,
        organisations,
    )
    _check(plan, p, rules)
    return plan


def _members_year(
    rng: random.Random,
    p: DistrictParameters,
    rules: YearRules,
    organisations: list[OrganisationPlan],
) -> None:
    """The members below good: `long_sick` away on sick leave as long as the rule set caps
    (the committee still judges their criteria good), the others appraised "completed";
    some on short sick leave; a few appraised excellent in each branch, within the quota."""
    everyone = [m for o in organisations for b in o.branches for m in b.members[1:]]
    below = rng.sample(everyone, p.members - p.members_good)
    longest = min(12, rules.sick_leave_months + 3)
    for member in below[: p.long_sick]:
        sick_leave(rng, member, p.year, rng.randint(rules.sick_leave_months, longest))
        member.absent.clear()
    for member in below[p.long_sick :]:
        member.appraisal = "completed"
    chosen = {id(m) for m in below}
    if rules.sick_leave_months > 1:
        others = [m for m in everyone if id(m) not in chosen]
        for member in rng.sample(others, p.short_sick):
            sick_leave(rng, member, p.year, rng.randint(1, rules.sick_leave_months - 1))
            member.absent.clear()
    for org in organisations:
        for branch in org.branches:
            for member in branch.members:
                member.expect(rules)
            good = [m for m in branch.members if m.level == "good"]
            wanted = most_excellent(rules, len(good), rng.choice(p.excellent_members))
            for member in rng.sample(good, wanted):
                member.appraisal = member.level = "excellent"


def _branches_year(
    rng: random.Random,
    p: DistrictParameters,
    rules: YearRules,
    organisations: list[OrganisationPlan],
    weak_orgs: int,
    weak_branches: int,
) -> None:
    """Branches appraised by their organisation's committee: `weak_branches` "completed",
    spread over `weak_orgs` communes; in some organisations one model branch "excellent"."""
    weak = rng.sample(organisations[: p.communes], weak_orgs)
    spread = [
        o.branches[i]
        for i in range(max(len(o.branches) for o in weak))
        for o in weak
        if i < len(o.branches)
    ]
    picked = {id(b) for b in spread[:weak_branches]}
    if len(picked) < weak_branches:
        raise PlanError(f"{weak_orgs} communes hold fewer than {weak_branches} branches")
    for org in organisations:
        good: list[BranchPlan] = []
        for branch in org.branches:
            if id(branch) in picked:
                branch.appraisal = "completed"
            else:
                good.append(branch)
        wanted = 1 if rng.random() < p.excellent_branch_chance else 0
        best = sorted(good, key=lambda b: (-good_or_better(b.members), rng.random()))
        for branch in best[: most_excellent(rules, len(good), wanted)]:
            branch.appraisal = "excellent"
        for branch in org.branches:
            branch.targets = targets(rng, branch.appraisal, 5, 10)
    for org in weak:
        org.appraisal = "completed"


def _organisations_year(
    rng: random.Random,
    p: DistrictParameters,
    rules: YearRules,
    organisations: list[OrganisationPlan],
    weak_orgs: int,
) -> None:
    """Organisations appraised by the district: the communes with the weak branches
    "completed" (set above), the ones with the largest share of members good or better
    "excellent", as many as the district's quota allows of those wished."""
    good = [o for o in organisations if o.appraisal != "completed"]
    count = most_excellent(rules, len(good), p.excellent_organisations)
    best = sorted(good, key=lambda o: (-good_or_better(o.members) / len(o.members), rng.random()))
    for org in best[:count]:
        org.appraisal = "excellent"
    for org in organisations:
        org.targets = targets(rng, org.appraisal, 10, 20)
    if len(good) != p.organisations - weak_orgs:
        raise PlanError("the weak communes were not appraised completed")


def _check(plan: DistrictPlan, p: DistrictParameters, rules: YearRules) -> None:
    members = plan.members
    found = (
        len(plan.organisations),
        len(plan.branches),
        len(members),
        good_or_better(members),
        good_or_better(plan.branches),
        good_or_better(plan.organisations),
    )
    wanted = (
        p.organisations,
        p.branches,
        p.members,
        p.members_good,
        p.branches_good,
        p.organisations_good,
    )
    if found != wanted:
        raise PlanError(
            f"under {rules.id} the plan gives {found}, not {wanted} (organisations, branches, "
            "members, and of them good or better)"
        )
    check_quotas(plan, rules)


def _agency(p: DistrictParameters, index: int) -> str:
    """The agencies named, then schools of the communes."""
    if index < len(p.agency_names):
        return p.agency_names[index]
    names = p.commune_names[: p.communes]
    place = names[index % len(names)].removeprefix("thị trấn ").removeprefix("xã ")
    return f"{SCHOOLS[index // len(names) % len(SCHOOLS)]} {place}"
