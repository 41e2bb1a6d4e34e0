"""What the event contracts mark, read from the models the services decode with: every
field marked with a category (`chibo_kernel.privacy`) wherever it sits (an attendance mark
inside `marks`, a text inside a list), as a path, and the values a decoded body holds there.
"""

from __future__ import annotations

import types
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from chibo_kernel.events import DomainEvent
from chibo_kernel.privacy import Category, category_of

Path = tuple[str, ...]  # field names; "[]" steps into every item of a list
EACH = "[]"


def registries() -> dict[str, type[DomainEvent]]:
    """Every event type the three services emit, published or private, by the type name it
    travels under (each service's REGISTRY: the contracts it decodes its own store with)."""
    from assignment.domain.events import REGISTRY as ASSIGNMENT
    from attendance.domain.events import REGISTRY as ATTENDANCE
    from rating.domain.events import REGISTRY as RATING

    return {model.event_type: model for r in (ASSIGNMENT, ATTENDANCE, RATING) for model in r}


def marked_paths(model: type[BaseModel]) -> dict[Path, Category]:
    """Every marked place in `model`, nested models and lists included."""
    found: dict[Path, Category] = {}
    for name, info in model.model_fields.items():
        found.update(_marks_of(info, info.annotation, (name,)))
    return found


@cache
def sensitive_paths(model: type[BaseModel]) -> tuple[Path, ...]:
    return tuple(p for p, c in marked_paths(model).items() if c is Category.SENSITIVE)


def dotted(path: Path) -> str:
    return ".".join(path).replace(f".{EACH}", EACH)


def _marks_of(info: FieldInfo | None, annotation: Any, at: Path) -> Iterator[tuple[Path, Category]]:
    category = category_of(info) if info is not None else None
    if category is not None:
        yield at, category
    yield from _inside(annotation, at)


def _inside(annotation: Any, at: Path) -> Iterator[tuple[Path, Category]]:
    origin = get_origin(annotation)
    if origin is Annotated:
        inner, *metadata = get_args(annotation)
        for item in metadata:
            category = category_of(item) if isinstance(item, FieldInfo) else None
            if category is not None:
                yield at, category
        yield from _inside(inner, at)
    elif origin in (Union, types.UnionType):
        for arg in get_args(annotation):
            yield from _inside(arg, at)
    elif origin in (list, tuple, set, frozenset):
        for arg in get_args(annotation):
            if arg is not Ellipsis:
                yield from _inside(arg, (*at, EACH))
    elif origin is dict:
        yield from _inside(get_args(annotation)[1], (*at, EACH))
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, info in annotation.model_fields.items():
            yield from _marks_of(info, info.annotation, (*at, name))


def values_at(data: Any, path: Path) -> Iterator[Any]:
    """The values a decoded JSON body holds at `path` (none where it holds nothing)."""
    if not path:
        if data is not None:
            yield data
        return
    step, rest = path[0], path[1:]
    if step == EACH:
        items = list(data.values()) if isinstance(data, Mapping) else data
        for item in items if isinstance(items, list) else ():
            yield from values_at(item, rest)
    elif isinstance(data, Mapping) and step in data:
        yield from values_at(data[step], rest)


def strings(value: Any) -> Iterator[str]:
    """Every string (and number, as text) inside a decoded JSON value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int | float):
        yield str(value)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield str(key)
            yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)
