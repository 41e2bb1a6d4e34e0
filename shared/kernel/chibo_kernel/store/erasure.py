"""Decoding an event whose personal fields were erased (their key destroyed).

Those fields read as None, whatever their declared type. The rest is validated as usual,
through a subclass of the event in which only the erased fields become optional; the
values are then put into the event's own class with `model_construct`. Why not simpler:
- `model_construct` on the stored JSON alone would skip validation for every field, so
  dates would stay strings and nested models dicts in the aggregate;
- validating with a stand-in value has no stand-in that suits every type;
- `model_copy(update=...)` needs a valid event first, which is what we cannot make.
An erased field's own validators do not run (there is no value to check), and a model
validator that reads an erased field sees None: an aggregate's `apply` must take None
where a field can be erased.
"""

from __future__ import annotations

import functools
import json
from typing import Any, Optional

from pydantic import create_model

from ..events import DomainEvent, EventRegistry


def decode_stored(
    registry: EventRegistry,
    event_type: str,
    data: str | bytes,
    erased: frozenset[str] = frozenset(),
) -> DomainEvent:
    if not erased:
        return registry.decode(event_type, data)
    model = registry.model_for(event_type)
    # Left out rather than null, so that the erased fields' own validators do not run.
    values = {k: v for k, v in json.loads(data).items() if k not in erased}
    partial = _with_erasable(model, erased).model_validate(values)
    fields = {name: getattr(partial, name) for name in model.model_fields}
    return model.model_construct(_fields_set=partial.model_fields_set | erased, **fields)


@functools.lru_cache(maxsize=256)
def _with_erasable(model: type[DomainEvent], erased: frozenset[str]) -> type[DomainEvent]:
    fields: dict[str, Any] = {
        name: (Optional[model.model_fields[name].annotation], None)  # noqa: UP045
        for name in sorted(erased)
        if name in model.model_fields
    }
    return create_model(f"{model.__name__}Erased", __base__=model, **fields)
