"""Sealing, in place, the private rows written before encryption (`privacy seal-legacy`).

Rows appended before the stores sealed personal fields hold them in plaintext, and
destroying a person's key does not reach them. This seals each such field exactly as an
append would (the same envelope, associated data and key, the subject in the row's
metadata), so those rows load the same values as before and an erasure reaches them.

Rewriting an event's row here is a change of representation, not of meaning: every field
loads as the same value, the row keeps its stream, version, id, type, position and tx_id,
and it never was on a stream (the relay publishes no private event), so no consumer and no
subscriber sees a difference. It is the one rewrite of `events`, and it only ever encrypts.

A subject whose key was destroyed gets no key again: their plaintext fields are replaced by
`ERASED_ENVELOPE`, an envelope with nothing sealed in it. Not JSON null: a row whose
subject is erased then loads as its sealed twins do, those fields None and listed in
`erased`, so an event whose field is required still decodes (null would fail validation).

Each batch is one transaction that locks its rows (`FOR UPDATE SKIP LOCKED`) and walks the
primary key from where the last one stopped: locks stay row-level, appends go on, two runs
never seal a row twice, and a run that stops halfway is resumed by running it again.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..events import EventRegistry
from ..keyring import Keyring, PostgresKeyring, SubjectErased
from ..keyring.cipher import PREFIX, DataKey, associated_data, is_sealed, seal, to_json
from ..pool import LeanPool
from .sealing import SEALED_KEY, SUBJECT_KEY, sealed_fields  # the choice an append makes

DEFAULT_BATCH = 500
# Holds no ciphertext: it only ever loads as an erased field (its subject has no key).
ERASED_ENVELOPE = PREFIX

# $1: {event type: [its sealed fields]}. A row is plaintext when one of those fields holds
# a value that is neither null nor an envelope.
PLAINTEXT = f"""
$1::jsonb ? e.event_type AND EXISTS (
    SELECT 1 FROM jsonb_each(e.data) AS f (name, value)
     WHERE f.name IN (SELECT jsonb_array_elements_text($1::jsonb -> e.event_type))
       AND jsonb_typeof(f.value) <> 'null'
       AND NOT (jsonb_typeof(f.value) = 'string'
                AND left(f.value #>> '{{}}', {len(PREFIX)}) = '{PREFIX}'))
"""
_COUNT = f"SELECT count(*) FROM events e WHERE {PLAINTEXT}"
_BATCH = f"""
SELECT e.stream_id, e.version, e.event_type, e.data::text AS data,
       e.metadata->>'{SUBJECT_KEY}' AS subject
  FROM events e
 WHERE (e.stream_id, e.version) > ($2, $3) AND {PLAINTEXT}
 ORDER BY e.stream_id, e.version
 LIMIT $4
   FOR UPDATE SKIP LOCKED
"""
_UPDATE = f"""
UPDATE events e
   SET data = u.data::jsonb,
       metadata = e.metadata || jsonb_build_object(
           '{SUBJECT_KEY}', u.subject, '{SEALED_KEY}', u.sealed::jsonb)
  FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[])
       AS u (stream_id, version, data, subject, sealed)
 WHERE e.stream_id = u.stream_id AND e.version = u.version
"""

Progress = Callable[[int, int], None]  # rows done by this run, plaintext rows at its start


@dataclass(frozen=True, slots=True)
class Plan:
    subject_field: str
    fields: tuple[str, ...]


@dataclass(slots=True)
class LegacySealed:
    sealed: int = 0  # rows sealed under their subject's live key
    emptied: int = 0  # rows of erased subjects, their plaintext replaced by ERASED_ENVELOPE
    unsealable: list[tuple[str, int]] = field(default_factory=list)  # rows naming no subject
    found: int = 0  # plaintext rows when the run started
    remaining: int = 0  # plaintext rows when it ended, whichever run holds them
    seconds: float = 0.0


def legacy_plan(registry: EventRegistry) -> dict[str, Plan]:
    """The event types whose rows an append seals, and how."""
    return {
        model.event_type: Plan(str(model.data_subject), fields)
        for model in registry
        if (fields := sealed_fields(model)) and not model.published
    }


def _plan_json(plans: dict[str, Plan]) -> str:
    return json.dumps({event_type: list(plan.fields) for event_type, plan in plans.items()})


async def count_plaintext(pool: LeanPool, registry: EventRegistry) -> int:
    """How many rows still hold a personal field in plaintext: 0 once sealing is done."""
    count: int = await pool.fetchval(_COUNT, _plan_json(legacy_plan(registry)))
    return count


async def seal_legacy(
    pool: LeanPool,
    registry: EventRegistry,
    keyring: Keyring | None = None,
    batch: int = DEFAULT_BATCH,
    progress: Progress | None = None,
) -> LegacySealed:
    """Seal every plaintext row of `registry`'s private events, `batch` rows a transaction.
    `keyring`: by default this database's, under `$CHIBO_MASTER_KEY` (a service whose keys
    live in the province's keyring database passes that one). The pool needs two
    connections: new data keys are stored apart from the batch's transaction."""
    if batch < 1:
        raise ValueError("a batch holds at least one row")
    keys = keyring or PostgresKeyring.from_environment(pool)
    plans = legacy_plan(registry)
    plan_json = _plan_json(plans)
    started = time.monotonic()
    result = LegacySealed(found=await pool.fetchval(_COUNT, plan_json))
    after: tuple[str, int] = ("", 0)
    while True:
        async with pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(_BATCH, plan_json, *after, batch)
            if not rows:
                break
            after = (rows[-1]["stream_id"], rows[-1]["version"])
            await _seal_batch(conn, keys, plans, rows, result)
        if progress is not None:
            progress(result.sealed + result.emptied, result.found)
    result.remaining = await pool.fetchval(_COUNT, plan_json)
    result.seconds = time.monotonic() - started
    return result


async def _seal_batch(
    conn: Any, keys: Keyring, plans: dict[str, Plan], rows: Sequence[Any], result: LegacySealed
) -> None:
    found: list[tuple[Any, dict[str, Any], str]] = []
    for row in rows:
        values = json.loads(row["data"])
        subject = row["subject"] or values.get(plans[row["event_type"]].subject_field)
        if subject is None or subject == "":  # an append would refuse it; left for a person
            result.unsealable.append((row["stream_id"], row["version"]))
            continue
        found.append((row, values, str(subject)))
    subjects = {subject for _, _, subject in found}
    # Through the keyring, wherever its table lives (the province's keyring database).
    erased = {s for s, key in (await keys.look_up(subjects)).keys.items() if key is None}
    data_keys = await _live_keys(keys, subjects, erased)
    streams: list[str] = []
    versions: list[int] = []
    documents: list[str] = []
    owners: list[str] = []
    sealed: list[str] = []
    for row, values, subject in found:
        key, plan = data_keys.get(subject), plans[row["event_type"]]
        if not _seal_fields(values, row["event_type"], plan, subject, key):
            continue
        streams.append(row["stream_id"])
        versions.append(row["version"])
        documents.append(to_json(values))
        owners.append(subject)
        sealed.append(json.dumps([name for name in plan.fields if is_sealed(values.get(name))]))
        if key is None:
            result.emptied += 1
        else:
            result.sealed += 1
    if streams:
        await conn.execute(_UPDATE, streams, versions, documents, owners, sealed)


async def _live_keys(
    keys: Keyring, subjects: Collection[str], erased: set[str]
) -> dict[str, DataKey]:
    """The keys of the subjects not erased, made where they have none. `erased` gains a
    subject destroyed since it was read: their fields are emptied, not sealed."""
    while True:
        try:
            return await keys.for_writing([s for s in subjects if s not in erased])
        except SubjectErased as gone:
            erased.add(gone.subject)


def _seal_fields(
    values: dict[str, Any], event_type: str, plan: Plan, subject: str, key: DataKey | None
) -> bool:
    """Seal (or, without a key, empty) each plaintext field in place; whether one was."""
    changed = False
    for name in plan.fields:
        value = values.get(name)
        if value is None or is_sealed(value):
            continue
        if key is None:
            values[name] = ERASED_ENVELOPE
        else:
            values[name] = seal(key, value, associated_data(event_type, name, subject))
        changed = True
    return changed
