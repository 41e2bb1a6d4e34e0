"""A member's year as assessed: the evidence read from the facts, what the year's rules
propose from it, and whether Charter art. 8 flags it; what scorecards, proposals, decisions
and a cell's year read of each member."""

from __future__ import annotations

from dataclasses import dataclass

from chibo_contracts.rating import Level

from ...domain.member_rating import MemberProposal
from ...domain.removal import RemovalFlag
from .scorecard import MemberEvidence


@dataclass
class MemberAssessment:
    evidence: MemberEvidence
    proposal: MemberProposal
    removal: RemovalFlag | None

    @property
    def rated(self) -> bool:
        return self.proposal.rated

    @property
    def excluded(self) -> list[str]:
        return [] if self.proposal.rated else self.proposal.texts

    @property
    def reasons(self) -> list[str]:
        if not self.proposal.rated:
            return []
        found = self.proposal.texts
        e = self.evidence
        if e.appraisal is not None and e.appraisal != self.proposal.level:
            note = f": {e.appraisal_note}" if e.appraisal_note else ""
            found.append(
                f"the committee's appraisal proposes {e.appraisal}{note} | "
                f"chi ủy đề xuất mức {e.appraisal}{note}"
            )
        return found

    @property
    def level(self) -> Level | None:
        """The decided level, else the proposed one."""
        return self.evidence.decided or self.proposal.level
