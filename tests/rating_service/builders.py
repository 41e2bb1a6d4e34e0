"""The application tests' world and commands: the assignment and attendance services' events
rating consumes (the organisation tree, the members' branches, a neighbour's three months of
unexcused absences), the principals, and rating's commands with the defaults a test does not
care about."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from attendance_service.branch import BRANCH, OTHER, UNITS
from delivered import registered

from chibo_chassis.auth import Principal, Role
from chibo_contracts import assignment as a
from chibo_contracts import attendance as t
from chibo_contracts.rating import Level
from chibo_kernel import DomainEvent
from chibo_kernel.clock import VIETNAM
from rating.domain import commands as c
from rating.domain.decisions import Decision

YEAR = 2025
COMMUNE = "VL"
PATH = ["LC", "VB", COMMUNE, BRANCH]
NEXT_DOOR_PATH = ["LC", "VB", COMMUNE, OTHER]

MEMBER = "tt-001"  # at the branch all along
NEIGHBOUR = "tt-002"  # at the branch, absent without reason in three months of the year
MOVER = "kc-002"  # next door until 1 September of the year, then at the branch
LEAVER = "tt-003"  # left the party in June of the year
NEXT_DOOR = "kc-001"  # next door all along
ABSENT_MONTHS = ["2025-03", "2025-04", "2025-05"]


def book(unit_id: str, year: int = YEAR) -> str:
    """The stream of a unit's rating book."""
    return f"ratings-{unit_id}-{year}"


def notes(unit_id: str, year: int = YEAR) -> str:
    """The stream of the texts kept beside a unit's rating book."""
    return f"ratings_private-{unit_id}-{year}"


NOTE = "Hoàn thành tốt công việc được giao"  # every appraisal's note


def private_file(member_id: str, year: int = YEAR) -> str:
    """The stream of a member's private rating file."""
    return f"rating_file_private-{member_id}-{year}"


ADMIN = Principal("an@tinh", Role.PROVINCE_ADMIN, ())
BOARD = Principal("hoa@van-ban", Role.ORGANISATION_BOARD, ("LC", "VB"))
COMMITTEE = Principal("binh@vo-lao", Role.GRASSROOTS_COMMITTEE, ("LC", "VB", COMMUNE))
SECRETARY = Principal("lan@vl-tt", Role.BRANCH_SECRETARY, tuple(PATH))
NEXT_DOOR_SECRETARY = Principal("son@vl-kc", Role.BRANCH_SECRETARY, tuple(NEXT_DOOR_PATH))
OWN = Principal(MEMBER, Role.MEMBER, tuple(PATH), member_id=MEMBER)


def _paths() -> dict[str, list[str]]:
    paths: dict[str, list[str]] = {}
    for unit_id, _, _, parent in UNITS:
        paths[unit_id] = [*(paths[parent] if parent else []), unit_id]
    return paths


def consumed_world() -> list[DomainEvent]:
    """What rating has consumed: Lào Cai down to the two branches of Võ Lao, the members
    above, and the branch's meetings of March to May, the neighbour absent from each."""
    paths = _paths()
    events: list[DomainEvent] = [
        a.OrgUnitCreated(
            unit_id=unit_id,
            kind=kind,
            name=name,
            parent_id=parent,
            path=paths[unit_id],
            valid_from=date(2020, 1, 1),
        )
        for unit_id, kind, name, parent in UNITS
    ]
    homes = [(MEMBER, BRANCH), (NEIGHBOUR, BRANCH), (LEAVER, BRANCH)]
    homes += [(MOVER, OTHER), (NEXT_DOOR, OTHER)]
    events += registered(homes)
    events += [
        a.MemberTransferred(
            member_id=MOVER, from_branch_id=OTHER, to_branch_id=BRANCH, on=date(YEAR, 9, 1)
        ),
        a.MemberLeft(member_id=LEAVER, branch_id=BRANCH, on=date(YEAR, 6, 30), reason="xin ra"),
    ]
    for month in ABSENT_MONTHS:
        events += _meeting(month, {MEMBER: "present", NEIGHBOUR: "absent_unexcused"})
    return events


def _meeting(month: str, marks: dict[str, t.AttendanceStatus]) -> list[DomainEvent]:
    meeting_id = f"{BRANCH}-{month}"
    start = datetime.fromisoformat(f"{month}-05T08:00").replace(tzinfo=VIETNAM)
    where = "Nhà văn hóa thôn"
    return [
        t.MeetingScheduled(
            meeting_id=meeting_id,
            branch_id=BRANCH,
            kind="regular",
            month=month,
            scheduled_for=start,
            place=where,
            topic="",
            extra_reason=None,
        ),
        t.MeetingHeld(
            meeting_id=meeting_id,
            branch_id=BRANCH,
            kind="regular",
            month=month,
            started_at=start,
            ended_at=start + timedelta(hours=2),
            place=where,
            chair_id=MEMBER,
            minutes_recorded=True,
            prepared_by_committee=True,
        ),
        t.AttendanceRecorded(
            meeting_id=meeting_id,
            branch_id=BRANCH,
            kind="regular",
            held_on=start.date(),
            marks=[t.AttendanceMark(member_id=m, status=s) for m, s in marks.items()],
        ),
    ]


# Rating's commands, with what a test does not care about filled in.


def self_assessment(member_id: str = MEMBER, tasks_on_time: int = 9) -> c.SubmitSelfAssessment:
    return c.SubmitSelfAssessment(
        member_id,
        YEAR,
        general_points=28,
        task_points=60,
        tasks_total=10,
        tasks_on_time=tasks_on_time,
        tasks_exceeded=2,
        level="good",
    )


def appraisal(
    member_id: str = MEMBER, year: int = YEAR, level: Level = "good"
) -> c.RecordAppraisal:
    return c.RecordAppraisal(member_id, year, level, note=NOTE)


def discipline(member_id: str = MEMBER, decided_on: date = date(YEAR, 7, 1)) -> c.RecordDiscipline:
    return c.RecordDiscipline(member_id, YEAR, "reprimand", decided_on, "Chậm nộp báo cáo")


def leave(start: date, end: date, member_id: str = MEMBER) -> c.RecordLeave:
    return c.RecordLeave(member_id, YEAR, "sick", start, end)


def unit_appraisal(unit_id: str = BRANCH, points: float | None = 92) -> c.AppraiseUnit:
    return c.AppraiseUnit(
        unit_id,
        YEAR,
        "excellent",
        points=points,
        targets_total=10,
        targets_done=10,
        targets_exceeded=4,
    )


def allowance(unit_id: str = COMMUNE, reason: str = "Đơn vị tiêu biểu") -> c.GrantAllowance:
    return c.GrantAllowance(unit_id, YEAR, date(YEAR, 12, 1), reason)


def decide(member_id: str, level: Level, unit_id: str = BRANCH) -> c.Decide:
    decisions = (Decision(member_id, level),)
    return c.Decide(unit_id, YEAR, decisions, date(YEAR, 12, 20))


def cancel(subject_id: str, by_unit_id: str = COMMUNE, unit_id: str = BRANCH) -> c.CancelDecision:
    return c.CancelDecision(
        unit_id,
        YEAR,
        subject_id,
        by_unit_id,
        reason="Chưa xem xét kết luận của Ủy ban kiểm tra",
        cancelled_on=date(YEAR, 12, 28),
    )


def cohort(cohort_id: str, unit_id: str = BRANCH) -> c.SetCohort:
    return c.SetCohort(unit_id, YEAR, cohort_id, date(YEAR, 11, 1))


def propose_removal(member_id: str = NEIGHBOUR) -> c.ProposeRemoval:
    return c.ProposeRemoval(member_id, YEAR, date(YEAR, 6, 10))


def decide_removal(member_id: str = NEIGHBOUR, removed: bool = True) -> c.DecideRemoval:
    return c.DecideRemoval(member_id, YEAR, removed, date(YEAR, 7, 1), "Bỏ sinh hoạt ba tháng")
