"""Commands on mentoring within a branch, and following from above with its quotas."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chibo_kernel.domain import Message, Saved

from ..events import CommitteeLevel


@dataclass(frozen=True)
class AssignMentor(Message[Saved]):
    """A committee member guides members of the branch."""

    branch_id: str
    year: int
    mentor_id: str
    member_ids: tuple[str, ...]


@dataclass(frozen=True)
class AssignFollowing(Message[Saved]):
    """A higher committee member (`member_id`) follows organisations in a year."""

    member_id: str
    year: int
    level: CommitteeLevel
    unit_ids: tuple[str, ...]


@dataclass(frozen=True)
class SetVisitQuota(Message[Saved]):
    """Branch meetings a year per level, from a date on."""

    province_id: str
    level: CommitteeLevel
    meetings_per_year: int
    valid_from: date
