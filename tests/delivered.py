"""Another service's events as a consumer's projection receives them from JetStream, for
application tests that feed a projection directly instead of through NATS; and the
assignment events such tests start from."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from chibo_contracts import assignment as a
from chibo_kernel import DomainEvent
from chibo_kernel.consumer import ReceivedEvent
from chibo_kernel.envelope import Envelope


def as_delivered(events: Sequence[DomainEvent], at: datetime) -> list[ReceivedEvent]:
    """One aggregate per event (version 1 each): projections take their keys from the
    payload, so the envelope's subject only has to be unique."""
    return [
        ReceivedEvent(
            Envelope(
                id=uuid.uuid4(),
                source=event.event_type.split(".")[1],
                type=event.event_type,
                time=at,
                subject=f"delivered-{n}",
                stream_version=1,
                correlation_id="application-test",
                causation_id=None,
                data=event.model_dump_json().encode(),
            ),
            event,
            stream_seq=n,
            deliveries=1,
        )
        for n, event in enumerate(events, 1)
    ]


def registered(homes: Sequence[tuple[str, str]]) -> list[DomainEvent]:
    """Each (member, branch) registered as an official member since 19/05/2010."""
    return [
        a.MemberRegistered(
            member_id=member,
            full_name=f"Đảng viên {member}",
            branch_id=branch,
            admission_date=date(2010, 5, 19),
            status="full",
        )
        for member, branch in homes
    ]
