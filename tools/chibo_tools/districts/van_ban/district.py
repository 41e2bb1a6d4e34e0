"""A generated district as the people concerned would record it, before anything is sent:
organisations, branches, members; each member's monthly reports, absences and sick leave;
the committees' appraisals; and the level each should be proposed once the rules apply.
Shared by the generated districts (Văn Bàn, Đình Lập)."""

from __future__ import annotations

import calendar
import csv
import io
import random
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .api import PlanError
from .rules import GOOD_OR_BETTER, YearRules


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


VILLAGE_FIRST = ("Nà", "Khe", "Bản", "Nậm", "Làng", "Pịt", "Tặng", "Chiềng", "Mường", "Phiêng")
VILLAGE_SECOND = ("Lộc", "Có", "Pồ", "Con", "Mật", "Thẳm", "Ún", "Bó", "Chạy", "Tha", "Dù", "Hốc")
SURNAMES = _words("Nguyễn Trần Lê Phạm Hoàng Vũ Đặng Lương Lò Hà Triệu Bàn Lý Vàng Nông Ma")
MIDDLE_NAMES = ("Văn", "Thị", "Đức", "Minh", "Quang", "Thanh", "Hữu", "Ngọc", "Xuân", "Kim")
GIVEN_NAMES = _words(
    "An Bình Chiến Cường Dung Dũng Giang Hải Hạnh Hiền Hòa Hùng Hương Khánh Lan Linh Long "
    "Mai Nam Nga Phúc Phương Quân Sơn Tâm Thắng Thành Thảo Thủy Trang Trung Tuấn Vân Yến"
)
ABSENCE_REASONS = ("đi công tác", "việc gia đình", "đi học tập trung", "ốm", "đi viện")
SICK = "nghỉ ốm dài ngày"
SITUATIONS = (
    "Các hộ ổn định",
    "Tình hình an ninh trật tự ổn định",
    "Các hộ chấp hành tốt chủ trương, chính sách",
    "Các hộ tích cực lao động sản xuất",
)
NOTES = {
    "excellent": "Tiêu biểu, các nhiệm vụ được giao đều hoàn thành xuất sắc",
    "good": "",
    "completed": "Còn hạn chế trong thực hiện nhiệm vụ được giao",
}


@dataclass
class MemberPlan:
    name: str
    birth_date: date
    admission_date: date
    card_number: str
    appraisal: str = "good"  # the level the branch committee's appraisal judges
    sick_leave: tuple[date, date] | None = None
    sick_months: int = 0  # whole calendar months of that leave
    absent: dict[int, str] = field(default_factory=dict)  # month → reason (excused)
    level: str = "good"  # what the rules propose from all of it (set by `expect`)
    member_id: str = ""  # learnt from the roster once the import has flowed

    def away(self, day: date) -> bool:
        return self.sick_leave is not None and self.sick_leave[0] <= day <= self.sick_leave[1]

    def reports(self, year: int, month: int) -> bool:
        """Reports in `month` unless away on sick leave in the middle of it."""
        return not self.away(date(year, month, 15))

    def expect(self, rules: YearRules) -> None:
        self.level = rules.capped(self.appraisal, self.sick_months)


@dataclass
class MeetingPlan:
    month: int
    day: int
    start: tuple[int, int]  # local hour, minute
    minutes: int
    guests: list[tuple[MemberPlan, str]] = field(default_factory=list)  # who, committee level


@dataclass
class UnitPlan:
    """What the level above appraises a branch or an organisation at, and its targets."""

    unit_id: str
    name: str
    appraisal: str = "good"
    targets: tuple[int, int, int] = (0, 0, 0)  # total, done, exceeded

    @property
    def level(self) -> str:
        return self.appraisal


@dataclass
class BranchPlan(UnitPlan):
    place: str = ""
    members: list[MemberPlan] = field(default_factory=list)
    meetings: list[MeetingPlan] = field(default_factory=list)

    @property
    def secretary(self) -> MemberPlan:
        return self.members[0]


@dataclass
class OrganisationPlan(UnitPlan):
    commune: bool = True
    branches: list[BranchPlan] = field(default_factory=list)

    @property
    def members(self) -> list[MemberPlan]:
        return [m for b in self.branches for m in b.members]


@dataclass
class DistrictPlan:
    province_id: str
    province_name: str
    district_id: str
    district_name: str
    year: int
    seed: int
    organisations: list[OrganisationPlan]

    @property
    def branches(self) -> list[BranchPlan]:
        return [b for o in self.organisations for b in o.branches]

    @property
    def members(self) -> list[MemberPlan]:
        return [m for b in self.branches for m in b.members]

    def summary(self) -> dict[str, Any]:
        def levels(items: Sequence[Any]) -> dict[str, int]:
            found: dict[str, int] = {}
            for item in items:
                found[item.level] = found.get(item.level, 0) + 1
            return dict(sorted(found.items()))

        members = self.members
        return {
            "members": levels(members),
            "members_appraised": levels([_Appraised(m.appraisal) for m in members]),
            "members_long_sick": sum(1 for m in members if m.level != m.appraisal),
            "branches": levels(self.branches),
            "organisations": levels(self.organisations),
        }


@dataclass(frozen=True)
class _Appraised:
    level: str


def good_or_better(items: Sequence[Any]) -> int:
    return sum(1 for item in items if item.level in GOOD_OR_BETTER)


# --- building blocks of a plan -----------------------------------------------------------------


def unique(rng: random.Random, taken: set[str], make: Callable[[random.Random], str]) -> str:
    for _ in range(1000):
        candidate = make(rng)
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    raise PlanError("ran out of distinct names")


def village(rng: random.Random) -> str:
    return f"{rng.choice(VILLAGE_FIRST)} {rng.choice(VILLAGE_SECOND)}"


def person(rng: random.Random) -> str:
    name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"
    return unicodedata.normalize("NFC", name)


def make_members(
    rng: random.Random, count: int, first_card: int, year: int, card_base: int
) -> list[MemberPlan]:
    """`count` members of one branch, admitted years before `year`, distinct names."""
    names: set[str] = set()
    found = []
    for i in range(count):
        name = unique(rng, names, person)
        born = date(rng.randint(1955, 1992), rng.randint(1, 12), rng.randint(1, 28))
        admitted_year = min(born.year + rng.randint(20, 35), year - 6)
        admitted = date(admitted_year, rng.randint(1, 12), rng.randint(1, 28))
        found.append(MemberPlan(name, born, admitted, f"{card_base + first_card + i:08}"))
    return found


def occasional_absences(rng: random.Random, members: Sequence[MemberPlan], share: float) -> None:
    """About `share` of the members miss one meeting in the year, with a reason."""
    for member in members:
        if rng.random() < share:
            member.absent[rng.randint(1, 12)] = rng.choice(ABSENCE_REASONS)


def sick_leave(rng: random.Random, member: MemberPlan, year: int, months: int) -> None:
    """Sick leave over `months` whole calendar months of `year`."""
    first = rng.randint(1, 13 - months)
    last = first + months - 1
    member.sick_leave = (
        date(year, first, 1),
        date(year, last, calendar.monthrange(year, last)[1]),
    )
    member.sick_months = months


def regular_meetings(rng: random.Random, branch: BranchPlan, commune: bool) -> None:
    """The branch's twelve regular monthly meetings (Charter art. 24), an evening in the first
    half of the month in a village, an afternoon in an agency."""
    start = (19, 30) if commune else (14, 0)
    for month in range(1, 13):
        minutes = rng.choice((75, 90, 90, 100, 105, 120, 120, 135))
        branch.meetings.append(MeetingPlan(month, rng.randint(3, 12), start, minutes))


def targets(rng: random.Random, level: str, low: int, high: int) -> tuple[int, int, int]:
    """A collective's targets of the year (total, met, exceeded) as its appraisal records
    them: all met where it is judged good or better, one or two short otherwise."""
    total = rng.randint(low, high)
    done = total if level in GOOD_OR_BETTER else total - rng.randint(1, 2)
    exceeded = rng.randint(total // 3, total // 2) if level == "excellent" else rng.randint(0, 2)
    return total, done, min(exceeded, done)


def most_excellent(rules: YearRules, good_or_better: int, wanted: int) -> int:
    """Up to `wanted` of `good_or_better` rated excellent with the rest good, within the quota."""
    return max(
        e
        for e in range(min(wanted, good_or_better) + 1)
        if rules.quota_holds(e, good_or_better - e)
    )


def check_quotas(plan: DistrictPlan, rules: YearRules) -> None:
    """Every cohort's quota, as the rating service will count it: members by branch (so that
    any order of the branches' decisions keeps the organisation's book within it), branches
    by organisation, organisations by district."""
    cohorts = [[o.level for o in plan.organisations]]
    cohorts += [[b.level for b in o.branches] for o in plan.organisations]
    cohorts += [[m.level for m in b.members] for b in plan.branches]
    for levels in cohorts:
        if not rules.quota_holds(levels.count("excellent"), levels.count("good")):
            raise PlanError(f"a cohort breaks the quota: {levels}")
    cards = [m.card_number for m in plan.members]
    if len(set(cards)) != len(cards):
        raise PlanError("card numbers repeat")


def member_file(plan: DistrictPlan) -> bytes:
    """The members as the national member database exports them (CSV, Vietnamese headers)."""
    return national_member_file((m, b.unit_id) for b in plan.branches for m in b.members)


def national_member_file(rows: Iterable[tuple[Any, str]]) -> bytes:
    """(member, unit id) rows as the national member database exports them: each member has
    a name, a birth date, an admission date and a card number; plus the day each began
    attending the branch, which a secretary adds: the generated years are entered after
    the fact, and without it a member imported today would attend from today only."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "STT",
            "Họ và tên",
            "Ngày sinh",
            "Ngày vào Đảng",
            "Số thẻ đảng viên",
            "Chi bộ",
            "Ngày sinh hoạt tại chi bộ",
        ]
    )
    for line, (m, unit_id) in enumerate(rows, start=1):
        writer.writerow(
            [
                line,
                m.name,
                m.birth_date.strftime("%d/%m/%Y"),
                m.admission_date.strftime("%d/%m/%Y"),
                m.card_number,
                unit_id,
                m.admission_date.strftime("%d/%m/%Y"),
            ]
        )
    return out.getvalue().encode("utf-8-sig")
