"""The command/query boundary: a service's permissions table applied once, before the
handler, with the refusals the route guards used to give (403 out of scope, 404 for a
province-wide principal on an unknown place, the member role on its own records only)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pytest

from chibo_chassis.auth import Boundary, Forbidden, Permission, Principal, Role, Rule, acting_as
from chibo_kernel.domain import Message
from chibo_kernel.errors import NotFound

PATHS = {"KC": ("LC", "VB", "KC"), "KT": ("LC", "VB", "KT")}
SECRETARY = Principal("lan", Role.BRANCH_SECRETARY, PATHS["KC"])
ADMIN = Principal("an", Role.PROVINCE_ADMIN, ())
MEMBER = Principal("mai", Role.MEMBER, PATHS["KC"], member_id="m1")


class Lookup:
    def __init__(self) -> None:
        self.asked: list[str] = []

    async def path(self, unit: object) -> tuple[str, ...] | None:
        self.asked.append(str(unit))
        return PATHS.get(unit) if isinstance(unit, str) else None


async def branch(fields: Mapping[str, Any], places: Lookup) -> list[Any]:
    return [await places.path(fields.get("branch_id"))]


async def target(fields: Mapping[str, Any], places: Lookup) -> list[Any]:
    return [await places.path(fields.get("to_branch_id"))]


@dataclass(frozen=True)
class Move(Message[str]):
    branch_id: str
    to_branch_id: str


@dataclass(frozen=True)
class Report(Message[str]):
    branch_id: str
    member_id: str


@dataclass(frozen=True)
class Register(Message[str]):
    branch_id: str | None


@dataclass(frozen=True)
class Unlisted(Message[str]):
    pass


RULES: dict[type, Rule[Lookup]] = {
    Move: Rule(Permission.MEMBERS, at=branch, also=(target,)),
    Report: Rule(Permission.REPORT, at=branch, own="member_id"),
    Register: Rule(Permission.MEMBERS, also=(branch,)),
}


def boundary(lookup: Lookup, handled: list[object]) -> Boundary[Lookup]:
    async def handle(message: Any) -> str:
        handled.append(message)
        return "done"

    return Boundary(RULES, lambda: lookup, {kind: handle for kind in RULES})


async def test_a_command_runs_only_where_its_rule_allows() -> None:
    handled: list[object] = []
    bus = boundary(Lookup(), handled)
    with acting_as(SECRETARY):
        assert await bus.run(Move("KC", "KC")) == "done"
        with pytest.raises(Forbidden):
            await bus.run(Move("KT", "KC"))  # at another branch
        with pytest.raises(Forbidden):
            await bus.run(Move("KC", "KT"))  # into another branch
        with pytest.raises(Forbidden):
            await bus.run(Move("nowhere", "KC"))  # unknown: as out of scope
    with acting_as(ADMIN), pytest.raises(NotFound):
        await bus.run(Move("nowhere", "KC"))  # a province-wide principal learns it
    with acting_as(ADMIN):
        assert await bus.run(Move("KC", "nowhere")) == "done"  # the command refuses it
    assert handled == [Move("KC", "KC"), Move("KC", "nowhere")]


async def test_the_member_role_acts_on_its_own_records_only() -> None:
    bus = boundary(Lookup(), [])
    with acting_as(MEMBER):
        assert await bus.run(Report("KC", "m1")) == "done"
        with pytest.raises(Forbidden):
            await bus.run(Report("KC", "m2"))
    with acting_as(SECRETARY):
        assert await bus.run(Report("KC", "m2")) == "done"


async def test_a_place_only_in_the_body_needs_the_role_first() -> None:
    bus = boundary(Lookup(), [])
    with acting_as(Principal("k", Role.AUDITOR, ())), pytest.raises(Forbidden):
        await bus.run(Register("KC"))
    with acting_as(SECRETARY), pytest.raises(Forbidden):
        await bus.run(Register(None))  # no branch named: only a province-wide one passes
    with acting_as(ADMIN):
        assert await bus.run(Register(None)) == "done"


async def test_no_principal_is_the_service_itself() -> None:
    lookup = Lookup()
    assert await boundary(lookup, []).run(Move("KT", "nowhere")) == "done"
    assert lookup.asked == []


async def test_the_typed_message_is_checked_whatever_was_asked_before() -> None:
    lookup = Lookup()
    bus = boundary(lookup, [])
    with acting_as(SECRETARY):
        # The HTTP adapter's early check saw other fields than the command carries (say,
        # a query parameter named like a body field): the command is refused all the same.
        await bus.authorise(Move, {"branch_id": "KC", "to_branch_id": "KC"})
        with pytest.raises(Forbidden):
            await bus.run(Move("KC", "KT"))
        assert await bus.run(Move("KC", "KC")) == "done"
        assert lookup.asked == ["KC", "KC", "KC", "KT", "KC", "KC"]


async def test_a_job_asks_row_by_row_and_a_query_filters_rows() -> None:
    bus = boundary(Lookup(), [])
    with acting_as(SECRETARY):
        assert await bus.permits(Register, {"branch_id": "KC"})
        assert not await bus.permits(Register, {"branch_id": "KT"})
        visible = bus.rows_for(Report)
        assert visible(PATHS["KC"], None)
        assert not visible(PATHS["KT"], None)
        with pytest.raises(Forbidden):  # permits leaves nothing authorised behind it
            await bus.run(Register("KT"))


def test_every_handler_needs_a_rule_and_every_message_a_handler() -> None:
    async def handle(message: Any) -> str:
        return ""

    with pytest.raises(RuntimeError, match="no permission rule for Unlisted"):
        Boundary(RULES, Lookup, {Unlisted: handle})
    with pytest.raises(RuntimeError, match="no permission rule for Unlisted"):
        Boundary(RULES, Lookup, {}).rule(Unlisted)
