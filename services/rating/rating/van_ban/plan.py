"""The district planned before anything is sent: who is absent when, which branches
miss meetings, which meet the policy in full; checked against the rule set's thresholds."""

from __future__ import annotations

import csv
import io
import random
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

T = TypeVar("T")

# The rule set the mechanism is written against, and the thresholds of it that it relies on.
RULE_SET = "qd124-hd25"
MEMBER_GOOD_ATTENDANCE = 0.85
MEMBER_COMPLETED_ATTENDANCE = 0.7
BRANCH_GOOD_MEETINGS = 11
BRANCH_COMPLETED_MEETINGS = 9
GOOD_SHARE = 0.8  # members good in a good branch; branches and members in a good organisation
BRANCH_EXCELLENT_SHARE = 0.9
ORGANISATION_EXCELLENT_SHARE = 0.95
ORGANISATION_COMPLETED_SHARE = 0.5
QUALITY_SHARE = 0.8
QUALITY_ATTENDANCE = 0.85
QUALITY_MINUTES = 90
QUOTA = 0.2  # excellent ≤ 20% of good in a cohort
GOOD_OR_BETTER = frozenset({"excellent", "good"})

ABSENT_MONTHS = 3  # 9 of 12 meetings: 75%, under 85% but over 70%
WEAK_MEETINGS = 10  # under 11, over 9
MAX_COMPLETED_IN_BRANCH = 3
CONFLICT_RETRIES = 3
POLL_SECONDS = 0.5


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


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
VILLAGE_FIRST = ("Nà", "Khe", "Bản", "Nậm", "Làng", "Pịt", "Tặng", "Chiềng", "Mường", "Phiêng")
VILLAGE_SECOND = ("Lộc", "Có", "Pồ", "Con", "Mật", "Thẳm", "Ún", "Bó", "Chạy", "Tha", "Dù", "Hốc")
SURNAMES = _words("Nguyễn Trần Lê Phạm Hoàng Vũ Đặng Lương Lò Hà Triệu Bàn Lý Vàng Nông Ma")
MIDDLE_NAMES = ("Văn", "Thị", "Đức", "Minh", "Quang", "Thanh", "Hữu", "Ngọc", "Xuân", "Kim")
GIVEN_NAMES = _words(
    "An Bình Chiến Cường Dung Dũng Giang Hải Hạnh Hiền Hòa Hùng Hương Khánh Lan Linh Long "
    "Mai Nam Nga Phúc Phương Quân Sơn Tâm Thắng Thành Thảo Thủy Trang Trung Tuấn Vân Yến"
)
ABSENCE_REASONS = ("ốm", "đi viện", "đi công tác", "việc gia đình", "đi học tập trung")
SITUATIONS = (
    "Các hộ ổn định",
    "Tình hình an ninh trật tự ổn định",
    "Các hộ chấp hành tốt chủ trương, chính sách",
    "Các hộ tích cực lao động sản xuất",
)


class GeneratorError(RuntimeError):
    """A service refused a step, or did not get where the next step needs it in time."""


class PlanError(GeneratorError):
    """The parameters cannot give the figures under the rules the plan is written for."""


@dataclass(frozen=True)
class VanBanParameters:
    year: int = 2021
    organisations: int = 58
    communes: int = 23  # đảng bộ xã and thị trấn; the other organisations are agencies'
    branches: int = 341
    members: int = 5719
    members_good: int = 5508
    branches_good: int = 321
    organisations_good: int = 53
    seed: int = 2021
    concurrency: int = 8  # branches entered at once: each is its own set of aggregates
    province_id: str = "LC"
    district_id: str = "VB"
    wait_seconds: float = 600.0  # the longest wait for events to flow before giving up


DEFAULTS = VanBanParameters()


# --- the plan --------------------------------------------------------------------------------


@dataclass
class MemberPlan:
    name: str
    birth_date: date
    admission_date: date
    card_number: str
    absent: dict[int, str] = field(default_factory=dict)  # month → reason (excused)
    member_id: str = ""  # learnt from the roster once the import has flowed

    @property
    def level(self) -> str:
        return "completed" if self.absent else "good"


@dataclass(frozen=True)
class MeetingPlan:
    month: int
    day: int
    start: tuple[int, int]  # local hour, minute
    minutes: int


@dataclass
class BranchPlan:
    unit_id: str
    name: str
    place: str
    members: list[MemberPlan]
    meetings: list[MeetingPlan] = field(default_factory=list)
    model: bool = False  # holds every meeting as the policy asks: "bốn tốt"

    @property
    def secretary(self) -> MemberPlan:
        return self.members[0]

    @property
    def members_good(self) -> int:
        return sum(1 for m in self.members if m.level in GOOD_OR_BETTER)

    @property
    def level(self) -> str:
        """What Quy định 124 gives this branch once its members are decided as planned."""
        held = len(self.meetings)
        share = _share(self.members_good, len(self.members))
        quality = _share(sum(1 for m in self.meetings if self._of_quality(m)), held)
        bon_tot = held >= 12 and quality >= QUALITY_SHARE and share >= BRANCH_EXCELLENT_SHARE
        if bon_tot:  # coverage, reports, unity hold for every branch here
            return "excellent"
        if held >= BRANCH_GOOD_MEETINGS and share >= GOOD_SHARE:
            return "good"
        return "completed" if held >= BRANCH_COMPLETED_MEETINGS else "not_completed"

    def _of_quality(self, meeting: MeetingPlan) -> bool:
        present = sum(1 for m in self.members if meeting.month not in m.absent)
        return (
            meeting.minutes >= QUALITY_MINUTES
            and _share(present, len(self.members)) > QUALITY_ATTENDANCE
        )


@dataclass
class OrganisationPlan:
    unit_id: str
    name: str
    commune: bool
    branches: list[BranchPlan] = field(default_factory=list)

    @property
    def members(self) -> list[MemberPlan]:
        return [m for b in self.branches for m in b.members]

    @property
    def level(self) -> str:
        branches = _share(
            sum(1 for b in self.branches if b.level in GOOD_OR_BETTER), len(self.branches)
        )
        members = self.members
        share = _share(sum(1 for m in members if m.level in GOOD_OR_BETTER), len(members))
        if branches >= 1.0 and share >= ORGANISATION_EXCELLENT_SHARE:
            return "excellent"
        if branches >= GOOD_SHARE and share >= GOOD_SHARE:
            return "good"
        return "completed" if branches >= ORGANISATION_COMPLETED_SHARE else "not_completed"


@dataclass
class DistrictPlan:
    params: VanBanParameters
    organisations: list[OrganisationPlan]

    @property
    def branches(self) -> list[BranchPlan]:
        return [b for o in self.organisations for b in o.branches]

    def summary(self) -> dict[str, Any]:
        def levels(items: Sequence[Any]) -> dict[str, int]:
            found: dict[str, int] = {}
            for item in items:
                found[item.level] = found.get(item.level, 0) + 1
            return dict(sorted(found.items()))

        members = [m for b in self.branches for m in b.members]
        return {
            "members": levels(members),
            "branches": levels(self.branches),
            "organisations": levels(self.organisations),
        }


def plan_district(params: VanBanParameters = DEFAULTS) -> DistrictPlan:
    """The whole district and its year, decided before anything is sent."""
    rng = random.Random(params.seed)
    p = params
    weak_orgs = p.organisations - p.organisations_good
    weak_branches = p.branches - p.branches_good
    if weak_orgs <= 0 or weak_branches % weak_orgs or p.communes < weak_orgs:
        raise PlanError(
            f"{weak_branches} branches below good must split evenly over {weak_orgs} communes"
        )
    per_weak = weak_branches // weak_orgs

    agencies = p.organisations - p.communes
    agency_sizes = [rng.choice((2, 3, 3, 4)) for _ in range(agencies)]
    base, extra = divmod(p.branches - sum(agency_sizes), p.communes)
    commune_sizes = [base + 1] * extra + [base] * (p.communes - extra)
    rng.shuffle(commune_sizes)
    sizes = commune_sizes + agency_sizes
    weak = set(rng.sample(range(p.communes), weak_orgs))
    if any(sizes[i] - per_weak < ORGANISATION_COMPLETED_SHARE * sizes[i] for i in weak):
        raise PlanError("the communes are too small to keep half their branches good")

    per_branch, longer = divmod(p.members, p.branches)
    seventeen = set(rng.sample(range(p.branches), longer))
    serial = 0
    organisations: list[OrganisationPlan] = []
    for index, size in enumerate(sizes):
        commune = index < p.communes
        name = COMMUNES[index % len(COMMUNES)] if commune else _agency(index - p.communes)
        org = OrganisationPlan(f"{p.district_id}-G{index + 1:02}", f"Đảng bộ {name}", commune)
        villages: set[str] = set()
        for number in range(1, size + 1):
            count = per_branch + (serial in seventeen)
            members = _members(rng, count, serial * 100, p.year)
            unit_id = f"{org.unit_id}-B{number:02}"
            if commune:
                village = _unique(rng, villages, _village)
                branch = BranchPlan(
                    unit_id, f"Chi bộ thôn {village}", f"Nhà văn hóa thôn {village}", members
                )
            else:
                branch = BranchPlan(unit_id, f"Chi bộ số {number}", f"Hội trường {name}", members)
            org.branches.append(branch)
            serial += 1
        organisations.append(org)

    # The weak communes: 4 branches each miss two months' meetings.
    short: dict[str, int] = {}
    for index in sorted(weak):
        for branch in rng.sample(organisations[index].branches, per_weak):
            short[branch.unit_id] = WEAK_MEETINGS
    good_orgs = [o for i, o in enumerate(organisations) if i not in weak]

    # Model branches: as many per organisation as the quota lets stand beside the good ones.
    for org in organisations:
        candidates = [b for b in org.branches if b.unit_id not in short]
        models = _most_excellent(len(candidates))
        for branch in rng.sample(candidates, models):
            branch.model = True

    # Excellent organisations: the largest, as many as the district's quota allows.
    excellent_count = _most_excellent(len(good_orgs))
    order = sorted(good_orgs, key=lambda o: (-len(o.members), rng.random()))
    excellent = {o.unit_id for o in order[:excellent_count]}

    _spread_completed(rng, p, organisations, good_orgs, excellent, short)
    for org in organisations:
        for branch in org.branches:
            _meetings(rng, branch, short.get(branch.unit_id, 12), org.commune)
    plan = DistrictPlan(p, organisations)
    check_plan(plan)
    return plan


def _spread_completed(
    rng: random.Random,
    p: VanBanParameters,
    organisations: list[OrganisationPlan],
    good_orgs: list[OrganisationPlan],
    excellent: set[str],
    short: dict[str, int],
) -> None:
    """Choose the members absent three times: just over 5% of each good organisation that is
    not to be excellent, the rest anywhere it moves no level."""

    def hosts(org: OrganisationPlan) -> list[BranchPlan]:
        return [b for b in org.branches if not b.model and b.unit_id not in short]

    def capacity(org: OrganisationPlan) -> int:
        if org.unit_id in excellent:
            n = len(org.members)
            room = max(c for c in range(n) if _share(n - c, n) >= ORGANISATION_EXCELLENT_SHARE)
            return min(room, sum(_branch_room(len(b.members)) for b in hosts(org)))
        return sum(_branch_room(len(b.members)) for b in hosts(org))

    counts: dict[str, int] = {}
    for org in good_orgs:
        if org.unit_id not in excellent:
            n = len(org.members)
            counts[org.unit_id] = min(
                c for c in range(1, n) if _share(n - c, n) < ORGANISATION_EXCELLENT_SHARE
            )
    remaining = (p.members - p.members_good) - sum(counts.values())
    if remaining < 0 or any(
        counts[o.unit_id] > capacity(o) for o in good_orgs if o.unit_id in counts
    ):
        raise PlanError(
            f"{p.members - p.members_good} completed members are too few to keep all but "
            f"{len(excellent)} of the good organisations under "
            f"{ORGANISATION_EXCELLENT_SHARE:.0%} of members good"
        )
    tiers = [
        [o for o in good_orgs if o.unit_id not in excellent],
        [o for o in organisations if o not in good_orgs],
        [o for o in good_orgs if o.unit_id in excellent],
    ]
    for tier in tiers:
        rng.shuffle(tier)
        while remaining:
            open_ = [o for o in tier if counts.get(o.unit_id, 0) < capacity(o)]
            if not open_:
                break
            for org in open_[:remaining]:
                counts[org.unit_id] = counts.get(org.unit_id, 0) + 1
                remaining -= 1
    if remaining:
        raise PlanError(f"no room left for {remaining} completed members")

    for org in organisations:
        left = counts.get(org.unit_id, 0)
        branches = hosts(org)
        rng.shuffle(branches)
        given = {b.unit_id: 0 for b in branches}
        while left:
            room = [b for b in branches if given[b.unit_id] < _branch_room(len(b.members))]
            if not room:
                raise PlanError(f"{org.unit_id} has no room for {left} more completed members")
            for branch in room[:left]:
                given[branch.unit_id] += 1
                left -= 1
        for branch in branches:
            months = list(range(1, 13))
            for member in rng.sample(branch.members[1:], given[branch.unit_id]):
                member.absent = {
                    month: rng.choice(ABSENCE_REASONS)
                    for month in sorted(rng.sample(months, ABSENT_MONTHS))
                }


def _meetings(rng: random.Random, branch: BranchPlan, held: int, commune: bool) -> None:
    """The branch's regular meetings: a model branch's all of quality, another's with 3-5
    under 90 minutes, so that too few are of quality for "bốn tốt"."""
    months = sorted(rng.sample(range(1, 13), held))
    brief = set() if branch.model else set(rng.sample(months, rng.randint(3, 5)))
    start = (19, 30) if commune else (14, 0)
    for month in months:
        minutes = rng.choice((60, 70, 75, 80)) if month in brief else rng.choice((95, 105, 120))
        branch.meetings.append(MeetingPlan(month, rng.randint(3, 12), start, minutes))
    if any(m.absent and set(m.absent) - set(months) for m in branch.members):
        raise PlanError(f"{branch.unit_id}: an absence falls in a month without a meeting")


def check_plan(plan: DistrictPlan) -> None:
    """The figures and every quota, as the rule set will see them."""
    p = plan.params
    members = [m for b in plan.branches for m in b.members]
    found = (
        len(plan.organisations),
        len(plan.branches),
        len(members),
        sum(1 for m in members if m.level in GOOD_OR_BETTER),
        sum(1 for b in plan.branches if b.level in GOOD_OR_BETTER),
        sum(1 for o in plan.organisations if o.level in GOOD_OR_BETTER),
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
        raise PlanError(f"the plan gives {found}, not {wanted}")
    if len({m.card_number for m in members}) != len(members):
        raise PlanError("card numbers repeat")
    for branch in plan.branches:
        held = {m.month for m in branch.meetings}
        for m in branch.members:
            attended = _share(len(held - set(m.absent)), len(held))
            good = attended >= MEMBER_GOOD_ATTENDANCE
            completed = MEMBER_COMPLETED_ATTENDANCE <= attended < MEMBER_GOOD_ATTENDANCE
            if not set(m.absent) <= held or not (good if m.level == "good" else completed):
                raise PlanError(f"{branch.unit_id}: {m.name} attends {attended:.0%}")
    cohorts = [[o.level for o in plan.organisations]]
    cohorts += [[b.level for b in o.branches] for o in plan.organisations]
    cohorts += [[m.level for m in b.members] for b in plan.branches]
    for levels in cohorts:
        if levels.count("excellent") > _allowed(levels.count("good")):
            raise PlanError(f"a cohort breaks the quota: {levels}")


def _most_excellent(good_or_better: int) -> int:
    """The most of `good_or_better` that may be excellent beside the rest rated good."""
    return max(e for e in range(good_or_better + 1) if e <= _allowed(good_or_better - e))


def _allowed(good: int) -> int:
    return int(good * QUOTA + 1e-9)  # as the rating service counts it


def _branch_room(size: int) -> int:
    """Members a branch of `size` can have completed and still be good."""
    return min(
        MAX_COMPLETED_IN_BRANCH,
        max(c for c in range(size) if _share(size - c, size) >= GOOD_SHARE),
    )


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 1.0  # as the rating service rounds


def _agency(index: int) -> str:
    if index < len(AGENCIES):
        return AGENCIES[index]
    place = COMMUNES[index % len(COMMUNES)].removeprefix("thị trấn ").removeprefix("xã ")
    return f"Trường PTDTBT TH và THCS {place}"


def _village(rng: random.Random) -> str:
    return f"{rng.choice(VILLAGE_FIRST)} {rng.choice(VILLAGE_SECOND)}"


def _unique(rng: random.Random, taken: set[str], make: Callable[[random.Random], str]) -> str:
    for _ in range(1000):
        candidate = make(rng)
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    raise PlanError("ran out of distinct names")


def _members(rng: random.Random, count: int, first_card: int, year: int) -> list[MemberPlan]:
    names: set[str] = set()
    found = []
    for i in range(count):
        name = _unique(rng, names, _person)
        born = date(rng.randint(1955, 1992), rng.randint(1, 12), rng.randint(1, 28))
        admitted_year = min(born.year + rng.randint(20, 35), year - 6)
        admitted = date(admitted_year, rng.randint(1, 12), rng.randint(1, 28))
        found.append(MemberPlan(name, born, admitted, f"{21_000_000 + first_card + i:08}"))
    return found


def _person(rng: random.Random) -> str:
    name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"
    return unicodedata.normalize("NFC", name)


def member_file(plan: DistrictPlan) -> bytes:
    """The members as the national member database exports them (CSV, Vietnamese headers)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["STT", "Họ và tên", "Ngày sinh", "Ngày vào Đảng", "Số thẻ đảng viên", "Chi bộ"]
    )
    line = 0
    for branch in plan.branches:
        for m in branch.members:
            line += 1
            writer.writerow(
                [
                    line,
                    m.name,
                    m.birth_date.strftime("%d/%m/%Y"),
                    m.admission_date.strftime("%d/%m/%Y"),
                    m.card_number,
                    branch.unit_id,
                ]
            )
    return out.getvalue().encode("utf-8-sig")
