"""A correction of who a member is (`domain/correction.py`): any of their name, card number
and birth date, checked as a registration is, in one append of both streams.

A card number names one member: one that another member holds is refused naming that
member, as a registration is. Sent again, the same correction finds nothing to change and
records nothing (and a retry with the same Idempotency-Key answers what the first did).
"""

from __future__ import annotations

from chibo_kernel.domain import Saved
from chibo_kernel.errors import Conflict
from chibo_kernel.keyring import ERASED_VI

from ...domain.commands import CorrectIdentity
from ...domain.correction import CorrectableMember
from ...domain.errors import refuse
from ...domain.identity import MemberIdentity
from ...domain.member import Member
from ..loading import Loader


async def handle(command: CorrectIdentity, load: Loader) -> Saved:
    member = await load.repo.load(CorrectableMember, command.member_id)
    if not member.exists:
        raise refuse(
            "member_unknown",
            f"no member {command.member_id}",
            f"không có đảng viên {command.member_id}",
        )
    if command.full_name is None and command.card_number is None and command.birth_date is None:
        raise refuse(
            "nothing_to_correct",
            "give the full name, the card number or the birth date to correct",
            "hãy nhập họ tên, số thẻ hoặc ngày sinh cần sửa",
        )
    if command.card_number is not None:
        await _require_card_free(command.card_number, member, load)
    if command.full_name is not None:
        member.rename(command.full_name)
    identity = await load.repo.load(MemberIdentity, member.id)
    identity.correct(member, card_number=command.card_number, birth_date=command.birth_date)
    path = await load.path(member.branch_id)
    return await load.repo.save([(member, path), (identity, path)])


async def _require_card_free(card_number: str, member: Member, load: Loader) -> None:
    holder_id = await load.directory.card_holder(card_number)
    if holder_id is None or holder_id == member.id:
        return
    holder = await load.repo.load(Member, holder_id)
    name = holder.full_name or ERASED_VI
    raise Conflict(
        "card_number_taken",
        f"card number {card_number} already belongs to member {name}; nothing was corrected",
        f"số thẻ {card_number} đã thuộc về đảng viên {name}; chưa sửa gì",
        member_id=holder_id,
        full_name=str(name),
        card_number=card_number,
    )
