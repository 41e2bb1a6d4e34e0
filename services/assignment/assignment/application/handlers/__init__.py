"""One module per command; `bind` gives the boundary each handler with what it loads from
(the member import's job runner for the one command that starts a job, the keyring for the
one that destroys a key)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from chibo_kernel.keyring import Keyring

from ...domain import commands as c
from ..import_jobs import ImportJobs
from ..loading import Loader
from . import (
    adopt_plan,
    assign_duties,
    assign_following,
    assign_households,
    assign_mentor,
    attend_temporarily,
    confirm_member,
    correct_identity,
    create_unit,
    define_duties,
    dissolve_unit,
    draft_plan,
    erase_member,
    escalate_problem,
    exempt_member,
    give_role,
    import_members,
    import_plan_assignments,
    member_leaves,
    merge_unit,
    move_unit,
    register_households,
    register_member,
    rename_unit,
    resolve_problem,
    review_reports,
    set_household_range,
    set_visit_quota,
    submit_reports,
    suspend_member,
    transfer_member,
)

Handler = Callable[[Any], Awaitable[Any]]

HANDLERS: dict[type, Callable[..., Awaitable[Any]]] = {
    # the organisation tree
    c.CreateUnit: create_unit.handle,
    c.RenameUnit: rename_unit.handle,
    c.MoveUnit: move_unit.handle,
    c.MergeUnit: merge_unit.handle,
    c.DissolveUnit: dissolve_unit.handle,
    # members and their standing
    c.RegisterMember: register_member.handle,
    c.CorrectIdentity: correct_identity.handle,
    c.GiveRole: give_role.handle,
    c.ConfirmMember: confirm_member.handle,
    c.ExemptMember: exempt_member.handle,
    c.SuspendMember: suspend_member.handle,
    c.MemberLeaves: member_leaves.handle,
    c.AttendTemporarily: attend_temporarily.handle,
    c.TransferMember: transfer_member.handle,
    # households, duties and yearly plans
    c.RegisterHouseholds: register_households.handle,
    c.DraftPlan: draft_plan.handle,
    c.SetHouseholdRange: set_household_range.handle,
    c.AssignHouseholds: assign_households.handle,
    c.AdoptPlan: adopt_plan.handle,
    c.DefineDuties: define_duties.handle,
    c.AssignDuties: assign_duties.handle,
    c.ImportPlanAssignments: import_plan_assignments.handle,
    # monthly reports and problems
    c.SubmitReports: submit_reports.handle,
    c.ReviewReports: review_reports.handle,
    c.EscalateProblem: escalate_problem.handle,
    c.ResolveProblem: resolve_problem.handle,
    # mentoring, following and quotas
    c.AssignMentor: assign_mentor.handle,
    c.AssignFollowing: assign_following.handle,
    c.SetVisitQuota: set_visit_quota.handle,
}
# Commands that start a job: given the job runner rather than the Loader.
STARTERS: dict[type, Callable[..., Awaitable[Any]]] = {
    c.ImportMembers: import_members.handle,
}


def bind(
    load: Loader, jobs: ImportJobs | None = None, keys: Callable[[], Keyring] | None = None
) -> dict[type, Handler]:
    """Without jobs (the in-memory wiring) there is no member import; without the keyring,
    no erasure."""
    bound: dict[type, Handler] = {k: partial(h, load=load) for k, h in HANDLERS.items()}
    if jobs is not None:
        bound |= {kind: partial(handle, jobs=jobs) for kind, handle in STARTERS.items()}
    if keys is not None:
        bound[c.EraseMember] = partial(erase_member.handle, load=load, keys=keys)
    return bound
