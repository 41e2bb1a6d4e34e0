"""Routes that read members' personal data declare it, and every such read is logged before
its answer leaves (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15: who read whose data, when, why).

    @api.get("/branches/{branch_id}/reports/{month}", dependencies=checked(q.MonthReports))
    @reads_personal_data("monthly_meeting")
    async def reports_of_month(...) -> s.MonthView: ...

The row (`access_log.py`) names the principal, its role and subtree, the route and the path
asked, the members in the answer, the purpose (the `X-Purpose` header, else the route's
default), the correlation id and how many rows were answered. If the row cannot be written
the read fails (503 when the database is down): a read without its log entry is what the
law forbids. A refused request (401, 403, 422) reads nothing, so it logs nothing here; its
line is in the HTTP log.

Subjects are the member ids under the keys of MEMBER_ID_KEYS anywhere in the answer, or
what the route's own `subjects` finds. An answer sent as a file names what it holds with
`disclose(answer)`; a streamed download logs each page before sending it (`streamed`).
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from contextvars import ContextVar
from typing import Any, TypeVar

from fastapi import Request
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel
from starlette.responses import Response
from starlette.routing import BaseRoute

from chibo_kernel.context import current_trace

from ..auth.policy import current_principal
from .access_log import AccessLog, PersonalRead
from .purposes import PURPOSES, PurposeHeader, chosen_purpose

EXTENSION = "x-chibo-personal-data"  # on each declared operation of the OpenAPI document
# Fields whose values are member ids, in every service's answers.
MEMBER_ID_KEYS = frozenset(
    {
        "member_id",
        "member_ids",
        "mentor_id",
        "follower_id",
        "guest_id",
        "chair_id",
        "probationary_without_mentor",
        "members_without_households",
        "absent_more_than_3_in_a_row",
    }
)
_DECLARED = "__chibo_personal_read__"
_REQUEST, _PURPOSE = "chibo_request_", "chibo_purpose_"
Subjects = Callable[[Any], Iterable[str]]
E = TypeVar("E", bound=Callable[..., Awaitable[Any]])
T = TypeVar("T")


def member_ids_in(found: Any, keys: frozenset[str] = MEMBER_ID_KEYS) -> set[str]:
    """Every member id under `keys` in an answer: models, dataclasses, mappings, lists."""
    ids: set[str] = set()
    _walk(found, keys, ids)
    return ids


def _walk(value: Any, keys: frozenset[str], ids: set[str]) -> None:
    if isinstance(value, str | int | float | bool) or value is None:
        return
    if isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _walk(item, keys, ids)
        return
    if isinstance(value, BaseModel):
        items: Iterable[tuple[str, Any]] = value.__dict__.items()
    elif isinstance(value, Mapping):
        items = value.items()
    elif dataclasses.is_dataclass(value):
        items = ((f.name, getattr(value, f.name)) for f in dataclasses.fields(value))
    else:
        return
    for key, item in items:
        if key not in keys:
            _walk(item, keys, ids)
        elif isinstance(item, str):
            ids.add(item)
        elif isinstance(item, list | tuple | set | frozenset):
            ids.update(i for i in item if isinstance(i, str))


def _rows(found: Any) -> int:
    return len(found) if isinstance(found, list | tuple) else 1


class _Reading:
    """One declared request's read, from the call of its endpoint to its log row(s)."""

    def __init__(self, request: Request, purpose: str, subjects: Subjects) -> None:
        log = getattr(request.app.state, "access_log", None)
        if not isinstance(log, AccessLog):
            raise RuntimeError("a route reads personal data but the app has no access log")
        principal = current_principal()
        route = request.scope.get("route")
        query = request.url.query
        self.log, self.subjects_of = log, subjects
        self.disclosed: list[Any] = []
        self.streaming = False
        self.who = (
            principal.subject if principal else "(the service)",
            str(principal.role) if principal else "service",
            principal.scope if principal else (),
        )
        self.route = f"{request.method} {getattr(route, 'path', request.url.path)}"
        self.target = request.url.path + (f"?{query}" if query else "")
        self.purpose = purpose

    async def record(self, parts: list[Any]) -> None:
        subjects: set[str] = set()
        for part in parts:
            subjects.update(self.subjects_of(part))
        principal, role, scope = self.who
        read = PersonalRead(
            principal,
            role,
            scope,
            self.route,
            self.target,
            sorted(subjects),
            self.purpose,
            current_trace().correlation_id,
            sum(_rows(part) for part in parts),
        )
        await self.log.record(read)

    async def finish(self, found: Any) -> None:
        if self.streaming:
            return  # each page was logged before it was sent
        if isinstance(found, Response):
            if not self.disclosed:
                raise RuntimeError(f"{self.route} answered a file without disclose(answer)")
            await self.record(self.disclosed)
        else:
            await self.record([found])


_reading: ContextVar[_Reading | None] = ContextVar("chibo_personal_read", default=None)


def disclose(answer: Any) -> None:
    """What an answer sent as a file (CSV, XLSX) holds, for the log; outside a declared
    route it does nothing."""
    reading = _reading.get()
    if reading is not None:
        reading.disclosed.append(answer)


async def streamed(pages: AsyncIterator[T]) -> AsyncIterator[T]:
    """Pages of a streamed download, each logged before it is sent. The first is read and
    logged now, inside the route, so that a database outage is still a 503, not a cut-off
    download."""
    reading = _reading.get()
    if reading is None:
        raise RuntimeError("streamed() outside a route declared with reads_personal_data")
    reading.streaming = True
    first = await anext(pages, None)
    await reading.record([first] if first is not None else [[]])

    async def logged() -> AsyncIterator[T]:
        if first is None:
            return
        yield first
        async for page in pages:
            await reading.record([page])
            yield page

    return logged()


def reads_personal_data(purpose: str, subjects: Subjects = member_ids_in) -> Callable[[E], E]:
    """Declare a route as a read of personal data (under its `@api.get`): each read is
    logged with `purpose` unless the caller names another in `X-Purpose`."""
    if purpose not in PURPOSES:
        raise ValueError(f"{purpose!r} is not one of {sorted(PURPOSES)}")

    def declare(endpoint: E) -> E:
        signature = inspect.signature(endpoint, eval_str=True)
        # FastAPI hands the request to one parameter only: the endpoint's own, if it has one.
        own = [p.name for p in signature.parameters.values() if p.annotation is Request]
        request_name = own[0] if own else _REQUEST

        @functools.wraps(endpoint)
        async def logged(*args: Any, **kwargs: Any) -> Any:
            request: Request = kwargs[request_name] if own else kwargs.pop(_REQUEST)
            reading = _Reading(request, chosen_purpose(kwargs.pop(_PURPOSE), purpose), subjects)
            token = _reading.set(reading)
            try:
                found = await endpoint(*args, **kwargs)
            finally:
                _reading.reset(token)
            await reading.finish(found)
            return found

        keyword = inspect.Parameter.KEYWORD_ONLY
        added = [inspect.Parameter(_PURPOSE, keyword, annotation=PurposeHeader, default=None)]
        if not own:
            added.append(inspect.Parameter(_REQUEST, keyword, annotation=Request))
        parameters = [*signature.parameters.values(), *added]
        logged.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        setattr(logged, _DECLARED, purpose)
        return logged  # type: ignore[return-value]

    return declare


def declared_routes(routes: Sequence[BaseRoute]) -> Iterator[tuple[str, set[str], str]]:
    """(path, methods, default purpose) of each route declared with reads_personal_data."""
    for context in iter_route_contexts(routes):
        purpose = getattr(context.endpoint, _DECLARED, None)
        if isinstance(purpose, str) and context.path_format and context.methods:
            yield context.path_format, context.methods, purpose


def declare_in_openapi(schema: dict[str, Any], routes: Sequence[BaseRoute]) -> None:
    for path, methods, purpose in declared_routes(routes):
        for method in methods:
            operation = schema["paths"][path][method.lower()]
            operation[EXTENSION] = {"default_purpose": purpose, "logged_in": "personal_data_reads"}
