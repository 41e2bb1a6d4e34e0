"""Command routes: people's inputs, decisions and cancellations; the rebuild. Each names the
permission it needs and where (docs/authorization.md); the guard answers before the body
is read."""

from __future__ import annotations

from fastapi import APIRouter

from chibo_kernel.auth import Permission
from chibo_kernel.http import accepted, guard

from ...application.commands import RatingCommands
from ...application.member_inputs import MemberInputs
from ...application.read_models import ReadModels
from ...domain.decisions import Decision
from .. import schemas as s
from .params import MemberId, UnitPath, Year
from .places import Places


def add_routes(
    api: APIRouter,
    commands: RatingCommands,
    inputs: MemberInputs,
    read_models: ReadModels,
    places: Places,
) -> None:
    at_member = places.member_branch
    at_unit = places.unit

    @api.post(
        "/members/{member_id}/ratings/{year}/discipline",
        status_code=201,
        dependencies=[guard(Permission.DECIDE, at_member)],
    )
    async def discipline(member_id: MemberId, year: Year, body: s.Discipline) -> s.Accepted:
        """A disciplinary measure of the year, with what the rules weigh. Kept off the public
        stream. Decide: at the member's branch."""
        return accepted(await inputs.record_discipline(member_id, year, **body.model_dump()))

    @api.post(
        "/members/{member_id}/ratings/{year}/conclusions",
        status_code=201,
        dependencies=[guard(Permission.DECIDE, at_member)],
    )
    async def conclusion(member_id: MemberId, year: Year, body: s.ConclusionBody) -> s.Accepted:
        """A competent body's conclusion (degradation, a violation of what members must not
        do, of the duty to set an example). Kept off the public stream. Decide: at the
        member's branch."""
        return accepted(await inputs.record_conclusion(member_id, year, **body.model_dump()))

    @api.post(
        "/members/{member_id}/ratings/{year}/leave",
        status_code=201,
        dependencies=[guard(Permission.APPRAISE, at_member)],
    )
    async def leave(member_id: MemberId, year: Year, body: s.Leave) -> s.Accepted:
        """Sick or maternity leave: no report is due in its months. Health data, kept off the
        public stream. Appraise: at the member's branch."""
        return accepted(await inputs.record_leave(member_id, year, **body.model_dump()))

    @api.post(
        "/members/{member_id}/ratings/{year}/comments",
        status_code=201,
        dependencies=[guard(Permission.APPRAISE, at_member)],
    )
    async def comment(member_id: MemberId, year: Year, body: s.CommentBody) -> s.Accepted:
        """A written comment from the host branch of a temporary attendance (needed before
        the rating from 2025) or from the residence organisation (Quy định 213-QĐ/TW). Kept
        off the public stream. Appraise: at the member's branch."""
        return accepted(await inputs.record_comment(member_id, year, **body.model_dump()))

    @api.post(
        "/members/{member_id}/ratings/{year}/removal-proposal",
        status_code=201,
        dependencies=[guard(Permission.APPRAISE, at_member)],
    )
    async def removal_proposal(
        member_id: MemberId, year: Year, body: s.RemovalProposal
    ) -> s.Accepted:
        """Charter art. 8: the branch proposes removing a member the records flag (three
        months absent without good reason). Not a rating level. Appraise: at the member's
        branch."""
        return accepted(await inputs.propose_removal(member_id, year, **body.model_dump()))

    @api.post(
        "/members/{member_id}/ratings/{year}/removal-decision",
        status_code=201,
        dependencies=[guard(Permission.DECIDE, at_member)],
    )
    async def removal_decision(
        member_id: MemberId, year: Year, body: s.RemovalDecision
    ) -> s.Accepted:
        """The competent committee decides on the branch's proposal to remove. Decide: at the
        member's branch."""
        return accepted(await inputs.decide_removal(member_id, year, **body.model_dump()))

    @api.post(
        "/members/{member_id}/ratings/{year}/self-assessment",
        status_code=201,
        dependencies=[guard(Permission.SELF_ASSESS, at_member, member_param="member_id")],
    )
    async def self_assessment(
        member_id: MemberId, year: Year, body: s.SelfAssessment
    ) -> s.Accepted:
        """Self-assess: at the member's branch; the member role only its own."""
        return accepted(await inputs.submit_self_assessment(member_id, year, **body.model_dump()))

    @api.post(
        "/members/{member_id}/ratings/{year}/appraisal",
        status_code=201,
        dependencies=[guard(Permission.APPRAISE, at_member)],
    )
    async def appraisal(member_id: MemberId, year: Year, body: s.Appraisal) -> s.Accepted:
        """Appraise: at the member's branch."""
        return accepted(await inputs.record_appraisal(member_id, year, **body.model_dump()))

    @api.post(
        "/units/{unit_id}/ratings/{year}/decisions",
        status_code=201,
        dependencies=[guard(Permission.DECIDE, at_unit)],
    )
    async def decide(unit_id: UnitPath, year: Year, body: s.Decide) -> s.Accepted:
        """A branch decides its members' levels; a higher unit those of the units directly
        under it. All or nothing; the quota is checked on the cohort the year's rules name
        (by default the grassroots organisation), as it would stand after the command.
        Decide: at the unit."""
        decisions = [Decision(d.subject_id, d.level) for d in body.decisions]
        return accepted(
            await commands.decide(
                unit_id, year, decisions, decided_by=body.decided_by, decided_on=body.decided_on
            )
        )

    @api.post(
        "/units/{unit_id}/ratings/{year}/cancellations",
        status_code=201,
        dependencies=[guard(Permission.DECIDE, at_unit)],
    )
    async def cancel(unit_id: UnitPath, year: Year, body: s.Cancel) -> s.Accepted:
        """Decide: at the unit, and at the higher unit that cancels."""
        return accepted(await commands.cancel(unit_id, year, **body.model_dump()))

    @api.post(
        "/units/{unit_id}/ratings/{year}/appraisal",
        status_code=201,
        dependencies=[guard(Permission.DECIDE, at_unit)],
    )
    async def unit_appraisal(unit_id: UnitPath, year: Year, body: s.UnitAppraisal) -> s.Accepted:
        """A collective's year as its self-assessment and the level above put it: points out
        of 100 where the year's rules score, the level its criteria are judged at, its
        targets. Decide: at the unit."""
        return accepted(await commands.appraise_unit(unit_id, year, **body.model_dump()))

    @api.post(
        "/units/{unit_id}/ratings/{year}/cohort",
        status_code=201,
        dependencies=[guard(Permission.DECIDE, at_unit)],
    )
    async def cohort(unit_id: UnitPath, year: Year, body: s.CohortChoice) -> s.Accepted:
        """The competent level sets the cohort a branch's members count in for the year's
        quota: the branch or a unit above it (default: the rule set's). Decide: at the branch
        and at the cohort's unit."""
        return accepted(await commands.set_cohort(unit_id, year, **body.model_dump()))

    @api.post(
        "/units/{unit_id}/ratings/{year}/allowance",
        status_code=201,
        dependencies=[guard(Permission.DECIDE, at_unit)],
    )
    async def allowance(unit_id: UnitPath, year: Year, body: s.Allowance) -> s.Accepted:
        """The level above grants a cohort the share its rule set allows an outstanding unit.
        Decide: at the unit and at the level above it."""
        return accepted(await commands.grant_allowance(unit_id, year, **body.model_dump()))

    @api.post(
        "/admin/read-models/rebuild",
        status_code=202,
        dependencies=[guard(Permission.OPERATE)],
    )
    async def rebuild() -> s.RebuildStatus:
        """Fill a new generation of the consumed read models from the streams; queries read
        the current one until the new one has caught up, then switch. Operate."""
        await read_models.rebuild()
        return s.RebuildStatus(**await read_models.status())

    @api.get("/admin/read-models", dependencies=[guard(Permission.OPERATE)])
    async def read_model_status() -> s.RebuildStatus:
        """Operate."""
        return s.RebuildStatus(**await read_models.status())
