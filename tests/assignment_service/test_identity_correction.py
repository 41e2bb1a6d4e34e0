"""Correcting who a member is (name, card number, birth date) through the composition root,
on the in-memory store and on PostgreSQL: the name on the member's own stream, published
and sealed (`member_renamed.v1`); the card and birth date in the private stream beside it;
checked as a registration is, and refused, naming the holder, for a card another member
holds. Also: registrations are published as version 2, and households without their label."""

from __future__ import annotations

from datetime import date

import pytest

from assignment.application.repository import assignment_repository
from assignment.domain import commands as c
from assignment.domain.identity import MemberIdentity
from assignment.domain.member import Member
from assignment.domain.private_texts import HouseholdLabels
from chibo_chassis.auth import Forbidden, acting_as
from chibo_kernel.errors import Conflict, RuleViolation

from .test_application import ADMIN, SECRETARY, Backend, a_tree, backend, register

__all__ = ["backend"]  # the fixture, on both stores

REGISTERED = "chibo.assignment.member_registered.v3"
RENAMED = "chibo.assignment.member_renamed.v1"
RECORDED = "chibo.assignment.member_identity_recorded.v1"
CORRECTED = "chibo.assignment.member_identity_corrected.v1"
BORN = date(1990, 1, 1)


async def loaded(backend: Backend, member_id: str) -> tuple[Member, MemberIdentity]:
    repository = assignment_repository(lambda: backend.store)
    member = await repository.load(Member, member_id)
    return member, await repository.load(MemberIdentity, member_id)


async def test_a_correction_renames_on_the_public_stream_and_corrects_the_card_privately(
    backend: Backend,
) -> None:
    await a_tree(backend.bus)
    with acting_as(SECRETARY):
        await register(backend.bus, "m-101", "VL-TT")
        saved = await backend.bus.run(
            c.CorrectIdentity("m-101", " Lò  Văn Pảo ", "99000101", date(1981, 2, 2))
        )
    assert saved.versions == {"member-m-101": 2, "member_private-m-101": 2}
    assert await backend.events("member-m-101") == [REGISTERED, RENAMED]
    assert await backend.events("member_private-m-101") == [RECORDED, CORRECTED]
    member, identity = await loaded(backend, "m-101")
    assert member.full_name == "Lò Văn Pảo"  # cleaned as at registration
    assert (identity.card_number, identity.birth_date) == ("99000101", date(1981, 2, 2))


async def test_the_same_correction_sent_again_records_nothing(backend: Backend) -> None:
    await a_tree(backend.bus)
    with acting_as(ADMIN):
        await register(backend.bus, "m-102", "VL-TT")
        correction = c.CorrectIdentity("m-102", full_name="Lò Văn Pảo", card_number="99000102")
        await backend.bus.run(correction)
        again = await backend.bus.run(correction)
    assert again.event_ids == []
    assert await backend.events("member-m-102") == [REGISTERED, RENAMED]
    assert await backend.events("member_private-m-102") == [RECORDED, CORRECTED]


async def test_only_the_birth_date_keeps_the_card_and_publishes_nothing(
    backend: Backend,
) -> None:
    await a_tree(backend.bus)
    with acting_as(ADMIN):
        await register(backend.bus, "m-103", "VL-TT")
        await backend.bus.run(c.CorrectIdentity("m-103", birth_date=date(1979, 12, 31)))
    assert await backend.events("member-m-103") == [REGISTERED]
    _, identity = await loaded(backend, "m-103")
    assert (identity.card_number, identity.birth_date) == ("012345103", date(1979, 12, 31))


async def test_a_card_another_member_holds_is_refused_naming_them_in_both_languages(
    backend: Backend,
) -> None:
    await a_tree(backend.bus)
    with acting_as(ADMIN):
        await register(backend.bus, "m-104", "VL-TT")  # card 012345104
        await register(backend.bus, "m-105", "VL-KC")
        await backend.bus.run(c.CorrectIdentity("m-104", full_name="Hoàng Thị Mai"))
        with pytest.raises(Conflict) as refused:
            await backend.bus.run(
                c.CorrectIdentity("m-105", full_name="Giàng A Lử", card_number="012345104")
            )
    assert refused.value.code == "card_number_taken"
    assert "Hoàng Thị Mai" in refused.value.message_en  # the holder, as corrected
    assert "Hoàng Thị Mai" in refused.value.message_vi
    assert refused.value.details["member_id"] == "m-104"
    assert await backend.events("member-m-105") == [REGISTERED]  # not even the name


async def test_a_corrected_card_names_the_corrected_member_and_frees_the_old_one(
    backend: Backend,
) -> None:
    await a_tree(backend.bus)

    def registration(card: str) -> c.RegisterMember:
        return c.RegisterMember("Vàng A Chử", "VL-KC", date(2012, 1, 1), "full", card, BORN)

    with acting_as(ADMIN):
        await register(backend.bus, "m-106", "VL-TT")  # card 012345106
        await backend.bus.run(c.CorrectIdentity("m-106", "Hoàng Văn Sử", "99000106"))
        with pytest.raises(Conflict) as refused:
            await backend.bus.run(registration("99000106"))
        newcomer, _ = await backend.bus.run(registration("012345106"))
    assert "Hoàng Văn Sử" in refused.value.message_en
    assert "Hoàng Văn Sử" in refused.value.message_vi
    assert await backend.events(f"member-{newcomer}") == [REGISTERED]


@pytest.mark.parametrize(
    ("correction", "code"),
    [
        ({"birth_date": date(2010, 5, 19)}, "invalid_dates"),  # on the admission day
        ({"full_name": "  "}, "invalid_name"),
        ({}, "nothing_to_correct"),
    ],
)
async def test_a_correction_registration_would_refuse_stores_nothing(
    backend: Backend, correction: dict[str, object], code: str
) -> None:
    await a_tree(backend.bus)
    with acting_as(ADMIN):
        await register(backend.bus, "m-108", "VL-TT")
        with pytest.raises(RuleViolation) as refused:
            await backend.bus.run(c.CorrectIdentity("m-108", **correction))  # type: ignore[arg-type]
    assert refused.value.code == code
    assert await backend.events("member-m-108") == [REGISTERED]
    assert await backend.events("member_private-m-108") == [RECORDED]


async def test_a_secretary_corrects_members_of_their_branch_only(backend: Backend) -> None:
    await a_tree(backend.bus)
    with acting_as(ADMIN):
        await register(backend.bus, "m-109", "VL-KC")
    with acting_as(SECRETARY), pytest.raises(Forbidden):
        await backend.bus.run(c.CorrectIdentity("m-109", full_name="Lò Văn Pảo"))
    assert await backend.events("member-m-109") == [REGISTERED]


async def test_households_are_published_by_id_and_their_labels_kept_private(
    backend: Backend,
) -> None:
    await a_tree(backend.bus)
    households = (("h-1", "Hộ ông Lò Văn Pâng"), ("h-2", "Hộ bà Giàng Thị Dợ"))
    with acting_as(ADMIN):
        await backend.bus.run(c.RegisterHouseholds("VL-KC", households))
        await backend.bus.run(c.MergeUnit("VL-KC", "VL-TT", date(2025, 1, 1)))
    area = "chibo.assignment.household_registered.v2"
    label = "chibo.assignment.household_label_recorded.v1"
    assert await backend.events("area-VL-KC") == [area, area]
    assert await backend.events("area_private-VL-KC") == [label, label]
    assert await backend.events("area-VL-TT") == [area, area]  # taken over, labels too
    labels = await assignment_repository(lambda: backend.store).load(HouseholdLabels, "VL-TT")
    assert labels.labels == dict(households)
