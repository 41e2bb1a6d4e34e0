"""The application tests' world and commands: the assignment service's events that give
attendance its org tree, rosters and followings (what the roster consumer would apply), the
principals, and attendance's commands built from a day and a few marks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from delivered import registered

from attendance.domain import commands as c
from attendance.domain.events import AttendanceMark, MeetingKind
from chibo_chassis.auth import Principal, Role
from chibo_contracts import assignment as a
from chibo_kernel import DomainEvent
from chibo_kernel.clock import VIETNAM

from .branch import BRANCH, OTHER, UNITS

PATH = ("LC", "VB", "VL", BRANCH)
BOOK = f"meetings-{BRANCH}-2025"  # the branch's meeting book for 2025
NEXT_DOOR_BOOK = f"meetings-{OTHER}-2025"
NOW = datetime(2026, 1, 10, 9, 0, tzinfo=VIETNAM)  # the clock: every meeting of 2025 is over

ADMIN = Principal("an@tinh", Role.PROVINCE_ADMIN, ())
SECRETARY = Principal("lan@vl-tt", Role.BRANCH_SECRETARY, PATH)

MEMBERS = [f"tt-{i:03}" for i in range(1, 6)]  # the branch's members
CHAIR, EXEMPT = MEMBERS[0], MEMBERS[4]  # the secretary; exempt all of 2025
EXPECTED = MEMBERS[:4]
NEIGHBOUR = "kc-001"  # a member of the branch next door
FOLLOWER = "hb-001"  # a district committee member who follows the commune in 2025
VISITOR = "hb-002"  # another, who follows only the branch next door
STRANGER = "hb-003"  # one who follows nothing


def _paths() -> dict[str, list[str]]:
    paths: dict[str, list[str]] = {}
    for unit_id, _, _, parent in UNITS:
        paths[unit_id] = [*(paths[parent] if parent else []), unit_id]
    return paths


def assignment_world() -> list[DomainEvent]:
    """Lào Cai down to the two branches of Võ Lao, five members at the branch (one chairing,
    one exempt), one next door, and two district committee members' followings."""
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
    homes = [(m, BRANCH) for m in MEMBERS] + [(NEIGHBOUR, OTHER)]
    events += registered(homes)
    events += [
        a.MemberRoleGiven(
            member_id=CHAIR, branch_id=BRANCH, role="secretary", since=date(2020, 1, 1)
        ),
        a.MemberExempted(
            member_id=EXEMPT,
            branch_id=BRANCH,
            from_date=date(2025, 1, 1),
            to_date=None,
            reason="ốm",
        ),
        a.FollowingAssigned(follower_id=FOLLOWER, level="district", year=2025, unit_ids=["VL"]),
        a.FollowingAssigned(follower_id=VISITOR, level="district", year=2025, unit_ids=[OTHER]),
    ]
    return events


def at(day: str, time: str = "19:30") -> datetime:
    return datetime.fromisoformat(f"{day}T{time}:00+07:00")


def schedule(
    day: str, kind: MeetingKind = "regular", branch: str = BRANCH, **extra: str
) -> c.ScheduleMeeting:
    return c.ScheduleMeeting(branch, kind, at(day), "Nhà văn hóa", **extra)


def hold(
    meeting_id: str,
    day: str,
    *,
    attendance: tuple[AttendanceMark, ...] | None = None,
    guests: tuple[c.Guest, ...] = (),
) -> c.HoldMeeting:
    """From half past seven to five past nine, chaired by the secretary."""
    return c.HoldMeeting(
        meeting_id,
        started_at=at(day),
        ended_at=at(day, "21:05"),
        place="Nhà văn hóa",
        chair_id=CHAIR,
        minutes_recorded=True,
        prepared_by_committee=True,
        attendance=attendance,
        guests=guests,
    )


def marks(
    present: Sequence[str],
    *,
    excused: Mapping[str, str | None] | None = None,
    unexcused: Sequence[str] = (),
) -> tuple[AttendanceMark, ...]:
    """Everyone in `present` present, but those `excused` (member → reason) or `unexcused`."""
    excused = excused or {}
    absent = {*excused, *unexcused}
    return (
        tuple(AttendanceMark(member_id=m, status="present") for m in present if m not in absent)
        + tuple(
            AttendanceMark(member_id=m, status="absent_excused", reason=reason)
            for m, reason in excused.items()
        )
        + tuple(AttendanceMark(member_id=m, status="absent_unexcused") for m in unexcused)
    )


def roster_changes() -> list[DomainEvent]:
    """What changes rosters and the tree during 2025, after `assignment_world`: a transfer,
    a suspension, a departure, a temporary attendance, a committee role, units created,
    renamed, moved and dissolved."""
    opened = date(2025, 2, 1)
    return [
        a.MemberTransferred(
            member_id=MEMBERS[1], from_branch_id=BRANCH, to_branch_id=OTHER, on=date(2025, 6, 1)
        ),
        a.MemberSuspended(
            member_id=MEMBERS[2],
            branch_id=BRANCH,
            from_date=date(2025, 5, 1),
            to_date=date(2025, 5, 31),
            reason="kỷ luật",
        ),
        a.MemberLeft(member_id=MEMBERS[3], branch_id=BRANCH, on=date(2025, 7, 1), reason="chuyển"),
        a.TemporaryAttendanceStarted(
            member_id=NEIGHBOUR,
            home_branch_id=OTHER,
            host_branch_id=BRANCH,
            from_date=date(2025, 4, 1),
            to_date=date(2025, 4, 30),
        ),
        a.MemberRoleGiven(
            member_id=MEMBERS[1], branch_id=BRANCH, role="committee_member", since=opened
        ),
        a.OrgUnitCreated(
            unit_id="VL-MOI",
            kind="branch",
            name="Chi bộ mới",
            parent_id="VL",
            path=["LC", "VB", "VL", "VL-MOI"],
            valid_from=opened,
        ),
        a.OrgUnitCreated(
            unit_id="VL-CU",
            kind="branch",
            name="Chi bộ cũ",
            parent_id="VL",
            path=["LC", "VB", "VL", "VL-CU"],
            valid_from=opened,
        ),
        a.OrgUnitRenamed(unit_id=OTHER, name="Chi bộ thôn Khe Có mới", valid_from=opened),
        a.OrgUnitMoved(
            unit_id="VL-MOI",
            from_parent_id="VL",
            to_parent_id="VB",
            path=["LC", "VB", "VL-MOI"],
            valid_from=opened,
        ),
        a.OrgUnitDissolved(unit_id="VL-CU", valid_from=opened, reason="sáp nhập"),
    ]
