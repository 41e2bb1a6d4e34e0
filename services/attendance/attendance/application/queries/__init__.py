"""One module per query (the query and its handler); `bind` gives the boundary each
handler with what it reads from."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from . import branch_year, meeting, roster, visits
from .branch_year import BranchYear
from .meeting import MeetingDetail
from .reading import Reads
from .roster import BranchRoster
from .visits import FollowerVisits

QUERIES: dict[type, Callable[..., Awaitable[Any]]] = {
    BranchRoster: roster.handle,
    MeetingDetail: meeting.handle,
    BranchYear: branch_year.handle,
    FollowerVisits: visits.handle,
}


def bind(reads: Reads) -> dict[type, Callable[[Any], Awaitable[Any]]]:
    return {kind: partial(handle, reads=reads) for kind, handle in QUERIES.items()}


__all__ = ["QUERIES", "BranchRoster", "BranchYear", "FollowerVisits", "MeetingDetail", "bind"]
