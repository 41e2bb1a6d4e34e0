"""The rule set in force for a year, with the Charter's figures: published rules."""

from __future__ import annotations

from dataclasses import dataclass

from chibo_kernel.domain import Message

from ...domain.rule_set import Charter, RuleSet
from ..deps import Deps


@dataclass(frozen=True)
class RulesInForce:
    rules: RuleSet
    charter: Charter


@dataclass(frozen=True)
class RuleSetOfYear(Message[RulesInForce]):
    year: int


async def handle(query: RuleSetOfYear, deps: Deps) -> RulesInForce:
    return RulesInForce(deps.rules.for_year(query.year), deps.rules.charter)
