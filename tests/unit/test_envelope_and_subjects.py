"""CloudEvents headers, subjects and event models: pure functions, no servers."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import ClassVar

import pytest
from pydantic import ValidationError

from chibo_kernel import DomainEvent, Envelope, EventRegistry, MalformedMessage, UnknownEventType
from chibo_kernel.store import StreamAppend
from chibo_kernel.store.base import validate_append
from chibo_kernel.subjects import (
    category_of,
    event_subject,
    is_private_category,
    subtree_subjects,
)


class MemberAssigned(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.member_assigned.v1"
    member_id: str
    households: int


def envelope() -> Envelope:
    return Envelope(
        id=uuid.uuid4(),
        source="/chibo/assignment",
        type=MemberAssigned.event_type,
        time=datetime(2026, 11, 21, 19, 30, tzinfo=UTC),
        subject="member-42",
        stream_version=3,
        correlation_id="req-1",
        causation_id="evt-0",
        data=b'{"member_id":"42","households":7}',
    )


def test_envelope_round_trips_through_nats_headers() -> None:
    original = envelope()
    assert Envelope.from_nats(original.to_headers(), original.data) == original


def test_message_id_is_the_cloudevent_id() -> None:
    headers = envelope().to_headers()
    assert headers["Nats-Msg-Id"] == headers["ce-id"]


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda h: h.pop("ce-id"), "ce-id is missing"),
        (lambda h: h.update({"ce-specversion": "0.3"}), "ce-specversion"),
        (lambda h: h.update({"ce-streamversion": "three"}), "invalid literal"),
        (lambda h: h.update({"ce-time": "yesterday"}), "isoformat"),
        (lambda h: h.update({"ce-id": "not-a-uuid"}), "badly formed"),
    ],
)
def test_broken_headers_are_malformed_with_the_reason(mutate: object, reason: str) -> None:
    headers = envelope().to_headers()
    mutate(headers)  # type: ignore[operator]
    with pytest.raises(MalformedMessage, match=reason):
        Envelope.from_nats(headers, b"{}")


def test_subject_carries_service_category_event_version_and_org_path() -> None:
    subject = event_subject(MemberAssigned.event_type, "member-42", ["p01", "g12", "b345"])
    assert subject == "chibo.assignment.member.member_assigned.v1.p01.g12.b345._"
    assert event_subject(MemberAssigned.event_type, "quota-1") == (
        "chibo.assignment.quota.member_assigned.v1._"
    )


class IdentityRecorded(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.identity_recorded.v1"
    published: ClassVar[bool] = False
    card_number: str


def test_private_categories_end_with_private() -> None:
    assert is_private_category(category_of("member_private-42"))
    assert not is_private_category(category_of("member-42"))
    assert not is_private_category(category_of("private-42"))
    assert not is_private_category(category_of("member_private_x-42"))


def test_a_stream_holds_private_events_or_published_ones_never_both() -> None:
    """Pure, so refused before any I/O: private events only in `*_private` streams."""
    private = IdentityRecorded(card_number="0123456")
    public = MemberAssigned(member_id="42", households=7)
    validate_append(StreamAppend("member_private-42", 0, [private]))
    validate_append(StreamAppend("member-42", 0, [public]))
    with pytest.raises(ValueError, match=r"is private.*gap-free versions"):
        validate_append(StreamAppend("member-42", 0, [public, private]))
    with pytest.raises(ValueError, match=r"is published.*gap-free versions"):
        validate_append(StreamAppend("member_private-42", 0, [public]))


def test_subtree_filter_selects_the_unit_and_everything_below_it() -> None:
    pattern = subtree_subjects("assignment", ["p01", "g12"]).split(".")

    def matches(subject: str) -> bool:
        tokens = subject.split(".")
        for i, p in enumerate(pattern):
            if p == ">":
                return len(tokens) > i
            if i >= len(tokens) or (p != "*" and p != tokens[i]):
                return False
        return len(tokens) == len(pattern)

    t = MemberAssigned.event_type
    assert matches(event_subject(t, "member-1", ["p01", "g12"]))
    assert matches(event_subject(t, "member-1", ["p01", "g12", "b345"]))
    assert not matches(event_subject(t, "member-1", ["p01", "g13", "b345"]))
    assert not matches(event_subject(t, "member-1", ["p01"]))


def test_events_are_frozen_and_closed() -> None:
    event = MemberAssigned(member_id="42", households=7)
    with pytest.raises(ValidationError):
        event.households = 8  # type: ignore[misc]
    with pytest.raises(ValidationError):
        MemberAssigned(member_id="42", households=7, phone="0912")  # type: ignore[call-arg]


def test_event_type_names_are_pinned_and_versioned() -> None:
    with pytest.raises(TypeError, match=r"chibo\.svc\.name\.v1"):

        class Unversioned(DomainEvent):
            event_type: ClassVar[str] = "chibo.assignment.member_assigned"


def test_registry_decodes_known_types_and_names_unknown_ones() -> None:
    registry = EventRegistry([MemberAssigned])
    assert registry.decode(MemberAssigned.event_type, b'{"member_id":"1","households":5}') == (
        MemberAssigned(member_id="1", households=5)
    )
    with pytest.raises(UnknownEventType, match=r"chibo\.assignment\.gone\.v1"):
        registry.decode("chibo.assignment.gone.v1", b"{}")
