"""Problems raised at the monthly meeting (vấn đề nảy sinh) and followed until resolved.

A problem outlives the month it was raised in: it stays open, or goes up to a higher level,
until someone records how it was settled, so it is an aggregate of its own next to the
month's reports. What it is, the note it goes up with and how it was settled go to
`ProblemTexts`, beside the public stream (`private_texts.py`), under the member who raised it.
"""

from __future__ import annotations

from datetime import date

from chibo_kernel import DomainEvent
from chibo_kernel.domain import Aggregate

from .errors import RefusedMember
from .events import (
    EscalationNoteRecorded,
    ProblemDescriptionRecorded,
    ProblemEscalated,
    ProblemEscalatedV2,
    ProblemRaised,
    ProblemRaisedV2,
    ProblemResolutionRecorded,
    ProblemResolved,
    ProblemResolvedV2,
)
from .org import OrgUnit
from .private_texts import ProblemTexts
from .reports import written_text

# What a problem's state says of it, after "vấn đề của {name} tháng 10/2026 …".
_STATE = {
    "open": ("is open", "đang chờ giải quyết"),
    "escalated": ("has been handed up", "đã được chuyển lên cấp trên"),
    "resolved": ("has been resolved", "đã được giải quyết"),
}


class Problem(Aggregate):
    category = "problem"

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.branch_id = ""
        self.member_id = ""  # who raised it: the texts about it are theirs
        self.month = ""  # YYYY-MM: with its member's name, how people know a problem
        self.status = "none"

    def raise_(
        self,
        *,
        branch_id: str,
        member_id: str,
        month: str,
        description: str,
        raised_on: date,
        texts: ProblemTexts,
    ) -> None:
        description = written_text(description, "a problem", "vấn đề")
        self._emit(
            ProblemRaisedV2(
                problem_id=self.id,
                branch_id=branch_id,
                member_id=member_id,
                month=month,
                raised_on=raised_on,
            )
        )
        texts.record(
            ProblemDescriptionRecorded(
                problem_id=self.id, member_id=member_id, description=description
            )
        )

    def escalate(
        self,
        to_unit: OrgUnit,
        *,
        branch: OrgUnit,
        on: date,
        note: str,
        texts: ProblemTexts,
    ) -> None:
        """`branch`: the problem's, with its current path. Refusals hold `{name}`, the
        member who raised it, for the application to name (`Loader.named_member`)."""
        self._require("open")
        if to_unit.id not in branch.path[:-1]:
            en, vi = self._called()
            raise RefusedMember(
                "not_a_higher_level",
                self.member_id,
                f"{en} cannot be handed up to {to_unit.name or to_unit.id}: "
                f"it is not above {branch.name or branch.id}",
                f"không thể chuyển {vi} lên {to_unit.name or to_unit.id}: đơn vị này không "
                f"phải cấp trên của {branch.name or branch.id}",
            )
        note = written_text(note, "a note", "ghi chú")
        self._emit(
            ProblemEscalatedV2(
                problem_id=self.id, branch_id=self.branch_id, to_unit_id=to_unit.id, on=on
            )
        )
        noted = EscalationNoteRecorded(problem_id=self.id, member_id=self.member_id, note=note)
        texts.record(noted)

    def resolve(self, *, on: date, resolution: str, texts: ProblemTexts) -> None:
        self._require("open", "escalated")
        resolution = written_text(resolution, "the resolution", "cách giải quyết")
        self._emit(ProblemResolvedV2(problem_id=self.id, branch_id=self.branch_id, on=on))
        texts.record(
            ProblemResolutionRecorded(
                problem_id=self.id, member_id=self.member_id, resolution=resolution
            )
        )

    def _require(self, *states: str) -> None:
        if self.status not in states:
            en, vi = self._called()
            state_en, state_vi = _STATE.get(self.status, (self.status, self.status))
            raise RefusedMember(
                "problem_state", self.member_id, f"{en} {state_en}", f"{vi} {state_vi}"
            )

    def _called(self) -> tuple[str, str]:
        """The problem as people know it: who raised it, and in which month."""
        month_vi = f"{self.month[5:]}/{self.month[:4]}"
        return (
            f"the problem {{name}} raised in {self.month}",
            f"vấn đề của {{name}} tháng {month_vi}",
        )

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case ProblemRaised() | ProblemRaisedV2():
                self.branch_id, self.member_id = event.branch_id, event.member_id
                self.month = event.month
                self.status = "open"
            case ProblemEscalated() | ProblemEscalatedV2():
                self.status = "escalated"
            case ProblemResolved() | ProblemResolvedV2():
                self.status = "resolved"
