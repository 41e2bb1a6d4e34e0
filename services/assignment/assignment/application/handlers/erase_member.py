"""A member's personal data erased: the tombstone first, then their data key.

1. `MemberErased` is appended to the member's stream; the inline read models scrub the
   service's own copies (`adapters/erasure_projection.py`) in the same transaction, and the
   relay publishes it so attendance and rating scrub theirs.
2. The member's data key is destroyed: every field sealed under it, in every service that
   shares the province's keyring, reads as None from then on.
A failure between the two leaves the tombstone without the destruction: the same command,
run again, finds the member erased, destroys the key again and answers what it first did.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from chibo_kernel.clock import VIETNAM
from chibo_kernel.domain import Saved
from chibo_kernel.keyring import Keyring

from ...domain.commands import EraseMember
from ...domain.erasure import ErasableMember
from ...domain.events import MemberErased
from ..loading import Loader


async def handle(command: EraseMember, load: Loader, keys: Callable[[], Keyring]) -> Saved:
    member = await load.repo.load(ErasableMember, command.member_id)
    if member.erased_on is not None:
        saved = await _answered_before(member, load)
    else:
        today = command.today or datetime.now(VIETNAM).date()
        member.erase(command.basis, today)
        saved = await load.repo.save([(member, await load.path(member.branch_id))])
    await keys().destroy(member.id)
    return saved


async def _answered_before(member: ErasableMember, load: Loader) -> Saved:
    recorded = await load.repo.recorded(member.stream_id)
    erased = [e for e in recorded if e.event_type == MemberErased.event_type]
    return Saved({e.stream_id: e.version for e in erased}, [str(e.event_id) for e in erased])
