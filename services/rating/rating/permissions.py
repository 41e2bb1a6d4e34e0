"""Who may do what, where: every command and query of the service, the permission it needs
(chibo_chassis.auth.policy: which roles hold it) and the place it acts on. The boundary
applies this table before any handler runs; nothing else in the service decides it.
docs/authorization.md explains the roles and their scopes."""

from __future__ import annotations

from chibo_chassis.auth import Permission, Rule
from chibo_chassis.http import ReadAudit, ReadPersonalDataReads
from chibo_chassis.subject_export import ReadPersonalData

from .adapters.places import Places, cohort_on_path, member_branch, parent, unit, units
from .application import queries as q
from .domain import commands as c

READ = Permission.READ
SELF_ASSESS = Permission.SELF_ASSESS
APPRAISE = Permission.APPRAISE
DECIDE = Permission.DECIDE
OPERATE = Permission.OPERATE

PERMISSIONS: dict[type, Rule[Places]] = {
    # A member's year: at the branch they belong to at the year's end (`member_branch`).
    c.SubmitSelfAssessment: Rule(SELF_ASSESS, at=member_branch(), own="member_id"),
    c.RecordAppraisal: Rule(APPRAISE, at=member_branch()),
    c.RecordLeave: Rule(APPRAISE, at=member_branch()),
    c.RecordComment: Rule(APPRAISE, at=member_branch()),
    c.ProposeRemoval: Rule(APPRAISE, at=member_branch()),
    c.RecordDiscipline: Rule(DECIDE, at=member_branch()),
    c.RecordConclusion: Rule(DECIDE, at=member_branch()),
    c.DecideRemoval: Rule(DECIDE, at=member_branch()),
    # Decisions: at the unit decided or appraised.
    c.Decide: Rule(DECIDE, at=unit()),
    c.AppraiseUnit: Rule(DECIDE, at=unit()),
    # And at the cancelling unit: one cancels only in the name of a level one holds (an
    # unknown one is refused as out of scope, unless the principal is province-wide).
    c.CancelDecision: Rule(DECIDE, at=unit(), also=(units("by_unit_id"),)),
    # And at the cohort's unit, when it lies on the branch's path.
    c.SetCohort: Rule(DECIDE, at=unit(), also=(cohort_on_path(),)),
    # And at the level above the cohort, which grants it.
    c.GrantAllowance: Rule(DECIDE, at=unit(), also=(parent(),)),
    c.RebuildReadModels: Rule(OPERATE),
    # Reads: at the unit; a member's scorecard at their branch (the member role its own).
    q.MemberScorecard: Rule(READ, at=member_branch(), own="member_id"),
    q.UnitMemberScorecards: Rule(READ, at=unit()),
    q.UnitMemberScorecardPages: Rule(READ, at=unit()),
    q.BranchCards: Rule(READ, at=unit()),
    q.UnitRollup: Rule(READ, at=unit()),
    q.Art8Flags: Rule(READ, at=unit()),
    q.UnitProposals: Rule(READ, at=unit()),
    q.UnitTitles: Rule(READ, at=unit()),
    # Visits are counted only to branches the caller may read.
    q.FollowingVisits: Rule(READ, at=unit(), rows=True),
    # The published rules: any signed-in role.
    q.RuleSetOfYear: Rule(Permission.READ_POLICY),
    # A meeting's facts judged by those rules: reads nothing else, stores nothing.
    q.MeetingVerdict: Rule(Permission.READ_POLICY),
    q.ReadModelStatus: Rule(OPERATE),
    # Who changed what: only the events filed where the caller audits.
    ReadAudit: Rule(Permission.AUDIT, rows=True),
    ReadPersonalDataReads: Rule(Permission.AUDIT, rows=True),
    # Everything held about a member (their right of access): read at their latest branch,
    # the member role its own.
    ReadPersonalData: Rule(READ, at=member_branch(), own="member_id"),
}
