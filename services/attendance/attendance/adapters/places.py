"""Where a command or query acts in the organisation tree, found from the fields it names,
over this service's read models (units as consumed, meetings as recorded here: `lookups.py`);
`permissions.py` says which locator each one uses.

A locator answers one place per id it reads: None when the id is unknown here, or is no id
a unit or meeting can have (the HTTP adapter asks before the path is validated). The
boundary then answers 404 to a province-wide principal and 403 to anyone else.
"""

from __future__ import annotations

import re

from chibo_chassis.auth import Fields, Place, Where, current_principal

from .lookups import Lookups

# Ids as units and meetings have them (the pattern the routes validate paths with).
_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_MEMBER_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,80}$")  # as the member routes validate them


def _id(value: object) -> str | None:
    return value if isinstance(value, str) and _ID.match(value) else None


def _member_id(value: object) -> str | None:
    return value if isinstance(value, str) and _MEMBER_ID.match(value) else None


class Places:
    """What the locators ask, over the lookups (the read models in the running service)."""

    def __init__(self, lookups: Lookups) -> None:
        self._lookups = lookups

    async def of_unit(self, unit_id: object) -> list[str] | None:
        named = _id(unit_id)
        return None if named is None else await self._lookups.unit_path(named)

    async def of_meeting(self, meeting_id: object) -> list[str] | None:
        """The path of the meeting's branch."""
        named = _id(meeting_id)
        found = None if named is None else await self._lookups.meeting_place(named)
        return None if found is None else found.path

    async def of_member(self, member_id: object) -> list[str] | None:
        """The path of the member's (latest) branch."""
        named = _member_id(member_id)
        return None if named is None else await self._lookups.member_path(named)


PlaceOf = Where[Places]


def branch(field: str = "branch_id") -> PlaceOf:
    """A branch or a chi bộ cơ sở (any unit known here: the command refuses the others in
    words)."""

    async def locate(fields: Fields, places: Places) -> list[Place]:
        return [await places.of_unit(fields.get(field))]

    return locate


def meeting(field: str = "meeting_id") -> PlaceOf:
    """The branch the meeting belongs to."""

    async def locate(fields: Fields, places: Places) -> list[Place]:
        return [await places.of_meeting(fields.get(field))]

    return locate


def member(field: str = "member_id") -> PlaceOf:
    """The branch the member belongs to (or last belonged to)."""

    async def locate(fields: Fields, places: Places) -> list[Place]:
        return [await places.of_member(fields.get(field))]

    return locate


def callers_subtree() -> PlaceOf:
    """For queries that span the tree and leave out, row by row, what lies outside the
    caller's subtree: the rule then asks only the role (and, for the member role, that the
    message names that member)."""

    async def locate(fields: Fields, places: Places) -> list[Place]:
        principal = current_principal()
        return [principal.scope if principal is not None else ()]

    return locate
