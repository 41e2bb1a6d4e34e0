"""The sensitive texts of the public aggregates, each kept in a private stream beside its
public one: why a member's standing changed, what a month's reports and reviews say, what a
problem is and how it was handed up or settled; and the labels of households, which often
name a person.

Such a text is often a diagnosis, a discipline or a household's troubles (sensitive data,
Law 91/2025), and what reaches JetStream is kept for ever by every subscriber. So the public
event says what happened, and the text goes in a private event appended with it, in the
same append, to `<category>_private-<the same id>`: the relay never publishes it and the
store keeps it under its data subject's key. Like `MemberIdentity`, a private aggregate
shares its public aggregate's id and is given to the public aggregate's command.
"""

from __future__ import annotations

from chibo_kernel import DomainEvent
from chibo_kernel.domain import Aggregate

from .events import ExemptionReasonRecorded, HouseholdLabelRecorded, SuspensionReasonRecorded


class PrivateTexts(Aggregate):
    """The texts written beside one public aggregate; nothing is decided on them."""

    def record(self, event: DomainEvent) -> None:
        assert not type(event).published, "a public event belongs in the public stream"
        self._emit(event)

    def _apply(self, event: DomainEvent) -> None:
        return None


class StandingReasons(PrivateTexts):
    """Why a member was exempted, suspended or left; beside `member-<id>`."""

    category = "member_standing_private"

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        # The latest reasons: a repeat of the same exemption or suspension records nothing.
        self.exemption: str | None = None
        self.suspension: str | None = None

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case ExemptionReasonRecorded():
                self.exemption = event.reason
            case SuspensionReasonRecorded():
                self.suspension = event.reason


class ReportTexts(PrivateTexts):
    """What a branch's reports and reviews of one month say; beside `reports-<id>`."""

    category = "reports_private"


class ProblemTexts(PrivateTexts):
    """What a problem is, the note it was handed up with, how it was settled; beside
    `problem-<id>`."""

    category = "problem_private"


class HouseholdLabels(PrivateTexts):
    """How a branch calls its households ("hộ ông ..."): beside `area-<branch id>`."""

    category = "area_private"

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.labels: dict[str, str | None] = {}  # None: the household's key was destroyed

    def _apply(self, event: DomainEvent) -> None:
        if isinstance(event, HouseholdLabelRecorded):
            self.labels[event.household_id] = event.label
