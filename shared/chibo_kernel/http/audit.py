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

from ..auth.policy import Permission, can, current_principal, refuse_unknown, require_role
from ..authz import Forbidden
from ..store import EventStore
from .guard import v1_router

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


def audit_router(
    kinds: Sequence[str], resolve: Resolver, store: Callable[[], EventStore]
) -> APIRouter:
    api = v1_router(tags=["audit"])
    kind_pattern = "^(" + "|".join(kinds) + ")$"

    @api.get("/audit/{kind}/{subject_id}")
    async def audit(
        kind: Annotated[str, Path(pattern=kind_pattern, description=", ".join(kinds))],
        subject_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9_.:-]{1,80}$")],
        since: Annotated[datetime | None, Query(description="only changes from then on")] = None,
    ) -> AuditTrail:
        """Who changed this subject, when, in which role, and what was recorded."""
        require_role(Permission.AUDIT)  # the role first: no lookup for those without it
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
                if not can(Permission.AUDIT, org_path):
                    hidden = True
                    continue
                private = bool(event.metadata.get("private"))
                found.append(
                    AuditEntry(
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
                )
        if not found:
            principal = current_principal()
            if hidden and principal is not None:
                raise Forbidden(principal.subject, str(Permission.AUDIT), principal.scope)
            refuse_unknown(f"{kind} {subject_id}", f"{kind} {subject_id}")
        found.sort(key=lambda e: (e.recorded_at, e.stream_id, e.version))
        return AuditTrail(
            kind=kind,
            subject_id=subject_id,
            entries=found[:MAX_EVENTS],
            truncated=len(found) > MAX_EVENTS,
        )

    return api
