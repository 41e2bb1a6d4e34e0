"""Opening the sealed fields of published events as a batch is decoded.

A published event may carry personal fields sealed under its data subject's key (the
event sets `sealed_on_stream`; the headers name the subject and the fields, see
`envelope`). Every service reads the province's one keyring, so a consumer opens them as
the store of the service that wrote them would: the keys of a whole batch in one read,
an erased person's fields decoded as None.

A message whose fields cannot be opened is parked with the reason ("unreadable"), and the
rest of the batch goes on: a key missing from the keyring (this service does not read the
province's keyring database, or that table was restored from an older backup), a key
wrapped by another master key, an altered envelope. After the cause is fixed, replaying
the parked messages opens them. An outage of the keyring database is raised instead, as
for the service's own database: the batch is held and tried again, nothing parked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..errors import ChiboError
from ..events import EventRegistry
from ..keyring import KeyLookup, Keyring, MissingDataKey
from ..store.opening import open_document
from .received import Incoming, decoded

NO_KEYRING = (
    "its fields are sealed under a data subject's key, and this consumer was given no "
    "keyring to open them"
)


@dataclass(frozen=True)
class Decoding:
    """What a consumer decodes with: its registry, and the keyring for sealed fields."""

    registry: EventRegistry
    keyring: Keyring | None = None

    async def opened(self, incoming: Sequence[Incoming]) -> list[Incoming]:
        opened = await open_sealed(self.keyring, self.registry, incoming)
        if self.keyring is not None:
            forget_erased(self.keyring, opened)
        return opened


def forget_erased(keyring: Keyring, incoming: Sequence[Incoming]) -> None:
    """Keys that tombstones in `incoming` report destroyed, dropped from this process's
    cache before the batch is applied."""
    for message in incoming:
        event = message.received.event if message.received is not None else None
        field = type(event).erases_subject if event is not None else None
        if field is not None:
            keyring.forget(str(getattr(event, field)))


async def open_sealed(
    keyring: Keyring | None, registry: EventRegistry, incoming: Sequence[Incoming]
) -> list[Incoming]:
    """`incoming` with every sealed message decoded, or marked unreadable. A type this
    consumer does not know is decoded as unknown, its keys never read."""
    incoming = [m if _known(m, registry) else decoded(m, registry, m.body) for m in incoming]
    waiting = [m for m in incoming if m.sealed]
    if not waiting:
        return incoming
    if keyring is None:
        return [_unreadable(m, NO_KEYRING) if m.sealed else m for m in incoming]
    found = await keyring.look_up({_subject(m) for m in waiting})
    return [_opened(m, found, registry) if m.sealed else m for m in incoming]


def _unreadable(message: Incoming, why: str) -> Incoming:
    return replace(message, sealed=False, unreadable=why)


def _known(message: Incoming, registry: EventRegistry) -> bool:
    return not message.sealed or (
        message.envelope is not None and message.envelope.type in registry
    )


def _opened(message: Incoming, found: KeyLookup, registry: EventRegistry) -> Incoming:
    envelope = message.envelope
    assert envelope is not None
    subject = _subject(message)
    problem = found.problems.get(subject)
    if isinstance(problem, MissingDataKey):
        return _unreadable(message, missing_key(subject))
    if problem is not None:
        return _unreadable(message, problem.message_en)
    try:
        data = message.body.decode()
    except UnicodeDecodeError:
        return replace(message, sealed=False, problem="the body is not UTF-8 text")
    try:
        opened = open_document(data, envelope.type, subject, found.keys[subject], envelope.sealed)
    except ChiboError as exc:  # an envelope its subject's key does not open: altered
        return _unreadable(message, exc.message_en)
    except ValueError:  # an envelope that never ends
        return replace(message, sealed=False, problem="a sealed field is not a JSON string")
    return decoded(message, registry, opened.data, opened.erased)


def missing_key(subject: str) -> str:
    return (
        f"the keyring holds no data key of {subject}, whose fields this message seals: does "
        "CHIBO_KEYRING_DATABASE_URL name the province's keyring database, the one the "
        "publishing service uses? Replay the message once it does"
    )


def _subject(message: Incoming) -> str:
    subject = message.envelope.data_subject if message.envelope else None
    assert subject is not None, "a sealed message names its data subject"
    return subject
