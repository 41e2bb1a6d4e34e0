"""Hostile messages for the consumers: published straight onto the source streams' subjects,
as a compromised or buggy producer would. Garbage bytes, missing or wrong CloudEvents
headers, unknown event types, known types with invalid bodies, and known types with valid
but hostile data.

What each consumer should do with a message is read off the kernel's own decoding with that
consumer's registry (`expectation`): a message that does not decode is parked at once, one of
a type the consumer does not know is skipped, one that decodes is applied (or, if its
projection fails, retried and then parked). The test checks the consumers against that, and
against what must never change.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from hypothesis import strategies as st

from chibo_kernel.consumer.received import decode
from chibo_kernel.envelope import MSG_ID_HEADER, binary_headers
from chibo_kernel.events import DomainEvent, EventRegistry

from .hostile import CONTROL, DATETIMES, META, NFD, WRONG_TYPES, hostile_text, leaves, replace

CATEGORIES = {
    "assignment": ["org", "member", "following", "household", "plan", "report", "problem"],
    "attendance": ["meeting"],
}
# Values that once broke the consumers (test_reproductions.py has one test each): a NUL,
# a stream version past int4, an aggregate id longer than a btree entry.
NUL = "\x00"
PAST_INT4 = str(2**31)
LONG = "Đ" * 3000


@dataclass(frozen=True)
class Message:
    kind: str  # which sort of hostility, for the report
    subject: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Consumer:
    service: str  # whose database holds its bookkeeping
    name: str
    stream: str
    filters: Sequence[str]
    registry: EventRegistry


def on_the_wire(message: Message) -> Message:
    """The message as a consumer receives it: nats-py sends header values stripped, with
    CR and LF as spaces, and the receiving side strips them again."""
    headers = {
        k: v.strip().replace("\r", " ").replace("\n", " ").strip()
        for k, v in message.headers.items()
    }
    return Message(message.kind, message.subject, headers, message.body)


def subject_matches(subject: str, pattern: str) -> bool:
    tokens, wanted = subject.split("."), pattern.split(".")
    for i, token in enumerate(wanted):
        if token == ">":
            return len(tokens) > i
        if i >= len(tokens) or (token != "*" and token != tokens[i]):
            return False
    return len(tokens) == len(wanted)


def expectation(consumer: Consumer, message: Message) -> str:
    """'ignored' (not its subject), 'parked', 'skipped' or 'applied'."""
    if not any(subject_matches(message.subject, f) for f in consumer.filters):
        return "ignored"
    incoming = decode(
        subject=message.subject,
        headers=message.headers,
        body=message.body,
        stream_seq=1,
        deliveries=1,
        registry=consumer.registry,
    )
    if incoming.problem is not None:
        return "parked"
    if incoming.unknown_type:
        return "skipped"
    assert incoming.envelope is not None
    if incoming.envelope.stream_version <= 0:
        return "duplicate"
    return "applied"


def _headers(service: str, event_type: str, stream_id: str, version: int = 1) -> dict[str, str]:
    event_id = str(uuid.uuid4())
    return binary_headers(
        event_id=event_id,
        source=f"chibo/{service}",
        event_type=event_type,
        time=datetime.now(UTC).isoformat(),
        subject=stream_id,
        stream_version=str(version),
        correlation_id=str(uuid.uuid4()),
        causation_id=None,
    )


def _subject(service: str, category: str, event: str, org: Sequence[str] = ("LC",)) -> str:
    middle = ".".join(org)
    return f"chibo.{service}.{category}.{event}.v1.{middle}._"


SUBJECT_TOKENS = st.text(
    alphabet=st.characters(
        blacklist_characters=". *>\t\r\n\x00", blacklist_categories=("Cs", "Zs", "Cc")
    ),
    min_size=1,
    max_size=12,
)
HEADER_NAMES = [
    "ce-specversion",
    "ce-id",
    "ce-source",
    "ce-type",
    "ce-time",
    "ce-subject",
    "ce-streamversion",
    "ce-correlationid",
    "ce-causationid",
    "ce-datacontenttype",
    MSG_ID_HEADER,
]
HEADER_VALUES = [
    "",
    "0.3",
    "1.0 ",
    "not-a-uuid",
    "00000000-0000-0000-0000-000000000000",
    "0",
    "-1",
    "1.5",
    "１",  # a full-width digit: int() reads it
    "1_0",
    str(2**31 - 1),
    PAST_INT4,
    "99999999999999999999999",
    "garbage-time",
    *DATETIMES,
    *CONTROL,
    NUL,
    f"member-{NUL}",
    *META,
    *NFD,
    "Đ" * 1000,
    f"member-{LONG}",
]


def header_value() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(HEADER_VALUES),
        hostile_text(),
    )


class Messages:
    """Strategies for one source service's stream."""

    def __init__(self, service: str, registry: EventRegistry, categories: dict[str, str]):
        self.service = service
        self.models: list[type[DomainEvent]] = list(registry)
        self.category_of = categories  # event type -> its aggregate category, as seen live

    def _category(self, model: type[DomainEvent]) -> str:
        return self.category_of.get(model.event_type, CATEGORIES[self.service][0])

    def _envelope(self, model: type[DomainEvent], version: int = 1) -> tuple[str, dict[str, str]]:
        category = self._category(model)
        stream_id = f"{category}-fz{uuid.uuid4().hex}"
        event = model.event_type.split(".")[2]
        return _subject(self.service, category, event), _headers(
            self.service, model.event_type, stream_id, version
        )

    def garbage(self) -> st.SearchStrategy[Message]:
        """Anything at all on a consumer's subjects, with or without headers."""
        categories = CATEGORIES[self.service]
        return st.builds(
            lambda category, tokens, headers, body: Message(
                "garbage",
                f"chibo.{self.service}.{category}.{'.'.join(tokens)}",
                headers,
                body,
            ),
            st.sampled_from(categories),
            st.lists(SUBJECT_TOKENS, min_size=1, max_size=5),
            st.dictionaries(
                st.sampled_from(HEADER_NAMES) | st.from_regex(r"\A[A-Za-z][A-Za-z0-9-]{0,20}\Z"),
                header_value(),
                max_size=8,
            ),
            st.binary(max_size=300),
        )

    def bad_headers(self) -> st.SearchStrategy[Message]:
        """A real event with one CloudEvents header removed or given a hostile value."""

        def build(
            model: type[DomainEvent], event: DomainEvent, name: str, value: str | None
        ) -> Message:
            subject, headers = self._envelope(model)
            if value is None:
                headers.pop(name, None)
            else:
                headers[name] = value
            return Message(f"header {name}", subject, headers, event.model_dump_json().encode())

        return st.sampled_from(self.models).flatmap(
            lambda model: st.builds(
                build,
                st.just(model),
                st.builds(model),
                st.sampled_from(HEADER_NAMES),
                st.none() | header_value(),
            )
        )

    def unknown_type(self) -> st.SearchStrategy[Message]:
        def build(event: str, version: int, body: bytes) -> Message:
            category = CATEGORIES[self.service][0]
            event_type = f"chibo.{self.service}.{event}.v{version}"
            headers = _headers(self.service, event_type, f"{category}-fz{uuid.uuid4().hex}")
            subject = _subject(self.service, category, event)
            return Message("unknown type", subject, headers, body)

        return st.builds(
            build,
            st.from_regex(r"\A[a-z][a-z0-9_]{0,20}\Z").filter(
                lambda e: f"chibo.{self.service}.{e}.v1" not in {m.event_type for m in self.models}
            ),
            st.integers(min_value=1, max_value=99),
            st.binary(max_size=200) | st.just(b"{}"),
        )

    def bad_body(self) -> st.SearchStrategy[Message]:
        """A known type whose body does not fit its model."""

        def build(model: type[DomainEvent], event: DomainEvent, change: Any) -> Message:
            subject, headers = self._envelope(model)
            data = event.model_dump(mode="json")
            body: bytes
            if isinstance(change, bytes):
                body = change
            elif isinstance(change, tuple):
                places = [at for at, _ in leaves(data)] or [()]
                at = places[change[0] % len(places)]
                body = json.dumps(replace(data, at, change[1])).encode()
            else:
                key = sorted(data)[0] if data else "x"
                data.pop(key, None)
                body = json.dumps({**data, **({"unexpected": 1} if change else {})}).encode()
            return Message("invalid body", subject, headers, body)

        changes = st.one_of(
            st.binary(max_size=200),
            st.sampled_from([b"", b"null", b"[]", b"{", b"\xff\xfe", b"[" * 5000 + b"]" * 5000]),
            st.tuples(st.integers(0, 50), st.sampled_from(WRONG_TYPES)),
            st.booleans(),
        )
        return st.sampled_from(self.models).flatmap(
            lambda model: st.builds(build, st.just(model), st.builds(model), changes)
        )

    def hostile_data(self) -> st.SearchStrategy[Message]:
        """A known type, a body that fits its model, hostile text in it."""

        def build(model: type[DomainEvent], event: DomainEvent, index: int, text: str) -> Message:
            subject, headers = self._envelope(model)
            data = event.model_dump(mode="json")
            strings = [at for at, v in leaves(data) if isinstance(v, str)]
            if strings:
                data = replace(data, strings[index % len(strings)], text)
            return Message("hostile data", subject, headers, json.dumps(data).encode())

        texts = st.one_of(hostile_text(), st.sampled_from([*CONTROL, *META, *NFD, "Đ" * 200_000]))
        return st.sampled_from(self.models).flatmap(
            lambda model: st.builds(
                build, st.just(model), st.builds(model), st.integers(0, 20), texts
            )
        )

    def rejected(self) -> st.SearchStrategy[Message]:
        return st.one_of(self.garbage(), self.bad_headers(), self.unknown_type(), self.bad_body())
