"""A branch's area of responsibility: the households (hộ) it looks after, whose labels are
kept beside it in `HouseholdLabels`."""

from __future__ import annotations

import re
from collections.abc import Mapping

from chibo_contracts.assignment_plans import household_subject
from chibo_kernel import DomainEvent
from chibo_kernel.domain import Aggregate
from chibo_kernel.keyring import ERASED_VI

from .errors import refuse
from .events import (
    HouseholdGroupDefined,
    HouseholdLabelRecorded,
    HouseholdRegistered,
    HouseholdRegisteredV2,
    RouteDefined,
    TaskDefined,
)
from .names import clean_name
from .private_texts import HouseholdLabels

HOUSEHOLD_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


class BranchArea(Aggregate):
    category = "area"  # id = the branch id

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.households: dict[str, str] = {}  # id → label as version 1 told it, else ""
        self.groups: dict[str, list[str]] = {}  # group -> its households
        self.routes: dict[str, str] = {}
        self.tasks: dict[str, str] = {}

    def has_duty(self, kind: str, target_id: str) -> bool:
        if kind == "group":
            return target_id in self.groups
        return target_id in (self.routes if kind == "route" else self.tasks)

    def take_over(
        self, other: BranchArea, other_labels: HouseholdLabels, labels: HouseholdLabels
    ) -> None:
        """A merged branch's households join this area under their own ids and labels."""
        clashes = sorted(set(other.households) & set(self.households))
        if clashes:
            raise refuse(
                "household_ids_clash",
                f"both branches have households {', '.join(clashes)}: rename them first",
                f"cả hai chi bộ đều có hộ {', '.join(clashes)}: hãy đổi mã trước",
            )
        for household_id, label in sorted(other.households.items()):
            told = other_labels.labels.get(household_id) or label or ERASED_VI
            self.register_household(household_id, told, labels)

    def define_group(self, group_id: str, name: str, household_ids: list[str]) -> None:
        self._new_id(group_id, self.groups, "group", "nhóm hộ")
        unknown = sorted(set(household_ids) - set(self.households))
        if unknown or not household_ids:
            raise refuse(
                "unknown_households",
                f"a group needs households of this area: {', '.join(unknown)}",
                f"nhóm hộ cần các hộ thuộc địa bàn: {', '.join(unknown)}",
            )
        self._emit(
            HouseholdGroupDefined(
                branch_id=self.id,
                group_id=group_id,
                name=clean_name(name),
                household_ids=sorted(set(household_ids)),
            )
        )

    def define_route(self, route_id: str, name: str) -> None:
        self._new_id(route_id, self.routes, "route", "tuyến đường")
        self._emit(RouteDefined(branch_id=self.id, route_id=route_id, name=clean_name(name)))

    def define_task(self, task_id: str, name: str) -> None:
        self._new_id(task_id, self.tasks, "task", "nhiệm vụ")
        self._emit(TaskDefined(branch_id=self.id, task_id=task_id, name=clean_name(name)))

    def _new_id(self, new_id: str, existing: Mapping[str, object], en: str, vi: str) -> None:
        if not HOUSEHOLD_ID.match(new_id):
            raise refuse(
                "invalid_id",
                f"{en} id {new_id!r} may use only letters, digits, '_' and '-'",
                f"mã {vi} {new_id!r} chỉ gồm chữ, số, '_' và '-'",
            )
        if new_id in existing:
            raise refuse("already_defined", f"{en} {new_id} exists", f"{vi} {new_id} đã có")

    def register_household(self, household_id: str, label: str, labels: HouseholdLabels) -> None:
        """The household on the public stream by its id; its label only in `labels`."""
        if not HOUSEHOLD_ID.match(household_id):
            raise refuse(
                "invalid_household_id",
                f"household id {household_id!r} may use only letters, digits, '_' and '-'",
                f"mã hộ {household_id!r} chỉ gồm chữ, số, '_' và '-'",
            )
        if household_id in self.households:
            raise refuse(
                "household_exists",
                f"household {household_id} is already registered",
                f"hộ {household_id} đã được đăng ký",
            )
        told = clean_name(label)
        self._emit(HouseholdRegisteredV2(branch_id=self.id, household_id=household_id))
        subject = household_subject(self.id, household_id)
        labels.record(
            HouseholdLabelRecorded(
                branch_id=self.id, household_id=household_id, household_key=subject, label=told
            )
        )

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case HouseholdRegistered():
                self.households[event.household_id] = event.label
            case HouseholdRegisteredV2():
                self.households[event.household_id] = ""
            case HouseholdGroupDefined():
                self.groups[event.group_id] = list(event.household_ids)
            case RouteDefined():
                self.routes[event.route_id] = event.name
            case TaskDefined():
                self.tasks[event.task_id] = event.name
