"""Organisation units: a tree of province, (historic) district, grassroots organisation and
branch. Units are never deleted: dissolving keeps the history, so the 2025 abolition of
districts is a dissolution dated 2025 and the past keeps its districts."""

from __future__ import annotations

import re
from datetime import date

from chibo_kernel import DomainEvent
from chibo_kernel.domain import Aggregate

from .errors import refuse
from .events import (
    OrgUnitCreated,
    OrgUnitDissolved,
    OrgUnitMerged,
    OrgUnitMoved,
    OrgUnitRenamed,
    UnitKind,
)
from .grassroots_cell import require_no_direct_members
from .names import clean_name

UNIT_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
ALLOWED_PARENTS: dict[str, tuple[str | None, ...]] = {
    "province": (None,),
    "district": ("province",),
    "grassroots": ("province", "district"),
    "branch": ("grassroots",),
}
# A level as a refusal says it in Vietnamese, where the unit has no name to go by.
KIND_VI: dict[str, str] = {
    "province": "đảng bộ tỉnh",
    "district": "đảng bộ huyện",
    "grassroots": "tổ chức cơ sở đảng",
    "branch": "chi bộ",
}


class OrgUnit(Aggregate):
    category = "org"

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.kind: UnitKind | None = None
        self.name = ""
        self.parent_id: str | None = None
        self.path: list[str] = []
        self.dissolved_on: date | None = None
        self.merged_into: str | None = None
        # Resolved by the loader from the read models (not in the stream); None until then.
        self.sub_units: tuple[str, ...] | None = None
        self.direct_members: tuple[str, ...] | None = None

    @property
    def active(self) -> bool:
        return self.exists and self.dissolved_on is None

    @property
    def called(self) -> str:
        """How a refusal names the unit: by its name; an unknown one by the code asked for."""
        return self.name or self.id

    def create(
        self, *, kind: UnitKind, name: str, parent: OrgUnit | None, valid_from: date
    ) -> None:
        if not UNIT_ID.match(self.id):
            raise refuse(
                "invalid_unit_id",
                f"unit id {self.id!r} may use only letters, digits, '_' and '-' (1-40)",
                f"mã đơn vị {self.id!r} chỉ gồm chữ, số, '_' và '-' (1-40 ký tự)",
            )
        if self.exists:
            raise refuse(
                "unit_exists",
                f"the code {self.id} is already {self.name}'s",
                f"mã đơn vị {self.id} đã được dùng cho {self.name}",
            )
        parent_kind = parent.kind if parent is not None else None
        if parent_kind not in ALLOWED_PARENTS[kind]:
            above_en = parent.name if parent is not None else "nothing"
            above_vi = parent.name if parent is not None else "không đơn vị nào"
            raise refuse(
                "invalid_parent",
                f"a {kind} cannot sit under {above_en}",
                f"{KIND_VI[kind]} không thể trực thuộc {above_vi}",
            )
        if parent is not None and not parent.active:
            raise refuse(
                "parent_dissolved",
                f"{parent.name} is dissolved",
                f"{parent.name} đã giải thể",
            )
        if parent is not None:
            require_no_direct_members(parent)
        path = [*(parent.path if parent else []), self.id]
        self._emit(
            OrgUnitCreated(
                unit_id=self.id,
                kind=kind,
                name=clean_name(name),
                parent_id=parent.id if parent else None,
                path=path,
                valid_from=valid_from,
            )
        )

    def rename(self, name: str, valid_from: date) -> None:
        self._require_active()
        self._emit(OrgUnitRenamed(unit_id=self.id, name=clean_name(name), valid_from=valid_from))

    def move(self, new_parent: OrgUnit, valid_from: date) -> None:
        """Move the unit, with everything under it, beneath another parent."""
        self._require_active()
        assert self.kind is not None
        if new_parent.kind not in ALLOWED_PARENTS[self.kind] or not new_parent.active:
            raise refuse(
                "invalid_parent",
                f"{self.name} cannot sit under {new_parent.called}",
                f"{self.name} không thể trực thuộc {new_parent.called}",
            )
        if self.id in new_parent.path:
            raise refuse(
                "move_into_itself",
                f"{self.name} cannot move under its own sub-unit {new_parent.name}",
                f"{self.name} không thể chuyển vào đơn vị trực thuộc của chính nó "
                f"{new_parent.name}",
            )
        if new_parent.id == self.parent_id:
            raise refuse(
                "same_parent",
                f"{self.name} already sits under {new_parent.name}",
                f"{self.name} đã trực thuộc {new_parent.name}",
            )
        require_no_direct_members(new_parent)
        self._emit(
            OrgUnitMoved(
                unit_id=self.id,
                from_parent_id=self.parent_id or "",
                to_parent_id=new_parent.id,
                path=[*new_parent.path, self.id],
                valid_from=valid_from,
            )
        )

    def merge_into(self, target: OrgUnit, valid_from: date) -> None:
        self._require_active()
        if target.id == self.id or target.kind != self.kind or not target.active:
            raise refuse(
                "invalid_merge",
                f"{self.name} can merge only into another active {self.kind}",
                f"{self.name} chỉ có thể sáp nhập vào một đơn vị cùng loại đang hoạt động",
            )
        self._emit(OrgUnitMerged(unit_id=self.id, into_unit_id=target.id, valid_from=valid_from))

    def dissolve(self, valid_from: date, reason: str) -> None:
        self._require_active()
        self._emit(OrgUnitDissolved(unit_id=self.id, valid_from=valid_from, reason=reason))

    def _require_active(self) -> None:
        if not self.active:
            raise refuse(
                "unit_not_active",
                f"{self.called} does not exist or is dissolved",
                f"{self.called} không tồn tại hoặc đã giải thể",
            )

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case OrgUnitCreated():
                self.kind, self.name = event.kind, event.name
                self.parent_id, self.path = event.parent_id, list(event.path)
            case OrgUnitRenamed():
                self.name = event.name
            case OrgUnitMoved():
                self.parent_id, self.path = event.to_parent_id, list(event.path)
            case OrgUnitMerged():
                self.dissolved_on, self.merged_into = event.valid_from, event.into_unit_id
            case OrgUnitDissolved():
                self.dissolved_on = event.valid_from
