"""Who may do what, where: every command and query of the service, the permission it needs
(chibo_kernel.auth.policy: which roles hold it) and the place it acts on. The boundary
applies this table before any handler runs; nothing else in the service decides it.
docs/authorization.md explains the roles and their scopes."""

from __future__ import annotations

from chibo_kernel.auth import Permission, Rule

from .adapters.places import Places, member, unit, units
from .domain import commands as c

MEMBERS = Permission.MEMBERS

PERMISSIONS: dict[type, Rule[Places]] = {
    # A new member: at the branch the body names (unknown: only a province-wide principal
    # gets as far as the validation).
    c.RegisterMember: Rule(MEMBERS, also=(unit("branch_id"),)),
    c.GiveRole: Rule(MEMBERS, at=member()),
    c.ConfirmMember: Rule(MEMBERS, at=member()),
    c.ExemptMember: Rule(MEMBERS, at=member()),
    c.SuspendMember: Rule(MEMBERS, at=member()),
    c.MemberLeaves: Rule(MEMBERS, at=member()),
    c.AttendTemporarily: Rule(MEMBERS, at=member()),
    # At the member's branch and at the branch they move to.
    c.TransferMember: Rule(MEMBERS, at=member(), also=(units("to_branch_id"),)),
}
