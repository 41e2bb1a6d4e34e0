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

from .errors import refuse
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


class Problem(Aggregate):
    category = "problem"

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.branch_id = ""
        self.member_id = ""  # who raised it: the texts about it are theirs
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
        branch_path: list[str],
        on: date,
        note: str,
        texts: ProblemTexts,
    ) -> None:
        self._require("open")
        if to_unit.id not in branch_path[:-1]:
            raise refuse(
                "not_a_higher_level",
                f"{to_unit.id} is not above branch {self.branch_id}",
                f"{to_unit.id} không phải cấp trên của chi bộ {self.branch_id}",
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
            raise refuse(
                "problem_state",
                f"problem {self.id} is {self.status}",
                f"vấn đề {self.id} đang ở trạng thái {self.status}",
            )

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case ProblemRaised() | ProblemRaisedV2():
                self.branch_id, self.member_id = event.branch_id, event.member_id
                self.status = "open"
            case ProblemEscalated() | ProblemEscalatedV2():
                self.status = "escalated"
            case ProblemResolved() | ProblemResolvedV2():
                self.status = "resolved"
