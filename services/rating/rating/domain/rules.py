"""Rule sets as data: loaded from reviewed TOML files, selected by the year being rated, and
applied to named metrics. The code knows the metrics; the files know the thresholds.

A level holds when every condition under it holds; levels are tried from the best down and
the first that holds is proposed, with the conditions that decided it as reasons. A forced
condition (discipline, art. 8, …) proposes "not_completed" whatever else holds.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from chibo_kernel.contracts.rating import Level

from .evidence import BRANCH_METRICS, MEMBER_METRICS, ORGANISATION_METRICS

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "rules"
LEVELS: tuple[str, ...] = get_args(Level)  # best first
GOOD_OR_BETTER = frozenset({"excellent", "good"})


class RuleSetError(ValueError):
    """A rule-set file that cannot be used; the service refuses to start with it."""


@dataclass(frozen=True)
class Condition:
    metric: str
    at_least: float | None = None
    at_most: float | None = None
    above: float | None = None

    def holds(self, value: float) -> bool:
        return (
            (self.at_least is None or value >= self.at_least)
            and (self.at_most is None or value <= self.at_most)
            and (self.above is None or value > self.above)
        )

    def describe(self, value: float) -> str:
        if self.at_least is not None:
            op, bound = ("≥" if value >= self.at_least else "<"), self.at_least
        elif self.at_most is not None:
            op, bound = ("≤" if value <= self.at_most else ">"), self.at_most
        else:
            assert self.above is not None
            op, bound = (">" if value > self.above else "≤"), self.above
        return f"{self.metric} {_num(value)} {op} {_num(bound)}"


@dataclass(frozen=True)
class LevelRule:
    level: Level
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class Forced:
    condition: Condition
    en: str
    vi: str


@dataclass(frozen=True)
class Scoring:
    general_max: float
    tasks_max: float
    weights: Mapping[str, float]
    review_values: Mapping[str, float]


@dataclass(frozen=True)
class Proposal:
    level: Level
    score: float | None
    reasons: list[str]  # each "english | tiếng Việt" where a sentence is needed


@dataclass(frozen=True)
class Ladder:
    """The levels of one kind of subject (members, branches or organisations)."""

    levels: tuple[LevelRule, ...]
    forced: tuple[Forced, ...] = ()

    def propose(self, metrics: Mapping[str, float], score: float | None = None) -> Proposal:
        for forced in self.forced:
            value = metrics[forced.condition.metric]
            if forced.condition.holds(value):
                reason = f"{forced.en} | {forced.vi} ({forced.condition.describe(value)})"
                return Proposal("not_completed", score, [reason])
        for rule in self.levels:
            values = [(c, metrics[c.metric]) for c in rule.conditions]
            if all(c.holds(v) for c, v in values):
                return Proposal(rule.level, score, [c.describe(v) for c, v in values])
        failed = [c.describe(metrics[c.metric]) for c in self.levels[-1].conditions]
        return Proposal("not_completed", score, failed)


@dataclass(frozen=True)
class RuleSet:
    id: str
    title: str
    from_year: int
    to_year: int
    member: Ladder
    branch: Ladder
    organisation: Ladder
    scoring: Scoring | None
    exclusions: Mapping[str, Any]
    meeting_quality: Mapping[str, Any]
    quota: Mapping[str, float]
    bon_tot: Mapping[str, tuple[Condition, ...]] = field(default_factory=dict)

    def covers(self, year: int) -> bool:
        return self.from_year <= year <= self.to_year


class RuleBook:
    """Every rule set known, the defaults overridden by a province's files of the same id."""

    def __init__(self, rule_sets: Iterable[RuleSet]) -> None:
        self.by_id = {r.id: r for r in rule_sets}

    @classmethod
    def load(cls, override_dir: str | Path | None = None) -> RuleBook:
        found: dict[str, RuleSet] = {}
        for directory in (DEFAULT_DIR, *([Path(override_dir)] if override_dir else [])):
            if not Path(directory).is_dir():
                raise RuleSetError(f"rule-set directory {directory} does not exist")
            for path in sorted(Path(directory).glob("*.toml")):
                rule_set = parse(path)
                found[rule_set.id] = rule_set
        return cls(found.values())

    def for_year(self, year: int) -> RuleSet:
        matching = [r for r in self.by_id.values() if r.covers(year)]
        if len(matching) != 1:
            names = ", ".join(sorted(r.id for r in matching)) or "none"
            raise RuleSetError(f"{len(matching)} rule sets cover {year} ({names}); need one")
        return matching[0]


def parse(path: Path) -> RuleSet:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        member = data["member"]
        return RuleSet(
            id=data["id"],
            title=data["title"],
            from_year=int(data["from_year"]),
            to_year=int(data["to_year"]),
            member=_ladder(member, MEMBER_METRICS),
            branch=_ladder(data["branch"], BRANCH_METRICS),
            organisation=_ladder(data["organisation"], ORGANISATION_METRICS),
            scoring=_scoring(member["score"]) if "score" in member else None,
            exclusions=dict(member["exclusions"]),
            meeting_quality=dict(data["meeting_quality"]),
            quota={k: float(v) for k, v in data["quota"].items()},
            bon_tot={
                name: _conditions(items, BRANCH_METRICS) for name, items in data["bon_tot"].items()
            },
        )
    except (KeyError, TypeError, ValueError, tomllib.TOMLDecodeError) as exc:
        raise RuleSetError(f"{path.name}: {exc!r}") from exc


def _ladder(section: Mapping[str, Any], metrics: frozenset[str]) -> Ladder:
    levels = tuple(
        LevelRule(_level(item["level"]), _conditions(item["all"], metrics))
        for item in section["levels"]
    )
    order = [LEVELS.index(rule.level) for rule in levels]
    if order != sorted(order) or "not_completed" in (r.level for r in levels):
        raise ValueError("levels must run from the best down and leave out not_completed")
    forced = tuple(
        Forced(_condition(item, metrics), item["en"], item["vi"])
        for item in section.get("forced", [])
    )
    return Ladder(levels, forced)


def _conditions(
    items: Sequence[Mapping[str, Any]], metrics: frozenset[str]
) -> tuple[Condition, ...]:
    return tuple(_condition(item, metrics) for item in items)


def _condition(item: Mapping[str, Any], metrics: frozenset[str]) -> Condition:
    metric = item["metric"]
    if metric not in metrics:
        raise ValueError(f"unknown metric {metric!r}; known: {', '.join(sorted(metrics))}")
    bounds = {k: float(item[k]) for k in ("at_least", "at_most", "above") if k in item}
    if len(bounds) != 1:
        raise ValueError(f"condition on {metric} needs exactly one of at_least, at_most, above")
    return Condition(metric, **bounds)


def _level(name: str) -> Level:
    if name not in LEVELS:
        raise ValueError(f"unknown level {name!r}")
    return name  # type: ignore[return-value]


def _scoring(section: Mapping[str, Any]) -> Scoring:
    weights = {k: float(v) for k, v in section["weights"].items()}
    if abs(sum(weights.values()) - 1.0) > 1e-9:
        raise ValueError("task-result weights must add up to 1")
    return Scoring(
        general_max=float(section["general_max"]),
        tasks_max=float(section["tasks_max"]),
        weights=weights,
        review_values={k: float(v) for k, v in section["review_values"].items()},
    )


def _num(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
