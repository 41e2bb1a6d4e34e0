"""Where a request lands in the organisation tree, for the route guards: the path of the
branch or meeting it names, from this service's read models (units and meetings as
consumed and recorded here). None: nothing by that id is known here."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from fastapi import Request

from chibo_kernel.auth import current_principal
from chibo_kernel.pool import LeanPool

from ...adapters.roster_reader import meeting_place, unit_path
from .params import ID_PATTERN

_ID = re.compile(ID_PATTERN)


class Places:
    def __init__(self, pool: Callable[[], LeanPool]) -> None:
        self._pool = pool

    async def branch(self, request: Request) -> Sequence[str] | None:
        branch_id = request.path_params.get("branch_id", "")
        # The guard runs before the path is validated: an id no unit can have is unknown.
        if not _ID.match(branch_id):
            return None
        found = await unit_path(self._pool(), branch_id)
        return None if found is None else found[0]

    async def meeting(self, request: Request) -> Sequence[str] | None:
        meeting_id = request.path_params.get("meeting_id", "")
        if not _ID.match(meeting_id):
            return None
        found = await meeting_place(self._pool(), meeting_id)
        return None if found is None else found.path


async def callers_subtree(_: Request) -> Sequence[str]:
    """For queries that span the tree and leave out, row by row, what lies outside the
    caller's subtree: the guard then asks only the role (and, for the member role, that the
    request names that member)."""
    principal = current_principal()
    return principal.scope if principal is not None else ()
