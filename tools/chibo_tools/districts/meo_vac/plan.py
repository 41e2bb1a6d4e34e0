"""Mèo Vạc planned before anything is sent: the units and members, and for every branch-level
cell the year that makes it "chi bộ bốn tốt" or keeps it short of the title, judged first by
the same measures the rating service applies, with every threshold read from the rule set."""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from ..van_ban.api import GeneratorError, PlanError
from ..van_ban.district import national_member_file

CellKind = Literal["branch", "grassroots_cell"]
Status = Literal["absent_excused", "absent_unexcused"]

# Why a cell falls short of the title: each an input people would enter (the docstring of
# the package tells the story of each), with the weight it is drawn with.
CAUSES: dict[str, int] = {
    "missed_month": 18,  # a month without the regular meeting
    "short_meetings": 22,  # meetings shorter than the minimum
    "unprepared": 5,  # meetings not prepared by a committee meeting
    "unexcused_absences": 8,  # members absent without reason
    "poor_attendance": 10,  # many members away (with reason) at the same meetings
    "reports_missing": 12,  # members away working who stopped reporting
    "completed_members": 17,  # members the committee appraises only "completed"
    "disciplined": 4,  # a member reprimanded in the year
    "removal_flag": 2,  # a member absent without reason three months (Charter art. 8)
    "unassigned": 2,  # a member left out of the year's plan
}
SECOND_CAUSE = 0.25  # the share of cells falling short on two counts
CONFLICT_FREE_TRIES = 50  # redraws of one cell's noise before giving it none

COMMUNES = (
    "xã Pả Vi",
    "xã Cán Chu Phìn",
    "xã Giàng Chu Phìn",
    "xã Khâu Vai",
    "xã Lũng Chinh",
    "xã Lũng Pù",
    "xã Nậm Ban",
    "xã Niêm Sơn",
    "xã Niêm Tòng",
    "xã Pải Lủng",
    "xã Sơn Vĩ",
    "xã Sủng Máng",
    "xã Sủng Trà",
    "xã Tả Lủng",
    "xã Tát Ngà",
    "xã Thượng Phùng",
    "xã Xín Cái",
)
TOWN = "thị trấn Mèo Vạc"
TOWN_SCHOOLS = (
    "Chi bộ trường Mầm non Hoa Lan",
    "Chi bộ trường Tiểu học thị trấn",
    "Chi bộ trường THCS thị trấn",
)
AGENCY_COMMITTEES = ("Công an huyện", "Quân sự huyện", "Khối cơ quan huyện")
CELL_AGENCIES = (
    "Trường THPT Mèo Vạc",
    "Trường PTDT Nội trú THCS và THPT huyện",
    "Trung tâm Y tế huyện",
    "Trung tâm GDNN - GDTX huyện",
    "Kho bạc Nhà nước huyện",
    "Chi cục Thuế khu vực",
    "Ngân hàng Nông nghiệp và PTNT huyện",
    "Ngân hàng Chính sách xã hội huyện",
    "Viện Kiểm sát nhân dân huyện",
    "Tòa án nhân dân huyện",
    "Chi cục Thi hành án dân sự huyện",
    "Hạt Kiểm lâm huyện",
    "Điện lực Mèo Vạc",
    "Bưu điện huyện",
    "Ban Quản lý dự án đầu tư xây dựng huyện",
    "Trung tâm Văn hóa, Thể thao và Truyền thông huyện",
)
VILLAGE_FIRST = (
    "Sủng",
    "Lũng",
    "Pả",
    "Há",
    "Mè",
    "Tả",
    "Cán",
    "Khâu",
    "Mó",
    "Pó",
    "Sà",
    "Tìa",
    "Xín",
    "Lùng",
    "Chúng",
)
VILLAGE_SECOND = (
    "Phìn",
    "Chư",
    "Lầu",
    "Pờ",
    "Sán",
    "Tráng",
    "Dìn",
    "Chá",
    "Ván",
    "Lủng",
    "Cai",
    "Thầu",
    "Sảng",
    "Trang",
    "Hồ",
    "Mần",
)
SURNAMES = tuple(
    [
        "Giàng",
        "Sùng",
        "Vàng",
        "Lù",
        "Thào",
        "Ly",
        "Mua",
        "Hầu",
        "Lò",
        "Chảo",
        "Sình",
        "Vừ",
        "Cứ",
        "Dương",
        "Nông",
        "Hoàng",
        "Lục",
        "Ma",
    ]
)
MIDDLE_NAMES = ("Mí", "Seo", "Chứ", "Thị", "Văn", "Mạnh", "Xuân", "Quốc", "Thị", "Văn")
GIVEN_NAMES = tuple(
    [
        "Chứ",
        "Dình",
        "Pó",
        "Sính",
        "Sử",
        "Páo",
        "Súa",
        "Mua",
        "Chá",
        "Lầu",
        "Vư",
        "Già",
        "Dế",
        "Sủng",
        "Chơ",
        "Mỷ",
        "Dợ",
        "Say",
        "Sía",
        "Mai",
        "Xá",
        "Pà",
        "Dủa",
        "Cở",
        "Tủa",
        "Lử",
        "Nhè",
        "Kháy",
        "Pháy",
        "Lình",
        "Hờ",
        "Chúng",
        "Tráng",
        "Sinh",
        "Dũng",
        "Hùng",
        "Lan",
        "Hoa",
        "Huyền",
    ]
)
EXCUSED = ("ốm", "đi viện", "việc gia đình", "đi công tác", "đi học tập trung", "đám cưới con")
AWAY = "đi làm ăn xa"
SITUATIONS = (
    "Các hộ ổn định, chăm lo sản xuất",
    "Các hộ chấp hành tốt chủ trương, chính sách",
    "Các hộ tích cực cải tạo vườn tạp",
    "Tình hình an ninh trật tự ổn định",
    "Các hộ cho con em đến trường đầy đủ",
)


@dataclass(frozen=True)
class MeoVacParameters:
    year: int = 2023
    party_committees: int = 21  # đảng bộ cơ sở: the town, the communes, then agencies'
    branches: int = 308  # under them
    cells: int = 34  # chi bộ cơ sở
    members: int = 4705
    town_branches: int = 18
    town_members: int = 283
    bon_tot_branches: int = 109
    bon_tot_cells: int = 33
    seed: int = 2023
    concurrency: int = 8  # cells entered at once: each is its own set of aggregates
    province_id: str = "HG"
    district_id: str = "MV"
    wait_seconds: float = 600.0  # the longest wait for events to flow before giving up


DEFAULTS = MeoVacParameters()


@dataclass(frozen=True)
class Thresholds:
    """Every measure the plan relies on, as GET /v1/rule-sets/{year} gives it."""

    rule_set: str
    since: int
    coverage: float
    report_compliance: float
    regular_meetings: int
    quality_meeting_share: float
    members_disciplined_max: int
    removal_flags_max: int
    members_good_share: float
    members_not_completed_max: int
    attendance_above: float
    max_unexcused: int
    max_absent_in_a_row: int
    min_minutes: int | None  # None: no minimum length in force that year
    minutes_required: bool
    prepared_required: bool
    tasks_done_below: float
    discipline_from: str
    admitted_within_months: int
    removal_months: int
    months_a_year: int  # Charter art. 24: the branch meets monthly
    cell_max_members: int

    @classmethod
    def from_rule_set(cls, found: Mapping[str, Any]) -> Thresholds:
        def value(*path: str) -> Any:
            node: Any = found
            for key in path:
                if not isinstance(node, Mapping) or node.get(key) is None:
                    raise PlanError(f"the rule set {found.get('id')} has no {'.'.join(path)}")
                node = node[key]
            return node["value"]

        b, q, c = ("bon_tot",), ("meeting_quality",), ("charter",)
        return cls(
            rule_set=str(found["id"]),
            since=int(value(*b, "since")),
            coverage=float(value(*b, "coverage")),
            report_compliance=float(value(*b, "report_compliance")),
            regular_meetings=int(value(*b, "regular_meetings")),
            quality_meeting_share=float(value(*b, "quality_meeting_share")),
            members_disciplined_max=int(value(*b, "members_disciplined_max")),
            removal_flags_max=int(value(*b, "removal_flags_max")),
            members_good_share=float(value(*b, "members_good_share")),
            members_not_completed_max=int(value(*b, "members_not_completed_max")),
            attendance_above=float(value(*q, "attendance_above")),
            max_unexcused=int(value(*q, "max_unexcused")),
            max_absent_in_a_row=int(value(*q, "max_absent_in_a_row")),
            min_minutes=_optional_int(found, "min_minutes"),
            minutes_required=bool(value(*q, "minutes_required")),
            prepared_required=bool(value(*q, "prepared_required")),
            tasks_done_below=float(value("member", "forced", "tasks_done_below")),
            discipline_from=str(value("member", "forced", "discipline_from")),
            admitted_within_months=int(value("member", "not_rated", "admitted_within_months")),
            removal_months=int(value(*c, "removal_months")),
            months_a_year=int(value(*c, "regular_meetings_per_year")),
            cell_max_members=int(value(*c, "grassroots_cell_max_members")),
        )


# --- the plan --------------------------------------------------------------------------------


@dataclass
class MemberPlan:
    name: str
    birth_date: date
    admission_date: date
    card_number: str
    committee: bool = False
    assigned: bool = True
    households: int = 5
    absent: dict[int, tuple[Status, str | None]] = field(default_factory=dict)  # month →
    missing_reports: set[int] = field(default_factory=set)
    late_reports: set[int] = field(default_factory=set)
    appraisal: str = "good"
    note: str = ""
    disciplined: bool = False
    member_id: str = ""  # learnt from the roster once the import has flowed


@dataclass
class MeetingPlan:
    month: int
    day: int
    start: tuple[int, int]  # local hour, minute
    minutes: int
    prepared: bool = True
    recorded: bool = True  # the minutes book kept


@dataclass
class CellPlan:
    """A branch-level cell: a branch (chi bộ trực thuộc) or a chi bộ cơ sở."""

    unit_id: str
    name: str
    place: str
    kind: CellKind
    parent_id: str
    members: list[MemberPlan]
    meetings: list[MeetingPlan] = field(default_factory=list)
    title: bool = False  # planned to hold "chi bộ bốn tốt"
    causes: list[str] = field(default_factory=list)

    @property
    def secretary(self) -> MemberPlan:
        return self.members[0]


@dataclass
class CommitteePlan:
    """A đảng bộ cơ sở and its branches."""

    unit_id: str
    name: str
    branches: list[CellPlan] = field(default_factory=list)


@dataclass
class DistrictPlan:
    params: MeoVacParameters
    thresholds: Thresholds
    committees: list[CommitteePlan]
    cells: list[CellPlan]  # chi bộ cơ sở

    @property
    def branches(self) -> list[CellPlan]:
        return [b for c in self.committees for b in c.branches]

    @property
    def all_cells(self) -> list[CellPlan]:
        return [*self.branches, *self.cells]

    @property
    def members(self) -> list[MemberPlan]:
        return [m for c in self.all_cells for m in c.members]

    def summary(self) -> dict[str, Any]:
        t = self.thresholds
        causes = Counter(cause for c in self.all_cells for cause in c.causes)
        return {
            "organisations": len(self.committees) + len(self.cells),
            "party_committees": len(self.committees),
            "branches": len(self.branches),
            "grassroots_cells": len(self.cells),
            "members": len(self.members),
            "bon_tot_branches": sum(1 for b in self.branches if title(b, t)),
            "bon_tot_cells": sum(1 for c in self.cells if title(c, t)),
            "short_of_the_title_by": dict(sorted(causes.items())),
            "criteria_failed": dict(
                sorted(
                    Counter(
                        name
                        for c in self.all_cells
                        for name, ok in criteria(c, t).items()
                        if not ok
                    ).items()
                )
            ),
        }


# --- judging a cell as the rating service will -----------------------------------------------


def member_level(member: MemberPlan, t: Thresholds) -> str:
    """The level the service proposes from the appraisal: discipline or under half the tasks
    done force "not completed"; with no task on record, "good" cannot be shown."""
    if member.disciplined:
        return "not_completed"
    if member.assigned:
        done = t.months_a_year - len(member.missing_reports)
        if done / t.months_a_year < t.tasks_done_below:
            return "not_completed"
        return member.appraisal
    return "completed" if member.appraisal in ("excellent", "good") else member.appraisal


def meeting_quality(cell: CellPlan, t: Thresholds) -> list[bool]:
    """Each meeting, in order, judged as `rating/domain/branch_record.judge_meeting` does."""
    runs: dict[int, int] = {}
    found = []
    for meeting in sorted(cell.meetings, key=lambda m: m.month):
        present = unexcused = 0
        for i, member in enumerate(cell.members):
            mark = member.absent.get(meeting.month)
            if mark is None:
                present += 1
                runs[i] = 0
            else:
                runs[i] = runs.get(i, 0) + 1
                unexcused += mark[0] == "absent_unexcused"
        rate = round(present / len(cell.members), 4)
        found.append(
            rate > t.attendance_above
            and unexcused <= t.max_unexcused
            and max(runs.values(), default=0) <= t.max_absent_in_a_row
            and (t.min_minutes is None or meeting.minutes >= t.min_minutes)
            and (meeting.recorded or not t.minutes_required)
            and (meeting.prepared or not t.prepared_required)
        )
    return found


def criteria(cell: CellPlan, t: Thresholds) -> dict[str, bool]:
    """The four criteria as `rating/domain/bon_tot.py` judges them."""
    members = cell.members
    eligible = [m for m in members if not m.committee]
    assigned = [m for m in members if m.assigned]
    expected = t.months_a_year * len(assigned)
    submitted = sum(t.months_a_year - len(m.missing_reports) for m in assigned)
    quality = meeting_quality(cell, t)
    held = len({m.month for m in cell.meetings})
    levels = [member_level(m, t) for m in members]
    good = sum(1 for x in levels if x in ("excellent", "good"))
    flags = sum(
        1
        for m in members
        if sum(1 for s, _ in m.absent.values() if s == "absent_unexcused") >= t.removal_months
    )
    return {
        "political": bool(eligible)
        and expected > 0
        and sum(1 for m in eligible if m.assigned) / len(eligible) >= t.coverage
        and submitted / expected >= t.report_compliance,
        "meetings": held >= t.regular_meetings
        and bool(quality)
        and sum(quality) / len(quality) >= t.quality_meeting_share,
        "unity": sum(1 for m in members if m.disciplined) <= t.members_disciplined_max
        and flags <= t.removal_flags_max,
        "cadres": good / len(members) >= t.members_good_share
        and levels.count("not_completed") <= t.members_not_completed_max,
    }


def title(cell: CellPlan, t: Thresholds) -> bool:
    return all(criteria(cell, t).values())


# --- building the district -------------------------------------------------------------------


def plan_district(params: MeoVacParameters, t: Thresholds) -> DistrictPlan:
    """The whole district and its year, decided before anything is sent."""
    p = params
    if t.since > p.year:
        raise PlanError(f"'chi bộ bốn tốt' is given from {t.since}, not in {p.year}")
    if t.regular_meetings > t.months_a_year or t.regular_meetings < 2:
        raise PlanError(f"{t.regular_meetings} regular meetings a year cannot be planned")
    if not 0 <= p.bon_tot_branches <= p.branches or not 0 <= p.bon_tot_cells <= p.cells:
        raise PlanError("more bốn tốt cells than cells")
    rng = random.Random(p.seed)
    communes = min(len(COMMUNES), p.party_committees - 1)
    agencies = p.party_committees - 1 - communes
    if agencies > len(AGENCY_COMMITTEES) or p.party_committees < 1:
        raise PlanError(f"{p.party_committees} đảng bộ cơ sở: at most {1 + len(COMMUNES)} ...")
    agency_sizes = [rng.randint(4, 8) for _ in range(agencies)]
    rest = p.branches - p.town_branches - sum(agency_sizes)
    if (communes and rest < 3 * communes) or (not communes and rest):
        raise PlanError(f"{rest} branches cannot be shared by {communes} communes")
    commune_sizes = _split(rng, rest, communes, 3, 40) if communes else []
    branch_counts = [p.town_branches, *commune_sizes, *agency_sizes]

    small = t.cell_max_members - 1  # a chi bộ cơ sở has fewer than the Charter's number
    cell_sizes = [rng.randint(min(9, small), min(24, small)) for _ in range(p.cells)]
    others = p.members - p.town_members - sum(cell_sizes)
    other_branches = p.branches - p.town_branches
    if (other_branches and others < 5 * other_branches) or (not other_branches and others):
        raise PlanError(f"{others} members cannot fill {other_branches} branches")
    branch_sizes = _split(rng, p.town_members, p.town_branches, 5, 35)
    branch_sizes += _split(rng, others, other_branches, 5, 35) if other_branches else []

    serial = 0
    committees: list[CommitteePlan] = []
    sizes = iter(branch_sizes)
    for index, count in enumerate(branch_counts):
        if index == 0:
            name, kind = TOWN, "town"
        elif index <= communes:
            name, kind = COMMUNES[index - 1], "commune"
        else:
            name, kind = AGENCY_COMMITTEES[index - 1 - communes], "agency"
        committee = CommitteePlan(f"{p.district_id}-G{index + 1:02}", f"Đảng bộ {name}")
        villages: set[str] = set()
        for number in range(1, count + 1):
            unit_id = f"{committee.unit_id}-B{number:02}"
            if kind == "town":
                first_school = count - len(TOWN_SCHOOLS)
                label = (
                    TOWN_SCHOOLS[number - 1 - first_school]
                    if number > first_school
                    else f"Chi bộ tổ dân phố {number}"
                )
                where = label.removeprefix("Chi bộ ")
                place = f"Phòng họp {where}" if number > first_school else f"Nhà văn hóa {where}"
            elif kind == "commune":
                village = (
                    "Pả Vi Hạ"  # the seed's photograph: Chi bộ thôn Pả Vi Hạ, Đảng bộ xã Pả Vi
                    if name == "xã Pả Vi" and number == 1
                    else _unique(rng, villages, _village)
                )
                villages.add(village)
                label, place = f"Chi bộ thôn {village}", f"Nhà văn hóa thôn {village}"
            else:
                label, place = f"Chi bộ số {number}", f"Hội trường {name}"
            members = _members(rng, next(sizes), 10_000 + 100 * serial, p.year, t)
            serial += 1
            committee.branches.append(
                CellPlan(unit_id, label, place, "branch", committee.unit_id, members)
            )
        committees.append(committee)
    for committee in committees:
        found = sum(len(b.members) for b in committee.branches)
        if found < t.cell_max_members:
            raise PlanError(f"{committee.unit_id} has {found} members: a đảng bộ cơ sở needs more")

    cells = []
    school_places = iter(COMMUNES * 2)
    for index, size in enumerate(cell_sizes):
        if index < len(CELL_AGENCIES):
            label = CELL_AGENCIES[index]
        else:
            level = "THCS" if index % 2 else "Tiểu học"
            label = f"Trường PTDTBT {level} {next(school_places).removeprefix('xã ')}"
        members = _members(rng, size, 10_000 + 100 * serial, p.year, t)
        serial += 1
        cells.append(
            CellPlan(
                f"{p.district_id}-C{index + 1:02}",
                f"Chi bộ {label}",
                f"Hội trường {label}",
                "grassroots_cell",
                p.district_id,
                members,
            )
        )

    plan = DistrictPlan(p, t, committees, cells)
    branches = plan.branches
    for cell in rng.sample(branches, p.bon_tot_branches) + rng.sample(cells, p.bon_tot_cells):
        cell.title = True
    for cell in plan.all_cells:
        _year(rng, cell, p, t)
    check_plan(plan)
    return plan


def _year(rng: random.Random, cell: CellPlan, p: MeoVacParameters, t: Thresholds) -> None:
    """The cell's year: ordinary noise (absences with reason, a short meeting, a member only
    "completed", late reports) kept within the title where the cell is to hold it, and the
    causes that keep it short where it is not."""
    evening = cell.place.startswith("Nhà văn hóa")  # residents meet after the day's work
    start = (19, 30) if evening else (14, 0)
    base = [
        MeetingPlan(month, rng.randint(3, 10), start, rng.choice((95, 100, 110, 120)))
        for month in range(1, t.months_a_year + 1)
    ]
    cell.secretary.committee = True
    for member in cell.members:
        member.households = rng.randint(5, 7)
    pristine = _snapshot(cell)
    causes: list[str] = []
    if not cell.title:
        causes = [_draw(rng)]
        if rng.random() < SECOND_CAUSE:
            causes.append(_draw(rng, exclude=causes[0]))
    for _attempt in range(CONFLICT_FREE_TRIES):
        _restore(cell, pristine)
        cell.meetings = [MeetingPlan(m.month, m.day, m.start, m.minutes) for m in base]
        _noise(rng, cell, t)
        for cause in causes:
            CAUSE_MAKERS[cause](rng, cell, t)
        if title(cell, t) == cell.title:
            cell.causes = causes
            return
    # Without noise: the title holds by construction, and every cause makes a criterion fail.
    _restore(cell, pristine)
    cell.meetings = base
    for cause in causes:
        CAUSE_MAKERS[cause](rng, cell, t)
    cell.causes = causes
    if title(cell, t) != cell.title:
        raise PlanError(f"{cell.unit_id}: cannot plan the title as {cell.title} ({causes})")


def _draw(rng: random.Random, exclude: str | None = None) -> str:
    names = [c for c in CAUSES if c != exclude]
    return rng.choices(names, weights=[CAUSES[c] for c in names])[0]


def _snapshot(cell: CellPlan) -> list[tuple[bool, bool, int]]:
    return [(m.committee, m.assigned, m.households) for m in cell.members]


def _restore(cell: CellPlan, snapshot: list[tuple[bool, bool, int]]) -> None:
    for member, (committee, assigned, households) in zip(cell.members, snapshot, strict=True):
        member.committee, member.assigned, member.households = committee, assigned, households
        member.absent, member.missing_reports, member.late_reports = {}, set(), set()
        member.appraisal, member.note, member.disciplined = "good", "", False


def _noise(rng: random.Random, cell: CellPlan, t: Thresholds) -> None:
    months = [m.month for m in cell.meetings]
    for member in cell.members[1:]:
        if rng.random() < 0.15:
            for month in rng.sample(months, rng.randint(1, 2)):
                member.absent[month] = ("absent_excused", rng.choice(EXCUSED))
        if rng.random() < 0.1:
            member.late_reports.add(rng.choice(months))
    if rng.random() < 0.3:
        cut = rng.choice((10, 15, 20))
        meeting = rng.choice(cell.meetings)
        if t.min_minutes is not None:  # a short meeting is noise only where a minimum holds
            meeting.minutes = t.min_minutes - cut
    if rng.random() < 0.2 and len(cell.members) > 1:
        _appraise(rng.choice(cell.members[1:]), "completed", "Chưa chủ động nắm tình hình hộ")


def _ordinary(cell: CellPlan) -> list[MemberPlan]:
    return [m for m in cell.members if not m.committee]


def _bad_needed(held: int, t: Thresholds) -> int:
    """The fewest meetings not of quality that keep the share under the bar."""
    return min(k for k in range(held + 1) if (held - k) / held < t.quality_meeting_share)


def _some_months(rng: random.Random, cell: CellPlan, count: int) -> list[int]:
    months = sorted(m.month for m in cell.meetings)
    return sorted(rng.sample(months, min(count, len(months))))


def _missed_month(rng: random.Random, cell: CellPlan, t: Thresholds) -> None:
    """A month (or more, if the bar is lower than monthly) without a regular meeting: the
    meeting put off for Tết, the harvest or the rains and not held that month."""
    drop = len(cell.meetings) - (t.regular_meetings - 1)
    likely = [m for m in cell.meetings if m.month in (1, 2, 7, 8, 9)] or cell.meetings
    for meeting in rng.sample(likely, min(drop, len(likely))):
        cell.meetings.remove(meeting)
        for member in cell.members:
            member.absent.pop(meeting.month, None)


def _short_meetings(rng: random.Random, cell: CellPlan, t: Thresholds) -> None:
    """Meetings that ran short of the minimum: a reading of the resolution and little else.
    Before a minimum length was in force (HD 42, 2025), such a meeting shows in its minutes
    book, which was not kept."""
    count = min(len(cell.meetings), _bad_needed(len(cell.meetings), t) + rng.randint(0, 2))
    for meeting in rng.sample(cell.meetings, count):
        cut = rng.choice((15, 20, 30, 40))
        if t.min_minutes is not None:
            meeting.minutes = t.min_minutes - cut
        else:
            meeting.recorded = False


def _unprepared(rng: random.Random, cell: CellPlan, t: Thresholds) -> None:
    """Meetings held without the committee meeting first to prepare them."""
    if not t.prepared_required:
        return _short_meetings(rng, cell, t)
    for meeting in rng.sample(cell.meetings, _bad_needed(len(cell.meetings), t)):
        meeting.prepared = False
    return None


def _unexcused_absences(rng: random.Random, cell: CellPlan, t: Thresholds) -> None:
    """Members absent without reason, each fewer times than the Charter's removal count."""
    each = max(1, t.removal_months - 1)
    budget = {id(m): each for m in _ordinary(cell)}
    people = _ordinary(cell)
    for month in _some_months(rng, cell, _bad_needed(len(cell.meetings), t)):
        free = [m for m in people if budget[id(m)] and month not in m.absent]
        for member in rng.sample(free, min(len(free), t.max_unexcused + 1)):
            member.absent[month] = ("absent_unexcused", None)
            budget[id(member)] -= 1


def _poor_attendance(rng: random.Random, cell: CellPlan, t: Thresholds) -> None:
    """Meetings where too many members were away with reason (the harvest, a funeral)."""
    n = len(cell.members)
    away = min(a for a in range(n + 1) if round((n - a) / n, 4) <= t.attendance_above)
    people = _ordinary(cell)
    for month in _some_months(rng, cell, _bad_needed(len(cell.meetings), t)):
        for member in rng.sample(people, min(away, len(people))):
            member.absent[month] = ("absent_excused", rng.choice(EXCUSED))


def _reports_missing(rng: random.Random, cell: CellPlan, t: Thresholds) -> None:
    """Members who went to work far away for months and stopped reporting on their
    households (away from the meetings too, with reason); the committee appraises them only
    "completed"."""
    year = t.months_a_year
    most = max(r for r in range(year + 1) if (year - r) / year >= t.tasks_done_below)
    assigned = [m for m in cell.members if m.assigned]
    expected = year * len(assigned)
    needed = min(k for k in range(expected + 1) if (expected - k) / expected < t.report_compliance)
    people = _ordinary(cell)
    rng.shuffle(people)
    for member in people:
        if needed <= 0:
            break
        span = rng.randint(max(1, most // 2), most)
        first = rng.randint(1, year - span + 1)
        months = set(range(first, first + span))
        member.missing_reports = months
        member.late_reports -= months
        for month in months:
            if any(m.month == month for m in cell.meetings):
                member.absent[month] = ("absent_excused", AWAY)
        _appraise(member, "completed", f"Đi làm ăn xa, không báo cáo {span} tháng")
        needed -= span


def _completed_members(rng: random.Random, cell: CellPlan, t: Thresholds) -> None:
    """Members the committee appraises only "completed": households followed in name only."""
    n = len(cell.members)
    count = min(c for c in range(n + 1) if (n - c) / n < t.members_good_share)
    people = _ordinary(cell) or cell.members
    for member in rng.sample(people, min(count, len(people))):
        _appraise(member, "completed", "Chưa sâu sát các hộ được phân công theo dõi")
    if count > len(people):  # only if the bar asks more than the ordinary members
        _appraise(cell.secretary, "completed", "Chưa hoàn thành tốt nhiệm vụ")


def _disciplined(rng: random.Random, cell: CellPlan, t: Thresholds) -> None:
    """A member reprimanded in the year; the committee appraises them "not completed"."""
    member = rng.choice(_ordinary(cell) or cell.members)
    member.disciplined = True
    _appraise(member, "not_completed", "Bị kỷ luật khiển trách trong năm")


def _removal_flag(rng: random.Random, cell: CellPlan, t: Thresholds) -> None:
    """A member absent without reason in the Charter's number of months (art. 8)."""
    member = rng.choice(_ordinary(cell) or cell.members)
    months = rng.sample([m.month for m in cell.meetings], t.removal_months)
    for month in months:
        member.absent[month] = ("absent_unexcused", None)
    _appraise(member, "completed", "Nhiều lần bỏ sinh hoạt chi bộ không có lý do")


def _unassigned(rng: random.Random, cell: CellPlan, t: Thresholds) -> None:
    """A member back from working far away, left out of the year's plan: no task, no report."""
    people = _ordinary(cell)
    if not people:
        return _completed_members(rng, cell, t)
    member = rng.choice(people)
    member.assigned = False
    member.missing_reports, member.late_reports = set(), set()
    _appraise(member, "completed", "Chưa được phân công nhiệm vụ cụ thể")
    return None


def _appraise(member: MemberPlan, level: str, note: str) -> None:
    order = ("excellent", "good", "completed", "not_completed")
    if order.index(level) > order.index(member.appraisal):
        member.appraisal, member.note = level, note


CAUSE_MAKERS: dict[str, Callable[[random.Random, CellPlan, Thresholds], None]] = {
    "missed_month": _missed_month,
    "short_meetings": _short_meetings,
    "unprepared": _unprepared,
    "unexcused_absences": _unexcused_absences,
    "poor_attendance": _poor_attendance,
    "reports_missing": _reports_missing,
    "completed_members": _completed_members,
    "disciplined": _disciplined,
    "removal_flag": _removal_flag,
    "unassigned": _unassigned,
}


def check_plan(plan: DistrictPlan) -> None:
    """The figures, and every cause doing what it is for, before anything is sent."""
    p, t = plan.params, plan.thresholds
    found = (
        len(plan.committees),
        len(plan.branches),
        len(plan.cells),
        len(plan.members),
        sum(1 for b in plan.branches if title(b, t)),
        sum(1 for c in plan.cells if title(c, t)),
    )
    wanted = (
        p.party_committees,
        p.branches,
        p.cells,
        p.members,
        p.bon_tot_branches,
        p.bon_tot_cells,
    )
    if found != wanted:
        raise PlanError(f"the plan gives {found}, not {wanted}")
    if len({m.card_number for m in plan.members}) != len(plan.members):
        raise PlanError("card numbers repeat")
    for cell in plan.all_cells:
        if len({m.name for m in cell.members}) != len(cell.members):
            raise PlanError(f"{cell.unit_id}: names repeat")
        if cell.kind == "grassroots_cell" and len(cell.members) >= t.cell_max_members:
            raise PlanError(f"{cell.unit_id}: too many members for a chi bộ cơ sở")
        held = {m.month for m in cell.meetings}
        for member in cell.members:
            if not set(member.absent) <= held:
                raise PlanError(f"{cell.unit_id}: an absence in a month without a meeting")


# --- helpers ---------------------------------------------------------------------------------


def _split(rng: random.Random, total: int, parts: int, low: int, high: int) -> list[int]:
    """`total` over `parts` numbers in [low, high], uneven as real ones are."""
    if not low * parts <= total <= high * parts:
        raise PlanError(f"{total} cannot be split into {parts} parts of {low}-{high}")
    base, extra = divmod(total, parts)
    sizes = [base + (i < extra) for i in range(parts)]
    for _ in range(parts * 3):
        a, b = rng.randrange(parts), rng.randrange(parts)
        step = rng.randint(1, 3)
        if a != b and sizes[a] - step >= low and sizes[b] + step <= high:
            sizes[a] -= step
            sizes[b] += step
    rng.shuffle(sizes)
    return sizes


def _village(rng: random.Random) -> str:
    return f"{rng.choice(VILLAGE_FIRST)} {rng.choice(VILLAGE_SECOND)}"


def _unique(rng: random.Random, taken: set[str], make: Callable[[random.Random], str]) -> str:
    for _ in range(1000):
        candidate = make(rng)
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    raise PlanError("ran out of distinct names")


def _person(rng: random.Random) -> str:
    name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"
    return unicodedata.normalize("NFC", name)


def _members(
    rng: random.Random, count: int, first_card: int, year: int, t: Thresholds
) -> list[MemberPlan]:
    """Members admitted long enough before the year's end to be rated."""
    latest = year - 1 - t.admitted_within_months // 12
    names: set[str] = set()
    found = []
    for i in range(count):
        name = _unique(rng, names, _person)
        born = date(rng.randint(1958, 1996), rng.randint(1, 12), rng.randint(1, 28))
        admitted_year = min(born.year + rng.randint(20, 32), latest)
        admitted = date(admitted_year, rng.randint(1, 12), rng.randint(1, 28))
        found.append(MemberPlan(name, born, admitted, f"{23_000_000 + first_card + i:08}"))
    return found


def member_file(plan: DistrictPlan) -> bytes:
    """The members as the national member database exports them (CSV, Vietnamese headers)."""
    return national_member_file((m, c.unit_id) for c in plan.all_cells for m in c.members)


__all__ = [
    "DEFAULTS",
    "CellPlan",
    "CommitteePlan",
    "DistrictPlan",
    "GeneratorError",
    "MemberPlan",
    "MeoVacParameters",
    "PlanError",
    "Thresholds",
    "criteria",
    "member_file",
    "member_level",
    "plan_district",
    "title",
]


def _optional_int(found: Mapping[str, Any], name: str) -> int | None:
    entry = found.get("meeting_quality", {}).get(name)
    return None if entry is None else int(entry["value"])
