"""Opening the sealed fields of one stored JSON document, in its text.

Each sealed field's envelope is replaced, in the text itself, by the JSON text it seals
(null once erased): the document is neither parsed nor written again. Which fields to open:
- the names the row (or message) lists as sealed: only those, so a user-typed value that
  merely starts with "enc:v1:" in any other field is left as it is;
- None, for rows written before the names were recorded: every top-level value that holds
  an envelope, as those rows were always read.
A listed name met twice (a nested object with a key of the same name) cannot be told apart
in the text: that document is parsed, and only its top-level fields opened.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag

from ..keyring import UnreadableField
from ..keyring.cipher import (
    SEALED_IN_JSON,
    DataKey,
    associated_data,
    is_sealed,
    to_json,
    unseal_json,
)


@dataclass(frozen=True, slots=True)
class Opened:
    data: str
    erased: frozenset[str] = frozenset()


def open_document(
    data: str,
    event_type: str,
    subject: str,
    key: DataKey | None,
    fields: Collection[str] | None = None,
) -> Opened:
    """`data` with its sealed fields opened (null where `key` is None: erased)."""
    found = _envelopes(data, fields)
    if not found:
        return Opened(data)
    if fields is not None and len({name for name, _, _ in found}) < len(found):
        return _open_parsed(data, event_type, subject, key, fields)  # a nested twin
    parts: list[str] = []
    done = 0
    for name, start, end in found:
        envelope = data[start + 1 : end - 1]
        parts += [data[done:start], _plain(envelope, event_type, name, subject, key)]
        done = end
    erased = frozenset(name for name, _, _ in found) if key is None else frozenset()
    return Opened("".join(parts) + data[done:], erased)


def _envelopes(data: str, fields: Collection[str] | None) -> list[tuple[str, int, int]]:
    """(field name, start, end) of each envelope that is a named field's whole value."""
    found = []
    start = data.find(SEALED_IN_JSON)
    while start != -1:
        end = data.index('"', start + 1) + 1  # base64 holds no quote
        name = _field_named_before(data, start)
        if name is not None and (fields is None or name in fields):
            found.append((name, start, end))
        start = data.find(SEALED_IN_JSON, end)
    return found


def _plain(envelope: str, event_type: str, name: str, subject: str, key: DataKey | None) -> str:
    if key is None:
        return "null"
    try:
        return unseal_json(key, envelope, associated_data(event_type, name, subject))
    except InvalidTag:
        raise UnreadableField(event_type, name, subject) from None


def _open_parsed(
    data: str, event_type: str, subject: str, key: DataKey | None, fields: Collection[str]
) -> Opened:
    values = json.loads(data)
    erased = []
    for name in fields:
        value = values.get(name)
        if is_sealed(value):
            values[name] = json.loads(_plain(value, event_type, name, subject, key))
            if key is None:
                erased.append(name)
    return Opened(to_json(values), frozenset(erased))


def _field_named_before(data: str, value_at: int) -> str | None:
    """The name of the field whose value starts at `value_at`, in compact JSON or as
    PostgreSQL prints jsonb (`"name": value`); None for a list item or anything else."""
    colon = _skip_space_back(data, value_at - 1)
    if colon < 0 or data[colon] != ":":
        return None
    quote = _skip_space_back(data, colon - 1)
    if quote < 1 or data[quote] != '"':
        return None
    opening = data.rfind('"', 0, quote)
    name = data[opening + 1 : quote]
    return name if opening >= 0 and name and "\\" not in name else None


def _skip_space_back(data: str, index: int) -> int:
    while index >= 0 and data[index] in " \t\n\r":
        index -= 1
    return index
