"""The stream probe over the systems the hostile-input runs (tests/security) attack: each
system, before it stops, has every stream of its NATS read and every message its services
published checked. The sensitive values are those the runs got stored in marked fields:
read back from the services' event stores, so whatever Schemathesis, the hostile sweeps or
hypothesis sent and a service accepted is looked for on the streams. Values the stores seal
(a private event's fields, or a published one's sealed on the stream, under its data
subject's key) are opened with the keyring the services use, the system's keyring
database, under the session's `$CHIBO_MASTER_KEY`, as their own loads open them.

Only the messages a service's relay published (their id is an event of its store) are
judged: the consumer run also publishes forged events straight onto the streams, which are
the test's own words, not a service's."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from chibo_kernel.envelope import MSG_ID_HEADER
from chibo_kernel.events import DomainEvent
from chibo_kernel.keyring import PREFIX as SEALED

from .marks import EACH, Path, dotted, registries, sensitive_paths
from .probe import IDENTITY_KEY, Needle, Needles, Report, probe
from .streams import Message, read_every_stream

if TYPE_CHECKING:
    from security.harness import System

EVENTS = (
    "SELECT event_id::text AS id, event_type, data::text AS data, metadata::text AS metadata "
    "FROM events ORDER BY position"
)
LONG_TOKEN = 16  # an ASCII value without spaces this long is text, not an id or an enum


def probe_system(system: System, title: str) -> Report:
    assert system.nc is not None
    report = Report(title)
    streams = system.run(read_every_stream(system.nc))
    models = registries()
    published: dict[str, set[str]] = {}
    stored: list[tuple[str, Any]] = []
    for name, service in system.services.items():
        assert service.conn is not None
        rows = system.run(service.conn.fetch(EVENTS))
        published[f"CHIBO_{name.upper()}"] = {str(r["id"]) for r in rows}
        opened = system.run(_opened(system.keyring_url, rows))
        stored += [(str(r["event_type"]), json.loads(d)) for r, d in zip(rows, opened, strict=True)]

    def by_its_service(message: Message) -> bool:
        return message.headers.get(MSG_ID_HEADER, "") in published.get(message.stream, set())

    needles = Needles(stored_needles(stored, models))
    return probe(report, streams, models, needles, judged=by_its_service)


async def _opened(keyring_url: str, rows: list[Any]) -> list[str]:
    """Each row's data with its sealed fields opened (imported late: only a probe of a store
    that seals needs the keyring)."""
    from chibo_kernel.db import create_pool
    from chibo_kernel.keyring import MasterKey, PostgresKeyring
    from chibo_kernel.store.sealing import open_rows

    keys = await create_pool(keyring_url, max_size=1)
    try:
        keyring = PostgresKeyring(keys, MasterKey.from_environment(), own_database=False)
        triples = [(str(r["event_type"]), str(r["data"]), str(r["metadata"])) for r in rows]
        return [o.data for o in await open_rows(lambda: keyring, triples)]
    finally:
        await keys.close()


def stored_needles(
    stored: list[tuple[str, Any]], models: Mapping[str, type[DomainEvent]]
) -> list[Needle]:
    """The text stored in SENSITIVE fields, and the card numbers and birth dates stored, each
    only if stored nowhere else, not even within a longer value: a hostile sweep sends the
    same value (`0001-01-01`) to every field, and where a field not marked accepted it too,
    it may be on a stream rightly."""
    sensitive: dict[str, str] = {}
    elsewhere: set[str] = set()
    identities: dict[str, str] = {}
    for event_type, data in stored:
        model = models.get(event_type)
        marked = set(sensitive_paths(model)) if model is not None else set()
        for path, value in _leaves(data, ()):
            if not isinstance(value, str) or value.startswith(SEALED):
                continue  # a value whose key was erased stays sealed: nothing to look for
            named = [step for step in path if step != EACH]
            label = f"{event_type} {dotted(path)} (stored)"
            if any(path[:n] in marked for n in range(1, len(path) + 1)):
                sensitive.setdefault(value, label)
            elif named and IDENTITY_KEY.search(named[-1]):
                identities.setdefault(value, label)
            else:
                elsewhere.add(value)
    texts = [Needle(label, v) for v, label in sensitive.items() if _text(v)]
    numbers = [Needle(label, v) for v, label in identities.items() if len(v.strip()) >= 6]
    # The probe finds a needle inside longer values too, so a sweep's "2025-03-05T19:30:00"
    # stored as a reason is no finding where a meeting's time "2025-03-05T19:30:00+07:00"
    # was stored in a field that is rightly published.
    haystack = "\x00".join(elsewhere)
    return [n for n in texts + numbers if n.value not in haystack]


def _text(value: str) -> bool:
    """Words, not a token: ids, enums and numbers recur in every header and field."""
    stripped = value.strip()
    if len(stripped) >= LONG_TOKEN:
        return True
    return len(stripped) >= 2 and any(c.isspace() or not c.isascii() for c in stripped)


def _leaves(data: Any, at: Path) -> Iterator[tuple[Path, Any]]:
    if isinstance(data, Mapping):
        for key, value in data.items():
            yield from _leaves(value, (*at, str(key)))
    elif isinstance(data, list):
        for item in data:
            yield from _leaves(item, (*at, EACH))
    elif data is not None:
        yield at, data
