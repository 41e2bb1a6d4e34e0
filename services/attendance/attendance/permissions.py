"""Who may do what, where: every command and query of the service, the permission it needs
(chibo_chassis.auth.policy: which roles hold it) and the place it acts on. The boundary
applies this table before any handler runs; nothing else in the service decides it.
docs/authorization.md explains the roles and their scopes.

A branch or meeting unknown here (or an id none can have) is 404 for a province-wide
principal and 403 for anyone else, so ids outside one's subtree cannot be probed."""

from __future__ import annotations

from chibo_chassis.auth import Permission, Rule
from chibo_chassis.http import ReadAudit, ReadPersonalDataReads
from chibo_chassis.subject_export import ReadPersonalData

from .adapters.places import Places, branch, callers_subtree, meeting, member
from .application import queries as q
from .domain import commands as c

BRANCH_WORK = Permission.BRANCH_WORK
READ = Permission.READ

PERMISSIONS: dict[type, Rule[Places]] = {
    # Every command is the branch's work, at the branch named or the meeting's branch.
    c.ScheduleMeeting: Rule(BRANCH_WORK, at=branch()),
    c.PostponeMeeting: Rule(BRANCH_WORK, at=meeting()),
    c.CancelMeeting: Rule(BRANCH_WORK, at=meeting()),
    c.HoldMeeting: Rule(BRANCH_WORK, at=meeting()),
    c.RecordAttendance: Rule(BRANCH_WORK, at=meeting()),
    c.CorrectAttendance: Rule(BRANCH_WORK, at=meeting()),
    c.AddGuests: Rule(BRANCH_WORK, at=meeting()),
    # Reads at the branch named or the meeting's branch.
    q.BranchRoster: Rule(READ, at=branch()),
    q.MeetingDetail: Rule(READ, at=meeting()),
    q.BranchYear: Rule(READ, at=branch()),
    # Anywhere, keeping only the visits and followed units inside the caller's subtree;
    # the member role: its own visits only.
    q.FollowerVisits: Rule(READ, at=callers_subtree(), own="member_id", rows=True),
    # Who changed what: the events filed inside the caller's subtree.
    ReadAudit: Rule(Permission.AUDIT, rows=True),
    ReadPersonalDataReads: Rule(Permission.AUDIT, rows=True),
    # Everything held about a member (their right of access): read at their branch, the
    # member role its own.
    ReadPersonalData: Rule(READ, at=member(), own="member_id"),
}
