"""What several screens read about a branch, from the services, joined by id so that every
screen shows names: members from assignment, their marks from attendance."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .adapters.api import Api, ApiProblem
from .formats import ERASED_VI, vietnamese_order
from .session import SignedIn

ROLE_LABELS = {
    "secretary": ("Bí thư", "Secretary"),
    "deputy_secretary": ("Phó bí thư", "Deputy secretary"),
    "committee_member": ("Chi ủy viên", "Committee member"),
}
STANDING_LABELS = {
    "active": ("Đang sinh hoạt", "Active"),
    "exempt": ("Miễn sinh hoạt", "Exempt"),
    "suspended": ("Đình chỉ sinh hoạt", "Suspended"),
    "away": ("Sinh hoạt tạm thời nơi khác", "Attending elsewhere for now"),
    "left": ("Đã ra khỏi chi bộ", "Left the branch"),
}
STATUS_LABELS = {"official": ("Chính thức", "Full"), "probationary": ("Dự bị", "Probationary")}


def today() -> dt.date:
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date()  # Vietnam's day


@dataclass
class Branch:
    branch_id: str
    name: str
    members: list[dict[str, Any]] = field(default_factory=list)

    def name_of(self, member_id: str | None) -> str:
        for member in self.members:
            if member["member_id"] == member_id:
                return str(member.get("full_name") or ERASED_VI)
        return ERASED_VI


async def branch_members(api: Api, user: SignedIn, branch_id: str, on: dt.date) -> Branch:
    found = await api.get(
        "assignment", f"/branches/{branch_id}/members", user.token, {"on": on.isoformat()}
    )
    members = sorted(
        found.get("members", []), key=lambda m: vietnamese_order(m.get("full_name") or "")
    )
    return Branch(branch_id, str(found.get("branch_name") or branch_id), members)


async def optional(coroutine: Any) -> Any:
    """A panel that may be missing (no plan yet for the year): None instead of an error
    page. Anything else (a refusal, an outage) the whole page must show."""
    try:
        return await coroutine
    except ApiProblem as problem:
        if problem.status != 404:
            raise
        return None


def label(pair: tuple[str, str] | None, lang: str, fallback: str = "") -> str:
    if pair is None:
        return fallback
    return pair[1] if lang == "en" else pair[0]
