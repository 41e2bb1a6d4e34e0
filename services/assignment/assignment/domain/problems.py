"""Problems raised at the monthly meeting (vấn đề nảy sinh) and followed until resolved.

A problem outlives the month it was raised in: it stays open, or goes up to a higher level,
until someone records how it was settled, so it is an aggregate of its own next to the
month's reports.
"""

from __future__ import annotations

from datetime import date

from chibo_kernel import DomainEvent
from chibo_kernel.domain import Aggregate

from .errors import refuse
from .events import ProblemEscalated, ProblemRaised, ProblemResolved
from .org import OrgUnit
from .reports import written_text


class Problem(Aggregate):
    category = "problem"

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.branch_id = ""
        self.status = "none"

    def raise_(
        self, *, branch_id: str, member_id: str, month: str, description: str, raised_on: date
    ) -> None:
        self._emit(
            ProblemRaised(
                problem_id=self.id,
                branch_id=branch_id,
                member_id=member_id,
                month=month,
                description=written_text(description, "a problem", "vấn đề"),
                raised_on=raised_on,
            )
        )

    def escalate(self, to_unit: OrgUnit, *, branch_path: list[str], on: date, note: str) -> None:
        self._require("open")
        if to_unit.id not in branch_path[:-1]:
            raise refuse(
                "not_a_higher_level",
                f"{to_unit.id} is not above branch {self.branch_id}",
                f"{to_unit.id} không phải cấp trên của chi bộ {self.branch_id}",
            )
        self._emit(
            ProblemEscalated(
                problem_id=self.id,
                branch_id=self.branch_id,
                to_unit_id=to_unit.id,
                on=on,
                note=written_text(note, "a note", "ghi chú"),
            )
        )

    def resolve(self, *, on: date, resolution: str) -> None:
        self._require("open", "escalated")
        self._emit(
            ProblemResolved(
                problem_id=self.id,
                branch_id=self.branch_id,
                on=on,
                resolution=written_text(resolution, "the resolution", "cách giải quyết"),
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
            case ProblemRaised():
                self.branch_id, self.status = event.branch_id, "open"
            case ProblemEscalated():
                self.status = "escalated"
            case ProblemResolved():
                self.status = "resolved"
