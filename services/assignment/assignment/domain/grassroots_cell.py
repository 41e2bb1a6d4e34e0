"""Where members belong directly: a branch (chi bộ), or a chi bộ cơ sở, a grassroots
organisation with fewer than 30 members and no branch, whose members meet in it directly
(Điều lệ Đảng art. 21 khoản 3).

A chi bộ cơ sở is a `grassroots` unit, not a kind of its own: what makes it one is having
no active branch under it, so the event contract is unchanged. It holds members, households,
plans and reports as a branch does, under its own id. A unit's stream records neither what
sits under it nor who belongs to it: the loader resolves `OrgUnit.sub_units` and
`OrgUnit.direct_members` from the read models before these rules are asked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chibo_kernel.errors import RuleViolation

from .errors import refuse

if TYPE_CHECKING:
    from .org import OrgUnit


def holds_members(unit: OrgUnit) -> bool:
    """A branch, or a grassroots unit known to have no active branch."""
    return unit.kind == "branch" or (unit.kind == "grassroots" and unit.sub_units == ())


def require_member_unit(unit: OrgUnit) -> None:
    """A member is registered, transferred or hosted only where members meet: an active
    branch or chi bộ cơ sở."""
    require_work_unit(unit)
    if not unit.active:
        raise _not_a_branch(unit)


def require_work_unit(unit: OrgUnit) -> None:
    """Households, plans and reports belong to a branch or a chi bộ cơ sở (a dissolved one
    keeps its past: late reports still land)."""
    if unit.kind == "grassroots" and unit.sub_units:
        branches = ", ".join(unit.sub_units)
        raise refuse(
            "grassroots_has_branches",
            f"{unit.name} ({unit.id}) has branches ({branches}): its members and their work "
            "belong to one of them, not to it directly",
            f"{unit.name} ({unit.id}) có chi bộ trực thuộc ({branches}): đảng viên và việc "
            "được phân công thuộc một chi bộ trực thuộc, không trực tiếp thuộc đảng bộ",
        )
    if not holds_members(unit):
        raise _not_a_branch(unit)


def require_no_direct_members(parent: OrgUnit) -> None:
    """No branch goes under a chi bộ cơ sở while members still belong to it directly: its
    members would then meet in two places. Transfer them first."""
    if parent.kind == "grassroots" and parent.direct_members:
        count = len(parent.direct_members)
        raise refuse(
            "grassroots_holds_members",
            f"{parent.name} ({parent.id}) is a chi bộ cơ sở with members of its own ({count}): "
            "no branch can be placed under it until they are transferred",
            f"{parent.name} ({parent.id}) là chi bộ cơ sở có {count} đảng viên sinh hoạt trực "
            "tiếp: chưa thể lập hay chuyển chi bộ trực thuộc vào khi chưa chuyển sinh hoạt "
            "các đảng viên đó",
        )


def _not_a_branch(unit: OrgUnit) -> RuleViolation:
    return refuse(
        "not_a_branch",
        f"{unit.called} is not an active branch or chi bộ cơ sở",
        f"{unit.called} không phải chi bộ hay chi bộ cơ sở đang hoạt động",
    )
