"""Bodies of the mentoring and following routes: who guides which member, who follows
which unit, and the visit quotas."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

# The answer to a command, re-exported so routes read every body of a resource from one module.
from chibo_chassis.http import Accepted as Accepted

from ..domain.events import CommitteeLevel
from .schemas import Body, Id


class AssignMentor(Body):
    mentor_id: Id
    member_ids: list[Id] = Field(min_length=1, max_length=50)


class MentorGroup(BaseModel):
    mentor_id: str
    member_ids: list[str]


class MentoringView(BaseModel):
    mentors: list[MentorGroup]
    probationary_without_mentor: list[str]


class AssignFollowing(Body):
    level: CommitteeLevel
    unit_ids: list[Id] = Field(min_length=1, max_length=100)


class SetQuota(Body):
    level: CommitteeLevel
    meetings_per_year: int = Field(ge=1, le=52)
    valid_from: date


class QuotaInForce(BaseModel):
    level: str
    meetings_per_year: int
    valid_from: date
