"""Who acts: a subject, one role, and the organisation subtree the role is held over.

The claims are the province's identity provider's to issue; chibo reads three of its own
besides the standard ones: `chibo_role`, `chibo_org` (the dotted organisation path of the
subtree, e.g. "LC.VB.VL"; empty for the whole province) and, for the member role,
`chibo_member` (their member id).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from chibo_kernel.errors import ChiboError


class Role(StrEnum):
    PROVINCE_ADMIN = "province_admin"  # quản trị tỉnh
    ORGANISATION_BOARD = "organisation_board"  # ban thường vụ / cấp ủy cấp trên
    GRASSROOTS_COMMITTEE = "grassroots_committee"  # đảng ủy cơ sở
    BRANCH_SECRETARY = "branch_secretary"  # bí thư chi bộ
    MEMBER = "member"  # đảng viên
    AUDITOR = "auditor"  # kiểm tra (read only)


ROLES = tuple(Role)


class BadClaims(ChiboError):
    code = "bad_token_claims"

    def __init__(self, problem: str, problem_vi: str) -> None:
        super().__init__(
            f"the token's claims are unusable: {problem}", f"thẻ không hợp lệ: {problem_vi}"
        )


@dataclass(frozen=True, slots=True)
class Principal:
    subject: str
    role: Role
    scope: tuple[str, ...]  # the organisation subtree; () is the whole province
    member_id: str | None = None

    def covers(self, org_path: Sequence[str]) -> bool:
        """Whether `org_path` lies in this principal's subtree (the subtree's root included)."""
        return tuple(org_path[: len(self.scope)]) == self.scope

    @property
    def actor(self) -> str:
        return self.subject

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any]) -> Principal:
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject:
            raise BadClaims("no subject (sub)", "thiếu chủ thể (sub)")
        try:
            role = Role(str(claims.get("chibo_role")))
        except ValueError:
            raise BadClaims(
                f"chibo_role must be one of {', '.join(ROLES)}",
                f"chibo_role phải là một trong {', '.join(ROLES)}",
            ) from None
        org = claims.get("chibo_org", "")
        if not isinstance(org, str) or any(not part for part in org.split(".") if org):
            raise BadClaims("chibo_org must be a dotted path", "chibo_org phải là đường dẫn")
        scope = tuple(org.split(".")) if org else ()
        if role is not Role.PROVINCE_ADMIN and role is not Role.AUDITOR and not scope:
            raise BadClaims(f"the {role} role needs chibo_org", f"vai trò {role} cần chibo_org")
        member = claims.get("chibo_member")
        if role is Role.MEMBER and not (isinstance(member, str) and member):
            raise BadClaims(
                "the member role needs chibo_member", "vai trò đảng viên cần chibo_member"
            )
        return cls(subject, role, scope, member if isinstance(member, str) else None)
