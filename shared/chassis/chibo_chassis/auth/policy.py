"""Who may do what, where: each role's permissions, each held over the principal's subtree.

Every command and query names one permission and the organisation path it touches; the
policy answers from the role's grants and the principal's scope, before any domain rule
runs, so a refusal never depends on or reveals the state behind it. The member role holds
its permissions only over its own records: the request must name that member.

With no principal in force the caller is the service itself (a consumer applying another
service's events, an operator's command-line tool); HTTP never gets here without one.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from typing import NoReturn

from chibo_kernel.errors import ChiboError, NotFound

from .principal import Principal, Role


class Forbidden(ChiboError):
    code = "forbidden"

    def __init__(self, actor: str | None, action: str, org_path: Sequence[str]) -> None:
        where = "/".join(org_path)
        who = actor or "an anonymous caller"
        super().__init__(
            f"{who} may not {action} in {where or 'the province'}",
            f"{actor or 'người gọi ẩn danh'} không có quyền {action} tại {where or 'toàn tỉnh'}",
        )
        self.action = action
        self.org_path = tuple(org_path)


class Permission(StrEnum):
    READ = "read"  # queries over a subtree
    READ_POLICY = "read_policy"  # the province's published rules: any signed-in role
    AUDIT = "audit"  # who changed what, when
    ORGANISE = "organise"  # the organisation tree and province policies (ranges, quotas)
    MEMBERS = "members"  # member records: admission, transfer, exemption, roles, imports
    BRANCH_WORK = "branch_work"  # plans, duties, households, meetings, attendance, reviews
    REPORT = "report"  # a member's monthly report
    SELF_ASSESS = "self_assess"  # a member's yearly self-assessment
    APPRAISE = "appraise"  # the branch's appraisal of a member
    DECIDE = "decide"  # rating decisions, their cancellation, discipline
    FOLLOW = "follow"  # which committee member follows which organisations
    OPERATE = "operate"  # read-model rebuilds and other operator actions


P = Permission
GRANTS: dict[Role, frozenset[Permission]] = {
    Role.PROVINCE_ADMIN: frozenset(Permission),
    Role.ORGANISATION_BOARD: frozenset(
        {P.READ, P.READ_POLICY, P.AUDIT, P.ORGANISE, P.DECIDE, P.FOLLOW}
    ),
    Role.GRASSROOTS_COMMITTEE: frozenset(
        {P.READ, P.READ_POLICY, P.AUDIT, P.MEMBERS, P.BRANCH_WORK, P.REPORT}
        | {P.SELF_ASSESS, P.APPRAISE, P.DECIDE, P.FOLLOW}
    ),
    Role.BRANCH_SECRETARY: frozenset(
        {P.READ, P.READ_POLICY, P.MEMBERS, P.BRANCH_WORK, P.REPORT, P.SELF_ASSESS, P.APPRAISE}
    ),
    Role.MEMBER: frozenset({P.READ, P.READ_POLICY, P.REPORT, P.SELF_ASSESS}),
    Role.AUDITOR: frozenset({P.READ, P.READ_POLICY, P.AUDIT}),
}
# Permissions that are not bound to a place in the tree: the role alone decides.
UNSCOPED = frozenset({P.READ_POLICY, P.OPERATE})

_principal: ContextVar[Principal | None] = ContextVar("chibo_principal", default=None)


def current_principal() -> Principal | None:
    return _principal.get()


@contextmanager
def acting_as(principal: Principal | None) -> Iterator[None]:
    token = _principal.set(principal)
    try:
        yield
    finally:
        _principal.reset(token)


def allowed(
    principal: Principal,
    permission: Permission,
    org_path: Sequence[str] | None,
    member_id: str | None = None,
) -> bool:
    """The whole rule. `org_path` None means the place is unknown: only a province-wide
    principal may learn that (as a 404); everyone else is refused as if out of scope."""
    if permission not in GRANTS[principal.role]:
        return False
    if permission in UNSCOPED:
        return True
    if org_path is None or not principal.covers(org_path):
        return org_path is None and not principal.scope
    if principal.role is Role.MEMBER:
        return member_id is not None and member_id == principal.member_id
    return True


def can(
    permission: Permission, org_path: Sequence[str] | None, member_id: str | None = None
) -> bool:
    """For filtering rows: whether the principal in force may see or touch this one."""
    principal = _principal.get()
    return principal is None or allowed(principal, permission, org_path, member_id)


def require(
    permission: Permission, org_path: Sequence[str] | None, member_id: str | None = None
) -> None:
    """Raise Forbidden unless the principal in force may; no principal means the service
    itself acts (see the module docstring)."""
    principal = _principal.get()
    if principal is None or allowed(principal, permission, org_path, member_id):
        return
    raise Forbidden(principal.subject, str(permission), org_path or ())


def require_role(permission: Permission) -> None:
    """The role alone, for queries that filter their rows by place afterwards."""
    principal = _principal.get()
    if principal is not None and permission not in GRANTS[principal.role]:
        raise Forbidden(principal.subject, str(permission), principal.scope)


def refuse_unknown(what_en: str, what_vi: str) -> NoReturn:
    """Nothing visible was found: 404 for a province-wide principal; for anyone else the
    same 403 an out-of-scope subject gets, so ids outside one's subtree cannot be probed."""
    principal = _principal.get()
    if principal is not None and principal.scope:
        raise Forbidden(principal.subject, "read", principal.scope)
    raise NotFound(what_en, what_vi)
