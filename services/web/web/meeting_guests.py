"""Guests from higher committees at a meeting: picked on the sheet from those who follow the
branch that year (the assignment service's `GET /v1/branches/{id}/followers`), sent with
their level in the same command as the sheet, and named again once recorded."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .adapters.api import Api
from .formats import ERASED_VI


@dataclass
class GuestChoice:
    """A follower the sheet offers; `chosen` as the form was last posted."""

    member_id: str
    full_name: str
    level: str
    unit_name: str
    chosen: bool = False


@dataclass(frozen=True)
class GuestSeen:
    """A guest as recorded at the meeting, named from the followers of its year."""

    full_name: str
    level: str
    unit_name: str


async def followers(api: Api, token: str, branch_id: str, year: int) -> list[GuestChoice]:
    """Who follows the branch that year, in Vietnamese name order (as the service lists
    them)."""
    found = await api.get(
        "assignment", f"/branches/{branch_id}/followers", token, {"year": str(year)}
    )
    return [
        GuestChoice(f["member_id"], f.get("full_name") or ERASED_VI, f["level"], f["unit_name"])
        for f in found.get("followers", [])
    ]


def offered(candidates: Sequence[GuestChoice], excluded: Collection[str]) -> list[GuestChoice]:
    """The followers a sheet may still record: not members of the branch (they are marked in
    the sheet) and not already recorded as guests of the meeting."""
    return [c for c in candidates if c.member_id not in excluded]


def read_chosen(form: Mapping[str, Any], choices: Sequence[GuestChoice]) -> None:
    """The ticked boxes of a posted form; an id the sheet did not offer is ignored."""
    getlist = getattr(form, "getlist", None)
    ticked = {str(v) for v in getlist("guest")} if getlist else {str(form.get("guest", ""))}
    for choice in choices:
        choice.chosen = choice.member_id in ticked


def guest_marks(choices: Sequence[GuestChoice]) -> list[dict[str, str]]:
    """The `guests` of the `held` (or `attendance`) command: each chosen one with the level
    the following records."""
    return [{"member_id": c.member_id, "level": c.level} for c in choices if c.chosen]


def recorded_guests(
    guests: Sequence[Mapping[str, Any]], known: Sequence[GuestChoice]
) -> list[GuestSeen]:
    """The meeting's guests by name; one no longer among the year's followers keeps the
    level recorded with the visit and reads as not named."""
    by_id = {c.member_id: c for c in known}
    seen = []
    for guest in guests:
        found = by_id.get(str(guest.get("guest_id")))
        level = str(guest.get("level", ""))
        if found is None:
            seen.append(GuestSeen("", level, ""))
        else:
            seen.append(GuestSeen(found.full_name, level, found.unit_name))
    return seen
