"""Correcting who a member is: the data subject's right to have their personal data
corrected (Law 91/2025/QH15 art. 4 cl. 1 c: to see, correct or ask for the correction of
their personal data; art. 13: correction by the controller on request). The branch's
committee enters it on the member's behalf, as it entered the registration.

The name is corrected on the member's own stream by `MemberRenamed`, published sealed, so
attendance and rating print the new name; the card number and birth date by
`MemberIdentityCorrected`, private like `MemberIdentityRecorded` (`identity.py`). Kept apart
from `member.py`: the same stream, loaded as `CorrectableMember` by the correction only.
"""

from __future__ import annotations

from .errors import refuse
from .events import MemberRenamed
from .member import Member
from .names import clean_name


class CorrectableMember(Member):
    def rename(self, full_name: str) -> bool:
        """False when the name, cleaned as at registration, is the one recorded."""
        if not self.exists:
            raise refuse("member_unknown", f"no member {self.id}", f"không có đảng viên {self.id}")
        name = clean_name(full_name)
        if name == self.full_name:
            return False
        self._emit(MemberRenamed(member_id=self.id, full_name=name))
        return True
