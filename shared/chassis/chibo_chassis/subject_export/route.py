"""`GET /v1/members/{member_id}/personal-data`, in every service: everything the service
holds about a member, as JSON or (`?format=xlsx`) as a workbook, for the data subject's
right to view their data and have it provided (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15,
Điều 4 khoản 1 điểm c, d), answered at once, well inside the 10 days of Nghị định
356/2025/NĐ-CP, Điều 5 khoản 3. Each export is a read of personal data, logged with the
purpose `data_subject_request` unless the caller names another."""

# No `from __future__ import annotations`: FastAPI reads these routes' annotations where
# they stand (see http/audit.py).
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from ..auth.boundary import Boundary
from ..http.guard import authorised, v1_router
from ..http.personal_reads import disclose, reads_personal_data
from .spec import PersonalData, ReadPersonalData, SubjectData
from .workbook import MEDIA_TYPE, content_disposition, workbook

PATH = "/members/{member_id}/personal-data"


def personal_data_router(bus: Boundary[Any], spec: SubjectData) -> APIRouter:
    api = v1_router(tags=["personal data"])
    coded = {t.kind: frozenset(c.key for c in t.columns if c.coded) for t in spec.tables}

    @api.get(
        PATH,
        response_model=PersonalData,
        dependencies=[authorised(bus, ReadPersonalData)],
        responses={200: {"content": {MEDIA_TYPE: {}}}},
    )
    @reads_personal_data("data_subject_request")
    async def personal_data(
        member_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9_.:-]{1,80}$")],
        format: Annotated[
            Literal["json", "xlsx"] | None,
            Query(description="xlsx: a workbook, one sheet per kind, Vietnamese headers"),
        ] = None,
    ) -> Any:
        """Everything this service holds about the member: their events in its store
        (sealed fields opened; "đã xóa" where their data key was destroyed) and the rows
        of its read models about them, grouped by kind with Vietnamese and English labels.
        The member's branch and the levels above it may ask, the member role its own."""
        found = await bus.run(ReadPersonalData(member_id))
        if format != "xlsx":
            return found
        disclose(found)
        stem = f"Dữ liệu cá nhân {member_id} {spec.service}"
        return Response(
            content=workbook(found, coded),
            media_type=MEDIA_TYPE,
            headers={"Content-Disposition": content_disposition(stem)},
        )

    return api
