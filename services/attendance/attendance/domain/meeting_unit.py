"""Where meetings are held: a branch (chi bộ), or a chi bộ cơ sở, a grassroots organisation
with no branch, whose members meet in it directly (Điều lệ Đảng art. 21 khoản 3).

A chi bộ cơ sở is a `grassroots` unit in the assignment service's events, not a kind of its
own: what makes it one is having no active branch under it in the org tree as consumed here.
Its meetings, sheets and roster are filed under its own id, as a branch's are."""

from __future__ import annotations

from dataclasses import dataclass

from chibo_kernel.errors import RuleViolation


@dataclass(frozen=True, slots=True)
class ConsumedUnit:
    unit_id: str
    name: str
    kind: str
    path: list[str]
    active: bool
    sub_units: tuple[str, ...]  # the active units directly under it


def require_meeting_unit(unit: ConsumedUnit | None, unit_id: str) -> ConsumedUnit:
    """The unit, if its members meet in it: an active branch or chi bộ cơ sở."""
    if unit is not None and unit.active and unit.kind == "grassroots" and unit.sub_units:
        branches = ", ".join(unit.sub_units)
        raise RuleViolation(
            "grassroots_has_branches",
            f"{unit.name} ({unit.unit_id}) has branches ({branches}): its members meet in them, "
            "not at the grassroots organisation",
            f"{unit.name} ({unit.unit_id}) có chi bộ trực thuộc ({branches}): đảng viên sinh hoạt "
            "ở các chi bộ trực thuộc, không sinh hoạt trực tiếp ở đảng bộ cơ sở",
        )
    if unit is not None and (not unit.active or unit.kind not in ("branch", "grassroots")):
        called = unit.name or unit.unit_id
        raise RuleViolation(
            "branch_unknown",
            f"{called} is not an active branch or chi bộ cơ sở: its members do not meet in it",
            f"{called} không phải chi bộ hay chi bộ cơ sở đang hoạt động: đảng viên không "
            "sinh hoạt ở đó",
        )
    if unit is None:  # unknown here: the id asked for is all there is to name it by
        raise RuleViolation(
            "branch_unknown",
            f"no active branch or chi bộ cơ sở {unit_id} is known to the attendance service "
            "(units come from the assignment service's events)",
            f"dịch vụ điểm danh không biết chi bộ hay chi bộ cơ sở {unit_id} đang hoạt động "
            "(đơn vị lấy từ sự kiện của dịch vụ phân công)",
        )
    return unit
