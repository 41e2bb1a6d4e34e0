"""Rule sets from their reviewed files' contents, and the one in force for a year.

Parsing is generic over the dataclasses of `rule_set`: a field typed `Cited[X]` must be a
table `{ value = …, source = "…" }` in the file, so an entry without its article cannot be
loaded, and a name the dataclasses don't know is refused rather than ignored."""

from __future__ import annotations

import dataclasses
import hashlib
import types
import typing
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar, get_args, get_origin

from chibo_contracts.rating import Measure
from chibo_kernel.errors import NotFound

from . import rule_set
from .cited import Cited
from .rule_set import Charter, RuleSet

T = TypeVar("T")
MEASURES = frozenset(get_args(Measure))
COHORTS = frozenset({"grassroots", "branch"})


class RuleSetError(ValueError):
    """A rule-set file that cannot be used; the service refuses to start with it."""


class NoRuleSet(NotFound):
    """A year no rule set of the province covers: asked about, it is a 404, not a fault."""

    def __init__(self, year: int, known: str) -> None:
        super().__init__(
            f"a rule set for {year} (the province holds {known})",
            f"bộ quy định xếp loại cho năm {year} (tỉnh có: {known})",
        )


def parse_rule_set(data: Mapping[str, Any], name: str) -> RuleSet:
    found = _build(RuleSet, data, name)
    if found.from_year > found.to_year:
        raise RuleSetError(f"{name}: from_year is after to_year")
    if found.member.forced.discipline_from.value not in MEASURES:
        raise RuleSetError(f"{name}: member.forced.discipline_from is not a measure")
    if found.quota.cohort.value not in COHORTS:
        raise RuleSetError(f"{name}: quota.cohort must be one of {sorted(COHORTS)}")
    return found


def parse_charter(data: Mapping[str, Any], name: str) -> Charter:
    return _build(Charter, data, name)


class RuleBook:
    """Every rule set known, and the Charter's rules they share."""

    def __init__(self, rule_sets: Iterable[RuleSet], charter: Charter) -> None:
        self.by_id = {r.id: r for r in rule_sets}
        self.charter = charter

    def for_year(self, year: int) -> RuleSet:
        matching = [r for r in self.by_id.values() if r.covers(year)]
        if not matching:
            spans = sorted((r.from_year, r.to_year) for r in self.by_id.values())
            known = ", ".join(f"{a}–{b}" for a, b in spans) or "none"
            raise NoRuleSet(year, known)
        if len(matching) > 1:
            names = ", ".join(sorted(r.id for r in matching))
            raise RuleSetError(f"{len(matching)} rule sets cover {year} ({names}); need one")
        return matching[0]

    @property
    def first_year(self) -> int:
        return min((r.from_year for r in self.by_id.values()), default=9999)

    @property
    def fingerprint(self) -> str:
        """Changes whenever any rule or citation does: prepared ratings made under another
        fingerprint are derived again."""
        text = repr((sorted(self.by_id.items()), self.charter))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def check_overlaps(self) -> None:
        """No year is covered by two sets; the loader calls it, so a bad file stops start-up."""
        for one in self.by_id.values():
            for year in range(one.from_year, min(one.to_year, 2200) + 1):
                self.for_year(year)


def _build(cls: type[T], data: Mapping[str, Any], where: str) -> T:
    if not isinstance(data, Mapping):
        raise RuleSetError(f"{where}: expected a table")
    hints = typing.get_type_hints(cls, vars(rule_set))
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise RuleSetError(f"{where}: unknown entries {', '.join(unknown)}")
    values: dict[str, Any] = {}
    for name, spec in fields.items():
        here = f"{where}: {name}"
        if name not in data:
            if spec.default is dataclasses.MISSING:
                raise RuleSetError(f"{here} is missing")
            continue
        values[name] = _value(hints[name], data[name], here)
    return cls(**values)


def _value(hint: Any, raw: Any, where: str) -> Any:
    origin = get_origin(hint)
    if origin in (types.UnionType, typing.Union):  # X | None: present, so X
        (inner,) = [a for a in get_args(hint) if a is not type(None)]
        return _value(inner, raw, where)
    if origin is Cited:
        return _cited(get_args(hint)[0], raw, where)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _build(hint, raw, where)
    if hint in (int, str) and isinstance(raw, hint) and not isinstance(raw, bool):
        return raw
    raise RuleSetError(f"{where}: expected {getattr(hint, '__name__', hint)}, got {raw!r}")


def _cited(kind: Any, raw: Any, where: str) -> Cited[Any]:
    if not isinstance(raw, Mapping) or set(raw) != {"value", "source"}:
        raise RuleSetError(f'{where}: expected {{ value = …, source = "…" }}, got {raw!r}')
    source = raw["source"]
    if not isinstance(source, str) or len(source.strip()) < 5:
        raise RuleSetError(f"{where}: the source must name the article it comes from")
    value = raw["value"]
    if kind is float and isinstance(value, int | float) and not isinstance(value, bool):
        return Cited(float(value), source)
    expected = str if get_origin(kind) is typing.Literal else kind
    if isinstance(value, expected) and (expected is bool or not isinstance(value, bool)):
        return Cited(value, source)
    raise RuleSetError(f"{where}: expected a {getattr(expected, '__name__', expected)} value")
