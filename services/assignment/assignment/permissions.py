"""Who may do what, where: every command and query of the service, the permission it needs
(chibo_chassis.auth.policy: which roles hold it) and the place it acts on. The boundary
applies this table before any handler runs; nothing else in the service decides it.
docs/authorization.md explains the roles and their scopes."""

from __future__ import annotations

from chibo_chassis.auth import Fields, Permission, Principal, Role, Rule
from chibo_chassis.http import ReadAudit, ReadPersonalDataReads
from chibo_chassis.subject_export import ReadPersonalData

from .adapters.places import Places, job, member, parent, problem, unit, units
from .application import queries as q
from .domain import commands as c

ORGANISE = Permission.ORGANISE
MEMBERS = Permission.MEMBERS
BRANCH_WORK = Permission.BRANCH_WORK
FOLLOW = Permission.FOLLOW
READ = Permission.READ


def own_reports(fields: Fields, principal: Principal) -> str | None:
    """The member role may submit only reports that are all its own: the first member a
    report names other than itself is whose record it would touch."""
    if principal.role is not Role.MEMBER:
        return None
    reports = fields.get("reports")
    for report in reports if isinstance(reports, list | tuple) else ():
        named = report.get("member_id") if isinstance(report, dict) else None
        if isinstance(named, str) and named != principal.member_id:
            return named
    return principal.member_id


_branch = unit("branch_id")
_province = unit("province_id")

PERMISSIONS: dict[type, Rule[Places]] = {
    # The organisation tree. A new unit: at its parent (a province: over the whole tree).
    c.CreateUnit: Rule(ORGANISE, also=(parent(),)),
    c.RenameUnit: Rule(ORGANISE, at=unit("unit_id")),
    c.DissolveUnit: Rule(ORGANISE, at=unit("unit_id")),
    # At the unit and at its new parent; a merger at both units.
    c.MoveUnit: Rule(ORGANISE, at=unit("unit_id"), also=(units("to_parent_id"),)),
    c.MergeUnit: Rule(ORGANISE, at=unit("unit_id"), also=(units("into_unit_id"),)),
    # Members. A new member: at the branch the body names (unknown: only a province-wide
    # principal gets as far as the validation).
    c.RegisterMember: Rule(MEMBERS, also=(unit("branch_id"),)),
    # Correcting who they are (name, card, birth date): as registering them, at their branch.
    c.CorrectIdentity: Rule(MEMBERS, at=member()),
    c.GiveRole: Rule(MEMBERS, at=member()),
    c.ConfirmMember: Rule(MEMBERS, at=member()),
    c.ExemptMember: Rule(MEMBERS, at=member()),
    c.SuspendMember: Rule(MEMBERS, at=member()),
    c.MemberLeaves: Rule(MEMBERS, at=member()),
    c.AttendTemporarily: Rule(MEMBERS, at=member()),
    # At the member's branch and at the branch they move to.
    c.TransferMember: Rule(MEMBERS, at=member(), also=(units("to_branch_id"),)),
    # The role alone at upload: each row's branch is known only once the file is read, and
    # the job asks RegisterMember's rule for it, row by row.
    c.ImportMembers: Rule(MEMBERS),
    # Erasing a member's personal data: the province's organisation board or administrator
    # at the member's branch, not the branch that keeps the record (domain/erasure.py).
    c.EraseMember: Rule(ORGANISE, at=member()),
    # Households, duties and yearly plans: at the branch; province policies at the province.
    c.RegisterHouseholds: Rule(BRANCH_WORK, at=_branch),
    c.DraftPlan: Rule(BRANCH_WORK, at=_branch),
    c.AssignHouseholds: Rule(BRANCH_WORK, at=_branch),
    c.AdoptPlan: Rule(BRANCH_WORK, at=_branch),
    c.DefineDuties: Rule(BRANCH_WORK, at=_branch),
    c.AssignDuties: Rule(BRANCH_WORK, at=_branch),
    c.ImportPlanAssignments: Rule(BRANCH_WORK, at=_branch),
    c.SetHouseholdRange: Rule(ORGANISE, at=_province),
    # Monthly reports: the member role only for reports that are all its own.
    c.SubmitReports: Rule(Permission.REPORT, at=_branch, own=own_reports),
    c.ReviewReports: Rule(BRANCH_WORK, at=_branch),
    c.EscalateProblem: Rule(BRANCH_WORK, at=problem()),
    c.ResolveProblem: Rule(BRANCH_WORK, at=problem()),
    # Mentoring in the branch; following at the follower's branch and every unit followed.
    c.AssignMentor: Rule(BRANCH_WORK, at=_branch),
    c.AssignFollowing: Rule(FOLLOW, at=member(), also=(units("unit_ids"),)),
    c.SetVisitQuota: Rule(ORGANISE, at=_province),
    # Queries: at the branch or province they read; an import job at its starter's subtree.
    q.PlanCoverage: Rule(READ, at=_branch),
    q.Mentoring: Rule(READ, at=_branch),
    q.MonthReports: Rule(READ, at=_branch),
    q.VisitQuotas: Rule(READ, at=_province),
    q.ImportProgress: Rule(READ, at=job()),
    # The web app's reads of a branch: its members, households and a year's plan.
    q.BranchMembers: Rule(READ, at=_branch),
    q.BranchHouseholds: Rule(READ, at=_branch),
    q.YearPlan: Rule(READ, at=_branch),
    # Who follows the branch from above (the guests its meeting sheet offers).
    q.BranchFollowers: Rule(READ, at=_branch),
    # The tree names units, no one: every role sees the units inside its own subtree.
    q.OrgTree: Rule(READ, rows=True),
    # Who changed what: the events filed inside the caller's subtree.
    ReadAudit: Rule(Permission.AUDIT, rows=True),
    ReadPersonalDataReads: Rule(Permission.AUDIT, rows=True),
    # Everything held about a member (their right of access): read at their branch, the
    # member role its own.
    ReadPersonalData: Rule(READ, at=member(), own="member_id"),
}
