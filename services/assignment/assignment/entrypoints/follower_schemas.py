"""The answer of a branch's followers from above: who may be a meeting's guest from a higher
committee, by name, with the level and the unit they follow."""

from __future__ import annotations

from pydantic import BaseModel

from ..domain.events import CommitteeLevel


class BranchFollower(BaseModel):
    member_id: str
    full_name: str  # "đã xóa" once the member's data is erased
    level: CommitteeLevel
    unit_id: str  # the unit they follow that contains the branch (the nearest one)
    unit_name: str


class FollowersView(BaseModel):
    branch_id: str
    year: int
    followers: list[BranchFollower]
