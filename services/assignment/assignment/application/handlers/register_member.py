"""A new member, with their identity (card number, birth date) kept on its own stream.

The card number is the member's natural key: a registration naming a card already held is
either the same registration sent again (a retry after a lost answer: it answers what the
first one answered, and stores nothing) or a conflict, refused naming the card and the
member who holds it.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime

from chibo_kernel.clock import VIETNAM
from chibo_kernel.domain import Saved
from chibo_kernel.errors import Conflict
from chibo_kernel.keyring import ERASED_VI
from chibo_kernel.store import RecordedEvent

from ...domain.commands import RegisterMember
from ...domain.identity import MemberIdentity
from ...domain.member import Member
from ...domain.names import clean_name
from ..loading import Loader


async def handle(command: RegisterMember, load: Loader) -> tuple[str, Saved]:
    holder = await load.directory.card_holder(command.card_number)
    if holder is not None:
        return holder, await _registered_before(command, holder, load)
    branch = await load.holder(command.branch_id)
    member = await load.repo.load(Member, command.member_id or uuid.uuid4().hex)
    member.register(
        full_name=command.full_name,
        branch=branch,
        admission_date=command.admission_date,
        status=command.status,
        attending_since=command.attending_since,
        today=command.today or datetime.now(VIETNAM).date(),
    )
    # New with the member: both streams are appended at once, so neither exists yet.
    identity = MemberIdentity(member.id)
    identity.record(member, card_number=command.card_number, birth_date=command.birth_date)
    saved = await load.repo.save([(member, branch.path), (identity, branch.path)])
    return member.id, saved


async def _registered_before(command: RegisterMember, holder: str, load: Loader) -> Saved:
    """What the first registration answered, if this is the same one; else the conflict."""
    member = Member(holder)
    identity = MemberIdentity(holder)
    registered = (await load.repo.recorded(member.stream_id))[:1]
    recorded = (await load.repo.recorded(identity.stream_id))[:1]
    facts = {**_data(registered), **_data(recorded)}
    # Registered before version 3: attending since the admission, as its consumers read it.
    since = facts.pop("attending_since", facts.get("admission_date"))
    asked = command.attending_since or command.admission_date
    sent = {
        "member_id": holder,
        "full_name": clean_name(command.full_name),
        "branch_id": command.branch_id,
        "admission_date": command.admission_date.isoformat(),
        "status": command.status,
        "card_number": command.card_number,
        "birth_date": command.birth_date.isoformat(),
    }
    same = command.member_id in (None, holder) and (facts, since) == (sent, asked.isoformat())
    if not same:
        name = (await load.repo.load(Member, holder)).full_name or ERASED_VI  # as corrected
        raise Conflict(
            "card_number_taken",
            f"card number {command.card_number} already belongs to member {name}; "
            "nothing was registered",
            f"số thẻ {command.card_number} đã thuộc về đảng viên {name}; chưa đăng ký gì",
            member_id=holder,
            full_name=str(name),
            card_number=command.card_number,
        )
    first = [*registered, *recorded]
    return Saved({e.stream_id: e.version for e in first}, [str(e.event_id) for e in first])


def _data(events: list[RecordedEvent]) -> dict[str, object]:
    return dict(json.loads(events[0].data)) if events else {}
