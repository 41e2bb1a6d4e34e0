"""`GET /v1/personal-data-reads`, in every service: who read whose personal data, for the
auditors. Asked by data subject, by principal, by time and by purpose, newest first, a page
at a time. It needs `audit` (docs/authorization.md); a subtree's auditor sees the reads
made by principals inside the subtree, the province's all of them. The question is a read
of personal data itself, so it is logged like any other."""

# No `from __future__ import annotations`: FastAPI reads these routes' annotations where
# they stand (see audit.py).
from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import AwareDatetime, BaseModel

from ..auth.boundary import Boundary, fields_of
from ..auth.policy import current_principal
from .access_log import AccessLog, ReadPersonalDataReads
from .guard import authorised, v1_router
from .personal_reads import reads_personal_data
from .purposes import PURPOSES

MAX_PAGE = 1000


class PersonalDataRead(BaseModel):
    id: int
    read_at: datetime
    principal: str
    role: str
    org_scope: str  # the dotted subtree the role is held over; "" for the province
    route: str
    target: str
    subjects: list[str]
    purpose: str
    correlation_id: str
    result_count: int


class PersonalDataReads(BaseModel):
    reads: list[PersonalDataRead]
    next_before: int | None  # ask again with `before` = this for the older page


def _subjects_listed(page: PersonalDataReads) -> Iterable[str]:
    return {subject for read in page.reads for subject in read.subjects}


def access_log_router(bus: Boundary[Any]) -> APIRouter:
    api = v1_router(tags=["audit"])
    purposes = "^(" + "|".join(PURPOSES) + ")$"

    @api.get("/personal-data-reads", dependencies=[authorised(bus, ReadPersonalDataReads)])
    @reads_personal_data("audit", subjects=_subjects_listed)
    async def personal_data_reads(
        request: Request,
        subject: Annotated[
            str | None, Query(pattern=r"^[A-Za-z0-9_.:-]{1,80}$", description="a member id")
        ] = None,
        principal: Annotated[
            str | None, Query(min_length=1, max_length=200, description="who read")
        ] = None,
        since: Annotated[AwareDatetime | None, Query(alias="from")] = None,
        until: Annotated[AwareDatetime | None, Query(alias="to")] = None,
        purpose: Annotated[str | None, Query(pattern=purposes)] = None,
        before: Annotated[int | None, Query(ge=1, description="the page after this id")] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    ) -> PersonalDataReads:
        """Reads of personal data, newest first: `subject` whose data, `principal` who
        read, `from`/`to` when (times with their UTC offset), `purpose` why."""
        asked = ReadPersonalDataReads(subject, principal, since, until, purpose, before, limit)
        await bus.authorise(ReadPersonalDataReads, fields_of(asked))  # as bus.run would
        log: AccessLog = request.app.state.access_log
        caller = current_principal()
        rows = await log.rows(asked, caller.scope if caller else ())
        reads = [PersonalDataRead(**{**r, "org_scope": ".".join(r["org_scope"])}) for r in rows]
        following = reads[-1].id if len(reads) == limit else None
        return PersonalDataReads(reads=reads, next_before=following)

    return api
