"""A command run under an Idempotency-Key, through the assignment service's composition
root on the in-memory store and on PostgreSQL: its events and its read-model rows appear
when it settles, together with its answer, and not at all when it does not."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from assignment_service.test_application import ADMIN, Backend, a_tree, backend

from assignment.domain import commands as c
from chibo_chassis.auth import acting_as
from chibo_kernel.store import Answer, IdempotencyKey

__all__ = ["backend"]  # the fixture: one suite on both stores

REGISTRATION = c.RegisterMember(
    full_name="Lò Thị Mai",
    branch_id="VL-TT",
    admission_date=date(2011, 3, 2),
    status="full",
    card_number="77001122",
    birth_date=date(1985, 7, 9),
    member_id="m-mai",
)


def a_key() -> IdempotencyKey:
    return IdempotencyKey(ADMIN.subject, uuid.uuid4().hex, "f" * 64)


async def test_a_keyed_command_that_never_settles_leaves_no_trace(backend: Backend) -> None:
    await a_tree(backend.bus)
    store: Any = backend.store
    with acting_as(ADMIN):
        async with store.keyed(a_key()):
            await backend.bus.run(REGISTRATION)
            # the route failed to answer: leaving without settling

        assert await backend.events("member-m-mai") == []
        # the card went nowhere either: the same registration is new again
        member_id, saved = await backend.bus.run(REGISTRATION)

    assert member_id == "m-mai"
    assert saved.versions == {"member-m-mai": 1, "member_private-m-mai": 1}


async def test_a_settled_keyed_command_keeps_events_rows_and_answer(backend: Backend) -> None:
    await a_tree(backend.bus)
    store: Any = backend.store
    key = a_key()
    with acting_as(ADMIN):
        async with store.keyed(key) as command:
            await backend.bus.run(REGISTRATION)
            await command.settle(Answer(201, b"{}", "application/json", key.fingerprint))
        # a retry without the key is recognised by the card number the read model holds
        member_id, saved = await backend.bus.run(REGISTRATION)

    assert await store.recorded_answer(key.principal, key.key) is not None
    assert await backend.events("member-m-mai") == ["chibo.assignment.member_registered.v3"]
    assert member_id == "m-mai"
    assert saved.versions == {"member-m-mai": 1, "member_private-m-mai": 1}
