"""The authorisation hook every command passes through before anything is written.

A service's repository asks the authoriser once per event it is about to append: who acts
(from the trace), what they do (`<aggregate>.<event>`), and where (the organisation path
the event is filed under). The sign-in issue plugs in the real policy (roles scoped to an
organisation subtree); until then `AllowAll` keeps the embedded default open, and says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from .context import TraceContext
from .errors import ChiboError


class Forbidden(ChiboError):
    code = "forbidden"

    def __init__(self, actor: str | None, action: str, org_path: Sequence[str]) -> None:
        where = "/".join(org_path) or "the province"
        who = actor or "an anonymous caller"
        super().__init__(
            f"{who} may not {action} in {where}",
            f"{who} không có quyền {action} tại {where}",
        )
        self.action = action
        self.org_path = tuple(org_path)


class Authorizer(Protocol):
    def authorize(self, trace: TraceContext, action: str, org_path: Sequence[str]) -> None:
        """Return if allowed; raise Forbidden otherwise."""


class AllowAll:
    """The embedded default until sign-in exists: every command is allowed."""

    def authorize(self, trace: TraceContext, action: str, org_path: Sequence[str]) -> None:
        return None


class SubtreeWriters:
    """Each listed actor may write only inside their organisation subtree; the model the
    sign-in issue generalises with roles and token claims."""

    def __init__(self, subtrees: dict[str, Sequence[str]]) -> None:
        self._subtrees = {actor: tuple(path) for actor, path in subtrees.items()}

    def authorize(self, trace: TraceContext, action: str, org_path: Sequence[str]) -> None:
        scope = self._subtrees.get(trace.actor or "")
        if scope is None or tuple(org_path[: len(scope)]) != scope:
            raise Forbidden(trace.actor, action, org_path)
