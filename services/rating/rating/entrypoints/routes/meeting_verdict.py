"""A meeting's facts judged by its year's meeting-quality rules, for a sheet being filled:
a query sent as POST for its body. It reads only the published rules and stores nothing,
so it needs no Idempotency-Key (one sent is kept with the answer, and no event)."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from chibo_chassis.auth import Boundary
from chibo_chassis.http import authorised

from ...application import queries as q
from .params import Year

Count = Annotated[int, Field(ge=0, le=10_000)]


class MeetingFactsBody(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    month: Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
    # combined: a regular meeting with a thematic part in one sitting (HD 42)
    kind: Literal["regular", "thematic", "combined", "committee", "extraordinary"]
    expected: Count
    present: Count
    absent_unexcused: Count
    longest_absence_streak: Count
    duration_minutes: Annotated[int, Field(ge=0, le=720)]
    minutes_recorded: bool
    prepared_by_committee: bool


class CheckAnswer(BaseModel):
    check: str
    passed: bool
    label_vi: str
    label_en: str
    source: str


class VerdictAnswer(BaseModel):
    of_quality: bool
    checks: list[CheckAnswer]


def add_routes(api: APIRouter, bus: Boundary[Any]) -> None:
    @api.post(
        "/rule-sets/{year}/meeting-verdict",
        response_model=VerdictAnswer,
        dependencies=[authorised(bus, q.MeetingVerdict)],
    )
    async def meeting_verdict(year: Year, body: MeetingFactsBody) -> VerdictAnswer:
        """Whether a meeting with these facts is "đạt chất lượng" by the rule set in force
        for the year (as `GET /rule-sets/{year}` finds it), each check with its threshold
        in Vietnamese and English and the rule's citation. Any signed-in role; nothing is
        stored."""
        verdict = await bus.run(q.MeetingVerdict(year, **body.model_dump()))
        return VerdictAnswer(
            of_quality=verdict.of_quality,
            checks=[CheckAnswer(**dataclasses.asdict(c)) for c in verdict.checks],
        )
