"""The authorisation hook every command passes through before anything is written.

A service's repository asks the authoriser once per event it is about to append: who acts
(from the trace), what they do (`<aggregate>.<event>`), and where (the organisation path
the event is filed under). The real policy, roles scoped to an organisation subtree, is
`chibo_kernel.auth.policy.RolePolicy`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from .context import TraceContext
from .errors import ChiboError


class Forbidden(ChiboError):
    code = "forbidden"

    def __init__(self, actor: str | None, action: str, org_path: Sequence[str]) -> None:
        where = "/".join(org_path)
        who = actor or "an anonymous caller"
        super().__init__(
            f"{who} may not {action} in {where or 'the province'}",
            f"{actor or 'người gọi ẩn danh'} không có quyền {action} tại {where or 'toàn tỉnh'}",
        )
        self.action = action
        self.org_path = tuple(org_path)


class Authorizer(Protocol):
    def authorize(
        self,
        trace: TraceContext,
        action: str,
        org_path: Sequence[str],
        member_id: str | None = None,
    ) -> None:
        """Return if allowed; raise Forbidden otherwise. `member_id` names the member whose
        own record the action touches, where there is one."""


class AllowAll:
    """For domain tests that run commands without anyone signed in."""

    def authorize(
        self,
        trace: TraceContext,
        action: str,
        org_path: Sequence[str],
        member_id: str | None = None,
    ) -> None:
        return None
