"""The command/query boundary: each service keeps one table (its `permissions.py`) saying,
for every command and query, the permission it needs and how to find the place in the
organisation tree it acts on. This module applies that table, once, before a handler runs;
nothing behind it (handlers, repositories) decides who may.

A place is found from the message's fields by a locator over the service's read models.
`run` asks with the typed message, always: what is checked is what the handler gets. The
HTTP adapter also asks earlier, with the request's raw fields, before the body is
validated, so that a refusal is the same whatever the body holds. The rules are these:

- `at`: the place the message names. Unknown: 404 for a province-wide principal, for
  anyone else the same 403 an out-of-scope place gets, so ids cannot be probed.
- `also`: further places (a target branch, the units a body lists), each checked too;
  an unknown one is refused as out of scope, except for a province-wide principal, whose
  command then refuses it in words.
- no place at all: the role alone decides (unscoped permissions, or a query that keeps
  only the rows the principal may see, `rows=True`).
- `own`: the field naming the member whose own record this is; the member role may act
  only on its own.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from chibo_kernel.domain.message import Message
from chibo_kernel.errors import NotFound

from .policy import Forbidden, Permission, can, current_principal, require, require_role
from .principal import Principal

Fields = Mapping[str, Any]
Place = Sequence[str] | None
L = TypeVar("L")  # the service's place lookup: its read models
R = TypeVar("R")

Where = Callable[[Fields, L], Awaitable[list[Place]]]
OwnOf = Callable[[Fields, Principal], "str | None"]

_NOT_FOUND = (
    "the organisation, meeting or member named in the path",
    "tổ chức, cuộc họp hoặc đảng viên nêu trong đường dẫn",
)


@dataclass(frozen=True)
class Rule(Generic[L]):
    permission: Permission
    at: Where[L] | None = None
    also: tuple[Where[L], ...] = ()
    own: str | OwnOf | None = None
    rows: bool = False  # the answer keeps only the rows the principal may see

    def member(self, fields: Fields, principal: Principal) -> str | None:
        if self.own is None:
            return None
        if isinstance(self.own, str):
            named = fields.get(self.own)
            return named if isinstance(named, str) else None
        return self.own(fields, principal)


def fields_of(message: object) -> dict[str, Any]:
    if dataclasses.is_dataclass(message) and not isinstance(message, type):
        return dataclasses.asdict(message)
    raise TypeError(f"{type(message).__name__} is not a dataclass message")


Handlers = Mapping[type, Callable[[Any], Awaitable[Any]]]


class Boundary(Generic[L]):
    """The table, the place lookup and the handlers: `run` authorises a message and hands
    it to its handler."""

    def __init__(
        self, rules: Mapping[type, Rule[L]], places: Callable[[], L], handlers: Handlers
    ) -> None:
        missing = sorted(k.__name__ for k in handlers if k not in rules)
        if missing:
            raise RuntimeError(f"no permission rule for {', '.join(missing)}")
        self._rules = rules
        self._places = places
        self._handlers = handlers

    def rule(self, kind: type) -> Rule[L]:
        try:
            return self._rules[kind]
        except KeyError:
            raise RuntimeError(f"no permission rule for {kind.__name__}") from None

    async def authorise(self, kind: type, fields: Fields) -> None:
        rule = self.rule(kind)
        principal = current_principal()
        if principal is not None:  # none: the service itself (a consumer, an operator's tool)
            await self._check(rule, fields, principal)

    async def _check(self, rule: Rule[L], fields: Fields, principal: Principal) -> None:
        member = rule.member(fields, principal)
        if rule.at is None:
            require_role(rule.permission)
        else:
            for place in await rule.at(fields, self._places()):
                require(rule.permission, place, member)
                if place is None:
                    raise NotFound(*_NOT_FOUND)
        for where in rule.also:
            for place in await where(fields, self._places()):
                require(rule.permission, place)

    async def permits(self, kind: type, fields: Fields) -> bool:
        """The same check, answered: for a job that refuses its rows one by one (an import
        runs each row as `kind`)."""
        try:
            await self.authorise(kind, fields)
        except (Forbidden, NotFound):
            return False
        return True

    def rows_for(self, kind: type) -> Callable[[Place, str | None], bool]:
        """For a query whose rule keeps only the rows the principal may see (`rows=True`):
        whether a row at this place (about this member) is one of them."""
        permission = self.rule(kind).permission

        def visible(place: Place, member_id: str | None = None) -> bool:
            return can(permission, place, member_id)

        return visible

    async def run(self, message: Message[R]) -> R:
        kind = type(message)
        await self.authorise(kind, fields_of(message))
        handler = self._handlers.get(kind)
        if handler is None:
            raise RuntimeError(f"no handler for {kind.__name__}")
        return cast(R, await handler(message))
