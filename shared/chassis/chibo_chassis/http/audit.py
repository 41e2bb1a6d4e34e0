"""Who changed what, when: a subject's history straight from the service's event store.

Each service names the kinds of subject it can answer for (a member, an assignment plan, a
meeting, a rating) and how to find a subject's streams. Every event shows who acted, in
which role, when, under which correlation id, and what it recorded; private events show
which fields changed, never their values. Only events filed inside the caller's subtree
are shown, so a member who moved keeps the history of their old branch from their new
branch's board.
"""

# No `from __future__ import annotations`: the route's path types are built per service
# (its kinds), and FastAPI can only read annotations that are evaluated where they stand.
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from chibo_kernel.domain.message import Message
from chibo_kernel.store import EventStore, RecordedEvent

from ..auth.boundary import Boundary
from ..auth.policy import Forbidden, Permission, can, current_principal, refuse_unknown
from .guard import authorised, v1_router
from .personal_reads import member_ids_in, reads_personal_data

MAX_EVENTS = 2000


def _everything(_: dict[str, Any]) -> bool:
    return True


@dataclass(frozen=True)
class AuditSubject:
    streams: Sequence[str]
    # Some streams hold many subjects (a branch's meeting book holds its year's meetings).
    concerns: Callable[[dict[str, Any]], bool] = field(default=_everything)


Resolver = Callable[[str, str], Awaitable[AuditSubject | None]]


class AuditEntry(BaseModel):
    recorded_at: datetime
    stream_id: str
    version: int
    event_type: str
    actor: str | None
    role: str | None
    correlation_id: str | None
    org_path: list[str]
    data: dict[str, Any] | None  # None for a private event
    changed_fields: list[str]


class AuditTrail(BaseModel):
    kind: str
    subject_id: str
    entries: list[AuditEntry]
    truncated: bool


@dataclass(frozen=True)
class ReadAudit(Message[AuditTrail]):
    """The query every service answers; its rule (AUDIT, rows kept by place) is in the
    service's permissions table like any other."""

    kind: str
    subject_id: str
    since: datetime | None = None


def audit_handler(
    resolve: Resolver, store: Callable[[], EventStore], permission: Permission
) -> Callable[[ReadAudit], Awaitable[AuditTrail]]:
    """`permission`: the one the service's table gives ReadAudit; an event is shown only
    where the principal holds it."""

    async def handle(query: ReadAudit) -> AuditTrail:
        kind, subject_id, since = query.kind, query.subject_id, query.since
        subject = await resolve(kind, subject_id)
        found: list[AuditEntry] = []
        hidden = False
        for stream_id in subject.streams if subject else ():
            for event in await store().load(stream_id):
                data = json.loads(event.data)
                if not subject or not subject.concerns(data):
                    continue
                if since and event.recorded_at < since:
                    continue
                org_path = list(event.metadata.get("org_path", []))
                if not can(permission, org_path):
                    hidden = True
                    continue
                found.append(_entry(event, org_path, data))
        if not found:
            principal = current_principal()
            if hidden and principal is not None:
                raise Forbidden(principal.subject, str(permission), principal.scope)
            refuse_unknown(f"{kind} {subject_id}", f"{kind} {subject_id}")
        found.sort(key=lambda e: (e.recorded_at, e.stream_id, e.version))
        return AuditTrail(
            kind=kind,
            subject_id=subject_id,
            entries=found[:MAX_EVENTS],
            truncated=len(found) > MAX_EVENTS,
        )

    return handle


def _entry(event: RecordedEvent, org_path: list[str], data: dict[str, Any]) -> AuditEntry:
    private = bool(event.metadata.get("private"))
    return AuditEntry(
        recorded_at=event.recorded_at,
        stream_id=event.stream_id,
        version=event.version,
        event_type=event.event_type,
        actor=event.metadata.get("actor"),
        role=event.metadata.get("role"),
        correlation_id=event.metadata.get("correlation_id"),
        org_path=org_path,
        data=None if private else data,
        changed_fields=sorted(data),
    )


def _people_in(trail: AuditTrail) -> set[str]:
    """The members the recorded facts name, and the member whose history it is."""
    found = member_ids_in(trail.entries)
    return found | {trail.subject_id} if trail.kind == "member" else found


def audit_router(kinds: Sequence[str], bus: Boundary[Any]) -> APIRouter:
    api = v1_router(tags=["audit"])
    kind_pattern = "^(" + "|".join(kinds) + ")$"

    @api.get("/audit/{kind}/{subject_id}", dependencies=[authorised(bus, ReadAudit)])
    @reads_personal_data("audit", subjects=_people_in)
    async def audit(
        kind: Annotated[str, Path(pattern=kind_pattern, description=", ".join(kinds))],
        subject_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9_.:-]{1,80}$")],
        since: Annotated[datetime | None, Query(description="only changes from then on")] = None,
    ) -> AuditTrail:
        """Who changed this subject, when, in which role, and what was recorded."""
        return await bus.run(ReadAudit(kind, subject_id, since))

    return api
