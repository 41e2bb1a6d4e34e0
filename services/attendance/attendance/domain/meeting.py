"""One meeting's state inside a branch's meeting book, as its events leave it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from chibo_kernel.clock import local_date
from chibo_kernel.errors import RuleViolation

from .events import AttendanceMark, MeetingKind, StatusMark

Status = Literal["scheduled", "held", "cancelled"]
KIND_VI: dict[str, str] = {
    "regular": "thường kỳ",
    "thematic": "chuyên đề",
    "committee": "chi ủy",
    "extraordinary": "bất thường",
}


@dataclass
class Meeting:
    meeting_id: str
    kind: MeetingKind
    month: str
    scheduled_for: datetime
    place: str
    status: Status = "scheduled"
    started_at: datetime | None = None
    ended_at: datetime | None = None
    chair_id: str | None = None
    marks: dict[str, AttendanceMark] = field(default_factory=dict)
    recorded: bool = False
    guests: set[str] = field(default_factory=set)

    @property
    def held_on(self) -> date:
        assert self.started_at is not None, "only a held meeting has a day"
        return local_date(self.started_at)

    def take_marks(self, marks: Iterable[AttendanceMark | StatusMark]) -> None:
        """A sheet's or a correction's marks: a v1 mark carries its reason, a v2 one's is in
        the book's notes."""
        self.recorded = True
        self.marks.update({m.member_id: AttendanceMark(**dict(m)) for m in marks})

    @property
    def called(self) -> tuple[str, str]:
        """The meeting as people know it, in English and Vietnamese: its kind and its day
        (held, or else scheduled)."""
        day = local_date(self.started_at or self.scheduled_for)
        return (
            f"the {self.kind} meeting of {day.isoformat()}",
            f"cuộc họp {KIND_VI.get(self.kind, self.kind)} ngày {day:%d/%m/%Y}",
        )

    def require_scheduled(self) -> None:
        en, vi = self.called
        if self.status == "held":
            raise RuleViolation(
                "meeting_already_held",
                f"{en} has already been held",
                f"{vi} đã được tổ chức",
            )
        if self.status == "cancelled":
            raise RuleViolation("meeting_cancelled", f"{en} was cancelled", f"{vi} đã bị hủy")

    def require_held(self) -> None:
        if self.status != "held":
            en, vi = self.called
            raise RuleViolation(
                "meeting_not_held",
                f"{en} has not been recorded as held",
                f"{vi} chưa được ghi nhận là đã tổ chức",
            )
