"""Command routes: people's inputs, decisions and cancellations; the rebuild. Each decodes
the body into a command and runs it through the boundary, which answers a refusal before
the body is read (`permissions.py`, docs/authorization.md)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from chibo_chassis.auth import Boundary
from chibo_chassis.http import accepted, authorised, runs_once_per_key

from ...application import queries as q
from ...domain import commands as c
from ...domain.decisions import Decision
from .. import schemas as s
from .params import MemberId, UnitPath, Year


def add_routes(api: APIRouter, bus: Boundary[Any]) -> None:
    def checked(kind: type) -> list[Any]:
        return [authorised(bus, kind)]

    @api.post(
        "/members/{member_id}/ratings/{year}/discipline",
        status_code=201,
        dependencies=checked(c.RecordDiscipline),
    )
    async def discipline(member_id: MemberId, year: Year, body: s.Discipline) -> s.Accepted:
        """A disciplinary measure of the year, with what the rules weigh. Kept off the public
        stream. Decide: at the member's branch."""
        command = c.RecordDiscipline(member_id, year, **body.model_dump())
        return accepted(await bus.run(command))

    @api.post(
        "/members/{member_id}/ratings/{year}/conclusions",
        status_code=201,
        dependencies=checked(c.RecordConclusion),
    )
    async def conclusion(member_id: MemberId, year: Year, body: s.ConclusionBody) -> s.Accepted:
        """A competent body's conclusion (degradation, a violation of what members must not
        do, of the duty to set an example). Kept off the public stream. Decide: at the
        member's branch."""
        command = c.RecordConclusion(member_id, year, **body.model_dump())
        return accepted(await bus.run(command))

    @api.post(
        "/members/{member_id}/ratings/{year}/leave",
        status_code=201,
        dependencies=checked(c.RecordLeave),
    )
    async def leave(member_id: MemberId, year: Year, body: s.Leave) -> s.Accepted:
        """Sick or maternity leave: no report is due in its months. Health data, kept off the
        public stream. Appraise: at the member's branch."""
        command = c.RecordLeave(member_id, year, **body.model_dump())
        return accepted(await bus.run(command))

    @api.post(
        "/members/{member_id}/ratings/{year}/comments",
        status_code=201,
        dependencies=checked(c.RecordComment),
    )
    async def comment(member_id: MemberId, year: Year, body: s.CommentBody) -> s.Accepted:
        """A written comment from the host branch of a temporary attendance (needed before
        the rating from 2025) or from the residence organisation (Quy định 213-QĐ/TW). Kept
        off the public stream. Appraise: at the member's branch."""
        command = c.RecordComment(member_id, year, **body.model_dump())
        return accepted(await bus.run(command))

    @api.post(
        "/members/{member_id}/ratings/{year}/removal-proposal",
        status_code=201,
        dependencies=checked(c.ProposeRemoval),
    )
    async def removal_proposal(
        member_id: MemberId, year: Year, body: s.RemovalProposal
    ) -> s.Accepted:
        """Charter art. 8: the branch proposes removing a member the records flag (three
        months absent without good reason). Not a rating level. Appraise: at the member's
        branch."""
        command = c.ProposeRemoval(member_id, year, **body.model_dump())
        return accepted(await bus.run(command))

    @api.post(
        "/members/{member_id}/ratings/{year}/removal-decision",
        status_code=201,
        dependencies=checked(c.DecideRemoval),
    )
    async def removal_decision(
        member_id: MemberId, year: Year, body: s.RemovalDecision
    ) -> s.Accepted:
        """The competent committee decides on the branch's proposal to remove. Decide: at the
        member's branch."""
        command = c.DecideRemoval(member_id, year, **body.model_dump())
        return accepted(await bus.run(command))

    @api.post(
        "/members/{member_id}/ratings/{year}/self-assessment",
        status_code=201,
        dependencies=checked(c.SubmitSelfAssessment),
    )
    async def self_assessment(
        member_id: MemberId, year: Year, body: s.SelfAssessment
    ) -> s.Accepted:
        """Self-assess: at the member's branch; the member role only its own."""
        command = c.SubmitSelfAssessment(member_id, year, **body.model_dump())
        return accepted(await bus.run(command))

    @api.post(
        "/members/{member_id}/ratings/{year}/appraisal",
        status_code=201,
        dependencies=checked(c.RecordAppraisal),
    )
    async def appraisal(member_id: MemberId, year: Year, body: s.Appraisal) -> s.Accepted:
        """Appraise: at the member's branch."""
        command = c.RecordAppraisal(member_id, year, **body.model_dump())
        return accepted(await bus.run(command))

    @api.post(
        "/units/{unit_id}/ratings/{year}/decisions",
        status_code=201,
        dependencies=checked(c.Decide),
    )
    async def decide(unit_id: UnitPath, year: Year, body: s.Decide) -> s.Accepted:
        """A branch decides its members' levels; a higher unit those of the units directly
        under it. All or nothing; the quota is checked on the cohort the year's rules name
        (by default the grassroots organisation), as it would stand after the command.
        Decide: at the unit."""
        decisions = tuple(Decision(d.subject_id, d.level) for d in body.decisions)
        command = c.Decide(unit_id, year, decisions, body.decided_on)
        return accepted(await bus.run(command))

    @api.post(
        "/units/{unit_id}/ratings/{year}/cancellations",
        status_code=201,
        dependencies=checked(c.CancelDecision),
    )
    async def cancel(unit_id: UnitPath, year: Year, body: s.Cancel) -> s.Accepted:
        """Decide: at the unit, and at the higher unit that cancels."""
        command = c.CancelDecision(unit_id, year, **body.model_dump())
        return accepted(await bus.run(command))

    @api.post(
        "/units/{unit_id}/ratings/{year}/appraisal",
        status_code=201,
        dependencies=checked(c.AppraiseUnit),
    )
    async def unit_appraisal(unit_id: UnitPath, year: Year, body: s.UnitAppraisal) -> s.Accepted:
        """A collective's year as its self-assessment and the level above put it: points out
        of 100 where the year's rules score, the level its criteria are judged at, its
        targets. Decide: at the unit."""
        command = c.AppraiseUnit(unit_id, year, **body.model_dump())
        return accepted(await bus.run(command))

    @api.post(
        "/units/{unit_id}/ratings/{year}/cohort",
        status_code=201,
        dependencies=checked(c.SetCohort),
    )
    async def cohort(unit_id: UnitPath, year: Year, body: s.CohortChoice) -> s.Accepted:
        """The competent level sets the cohort a branch's members count in for the year's
        quota: the branch or a unit above it (default: the rule set's). Decide: at the branch
        and at the cohort's unit."""
        command = c.SetCohort(unit_id, year, **body.model_dump())
        return accepted(await bus.run(command))

    @api.post(
        "/units/{unit_id}/ratings/{year}/allowance",
        status_code=201,
        dependencies=checked(c.GrantAllowance),
    )
    async def allowance(unit_id: UnitPath, year: Year, body: s.Allowance) -> s.Accepted:
        """The level above grants a cohort the share its rule set allows an outstanding unit.
        Decide: at the unit and at the level above it."""
        command = c.GrantAllowance(unit_id, year, **body.model_dump())
        return accepted(await bus.run(command))

    @api.post(
        "/admin/read-models/rebuild",
        status_code=202,
        dependencies=[*checked(c.RebuildReadModels), Depends(runs_once_per_key)],
    )
    async def rebuild() -> s.RebuildStatus:
        """Fill a new generation of the consumed read models from the streams; queries read
        the current one until the new one has caught up, then switch. Operate."""
        return s.RebuildStatus(**await bus.run(c.RebuildReadModels()))

    @api.get("/admin/read-models", dependencies=checked(q.ReadModelStatus))
    async def read_model_status() -> s.RebuildStatus:
        """Operate."""
        return s.RebuildStatus(**await bus.run(q.ReadModelStatus()))
