"""CloudEvents 1.0 in NATS binary mode: attributes in `ce-*` headers, the event data as JSON body.

Extension attributes (lower-case alphanumerics, as the spec requires):
- `streamversion`: the aggregate's version, which consumers use to keep per-aggregate order;
- `correlationid` / `causationid`: the request or event that led to this one;
- `datasubject` / `sealedfields`: on an event sealed on the stream, whose data key seals
  which fields of the body (comma-separated): the consumer opens those and no other.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .errors import MalformedMessage
from .subjects import STREAM_ID

# What the stores' columns and keys hold (integer versions, btree-indexed ids).
MAX_STREAM_ID = 200
MAX_VERSION = 2**31 - 1

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/json"
MSG_ID_HEADER = "Nats-Msg-Id"


SCHEMA_PREFIX = "urn:chibo:schema:"
SUBJECT_HEADER = "ce-datasubject"
SEALED_HEADER = "ce-sealedfields"
_FIELD_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,63}$")


def dataschema_for(event_type: str) -> str:
    return SCHEMA_PREFIX + event_type


@dataclass(frozen=True, slots=True)
class Envelope:
    id: uuid.UUID
    source: str
    type: str
    time: datetime
    subject: str
    stream_version: int
    correlation_id: str
    causation_id: str | None
    data: bytes
    actor: str | None = None
    actor_role: str | None = None
    data_subject: str | None = None
    sealed: tuple[str, ...] = ()  # fields of `data` sealed under `data_subject`'s key

    def to_headers(self) -> dict[str, str]:
        return binary_headers(
            event_id=str(self.id),
            source=self.source,
            event_type=self.type,
            time=self.time.isoformat(),
            subject=self.subject,
            stream_version=str(self.stream_version),
            correlation_id=self.correlation_id,
            causation_id=self.causation_id,
            actor=self.actor,
            actor_role=self.actor_role,
            data_subject=self.data_subject,
            sealed=",".join(self.sealed) or None,
        )

    @classmethod
    def from_nats(cls, headers: dict[str, str] | None, body: bytes) -> Envelope:
        """Parse a received message; anything off raises MalformedMessage with the reason."""
        if not headers:
            raise MalformedMessage("no CloudEvents headers")
        if headers.get("ce-specversion") != SPEC_VERSION:
            raise MalformedMessage(f"ce-specversion is {headers.get('ce-specversion')!r}")
        subject = _required(headers, "ce-subject")
        if len(subject) > MAX_STREAM_ID or not STREAM_ID.match(subject):
            raise MalformedMessage(f"ce-subject is not a stream id: {subject[:80]!r}")
        try:
            version = int(_required(headers, "ce-streamversion"))
            if not 1 <= version <= MAX_VERSION:
                raise ValueError(f"ce-streamversion {version} is out of range")
            return cls(
                id=uuid.UUID(_required(headers, "ce-id")),
                source=_required(headers, "ce-source"),
                type=_required(headers, "ce-type"),
                time=datetime.fromisoformat(_required(headers, "ce-time")),
                subject=subject,
                stream_version=version,
                correlation_id=_required(headers, "ce-correlationid"),
                causation_id=_optional(headers, "ce-causationid"),
                data=body,
                actor=_optional(headers, "ce-actor"),
                actor_role=_optional(headers, "ce-actorrole"),
                **_sealing(headers),
            )
        except ValueError as exc:
            raise MalformedMessage(str(exc)) from exc

    def describe(self) -> dict[str, Any]:
        return {"event_id": str(self.id), "event_type": self.type, "stream_id": self.subject}


def binary_headers(
    *,
    event_id: str,
    source: str,
    event_type: str,
    time: str,
    subject: str,
    stream_version: str,
    correlation_id: str,
    causation_id: str | None,
    actor: str | None = None,
    actor_role: str | None = None,
    data_subject: str | None = None,
    sealed: str | None = None,
) -> dict[str, str]:
    """The NATS headers of one event, from values already in text (the relay's hot path)."""
    headers = {
        MSG_ID_HEADER: event_id,
        "ce-specversion": SPEC_VERSION,
        "ce-id": event_id,
        "ce-source": source,
        "ce-type": event_type,
        "ce-time": time,
        "ce-subject": subject,
        "ce-datacontenttype": CONTENT_TYPE,
        "ce-dataschema": SCHEMA_PREFIX + event_type,
        "ce-streamversion": stream_version,
        "ce-correlationid": correlation_id,
    }
    if causation_id:
        headers["ce-causationid"] = causation_id
    if actor:  # who acted (the token's subject) and in which role; absent for the services'
        headers["ce-actor"] = actor  # own policies
    if actor_role:
        headers["ce-actorrole"] = actor_role
    if sealed and data_subject:
        headers[SUBJECT_HEADER] = data_subject
        headers[SEALED_HEADER] = sealed
    return headers


def _sealing(headers: dict[str, str]) -> dict[str, Any]:
    sealed = _optional(headers, SEALED_HEADER)
    if sealed is None:
        return {}
    fields = tuple(sealed.split(","))
    if not all(_FIELD_NAME.match(name) for name in fields):
        raise MalformedMessage(f"header {SEALED_HEADER} is not a list of field names")
    subject = _required(headers, SUBJECT_HEADER)
    if len(subject) > MAX_STREAM_ID:
        raise MalformedMessage(f"header {SUBJECT_HEADER} is longer than {MAX_STREAM_ID}")
    return {"data_subject": subject, "sealed": fields}


def _optional(headers: dict[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value and "\x00" in value:
        raise MalformedMessage(f"header {name} holds a NUL character")
    return value or None


def _required(headers: dict[str, str], name: str) -> str:
    value = headers.get(name)
    if not value:
        raise MalformedMessage(f"header {name} is missing")
    if "\x00" in value:
        raise MalformedMessage(f"header {name} holds a NUL character")
    return value
