"""Erasing a member's personal data, and when the Party's keeping of member records refuses it.

The right: a data subject may ask for erasure (Law 91/2025/QH15 art. 4 cl. 1 d). Art. 14
cl. 1 lists when personal data is erased: a) the person asks, accepting the consequences,
and the request respects art. 4 cl. 3 (exercising a right may not hinder the controller's
own legal duties); b) the purpose of the processing is fulfilled; c) the keeping period set
by law has run out; d) a competent state body decides; đ) by agreement; e) other cases of
law. A refusal is told to the person with its reason (art. 14).

The duty it meets: the Party keeps a member's record until 5 years after it closes (the
member left, was removed or died: `MemberLeft`), under its archive schedule (Guidance
35-HD/VPTW; docs/privacy.md, section 7). So, by basis:
- `subject_request` (a) and `retention_expired` (c): only once the record has closed and
  the 5 years have passed; before, erasing would hinder that keeping (art. 4 cl. 3);
- `entered_in_error` (b, with art. 3 cl. 3: data is kept only as long as its purpose needs):
  a person who never was a member has no Party record to keep, so at once, but only once
  the entry is closed (its departure recorded), so that no open roll or plan names them.
Otherwise refused with a 409 that names the member, says why, and from when it is possible.

Kept apart from `member.py`: the same stream, loaded as `ErasableMember` by erasure only.
"""

from __future__ import annotations

from datetime import date

from chibo_kernel import DomainEvent
from chibo_kernel.errors import Conflict

from .errors import refuse
from .events import ErasureBasis, MemberErased
from .member import Member

KEEPING_YEARS = 5  # after the record closes (docs/privacy.md, section 7)

# Each basis with its label, English and Vietnamese, and the clause it rests on.
BASES: dict[ErasureBasis, tuple[str, str]] = {
    "subject_request": (
        "the member's own request (Law 91/2025 art. 14 cl. 1 a)",
        "theo yêu cầu của chính đảng viên (Luật 91/2025 Điều 14 khoản 1 điểm a)",
    ),
    "retention_expired": (
        "the keeping period has run out (Law 91/2025 art. 14 cl. 1 c)",
        "hết thời hạn lưu trữ (Luật 91/2025 Điều 14 khoản 1 điểm c)",
    ),
    "entered_in_error": (
        "entered in error: the person never was a member (Law 91/2025 art. 14 cl. 1 b)",
        "nhập nhầm: người này chưa từng là đảng viên (Luật 91/2025 Điều 14 khoản 1 điểm b)",
    ),
}


def erasable_from(closed_on: date) -> date:
    """The first day a record closed on `closed_on` is no longer kept (29 February: 1 March)."""
    year = closed_on.year + KEEPING_YEARS
    try:
        return closed_on.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


def require_erasable(member: Member, basis: ErasureBasis, today: date) -> None:
    """Refuses, naming the member, saying why and from when, where the record must be kept."""
    name = member.full_name or member.id
    if member.left_on is None:
        if basis == "entered_in_error":
            en = "record the departure of the entry made in error first, then erase it"
            vi = "hãy ghi nhận ra khỏi danh sách đối với bản ghi nhập nhầm trước, rồi xóa"
        else:
            en = f"it can be erased {KEEPING_YEARS} years after their departure is recorded"
            vi = f"có thể xóa sau {KEEPING_YEARS} năm kể từ ngày ghi nhận ra khỏi Đảng"
        raise _refused(
            member,
            "erasure_record_open",
            f"member {name}'s record is still open, and the Party keeps a member's record "
            f"until {KEEPING_YEARS} years after it closes (departure, removal or death): "
            f"nothing was erased; {en}",
            f"hồ sơ của đảng viên {name} chưa khép lại, mà hồ sơ đảng viên được lưu đến "
            f"{KEEPING_YEARS} năm sau khi khép lại (ra khỏi Đảng, xóa tên, từ trần): chưa xóa "
            f"gì; {vi}",
            "",
        )
    if basis == "entered_in_error":
        return
    possible = erasable_from(member.left_on)
    if today < possible:
        closed, kept = member.left_on.isoformat(), possible.isoformat()
        closed_vi, kept_vi = f"{member.left_on:%d/%m/%Y}", f"{possible:%d/%m/%Y}"
        raise _refused(
            member,
            "erasure_keeping_period",
            f"member {name}'s record closed on {closed} and is kept for {KEEPING_YEARS} years: "
            f"nothing was erased; it can be erased from {kept}",
            f"hồ sơ của đảng viên {name} khép lại ngày {closed_vi} và được lưu "
            f"{KEEPING_YEARS} năm: chưa xóa gì; có thể xóa từ ngày {kept_vi}",
            kept,
        )


def _refused(member: Member, code: str, en: str, vi: str, possible: str) -> Conflict:
    """Law 91/2025 art. 14: the person is told why their data is not erased."""
    details = {"member_id": member.id, "full_name": member.full_name or member.id}
    return Conflict(code, en, vi, **details, erasable_from=possible)


class ErasableMember(Member):
    """A member as erasure sees them: the member's stream, and whether it was erased."""

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.erased_on: date | None = None
        self.erased_as: ErasureBasis | None = None

    def erase(self, basis: ErasureBasis, today: date) -> None:
        if not self.exists:
            raise refuse("member_unknown", f"no member {self.id}", f"không có đảng viên {self.id}")
        require_erasable(self, basis, today)
        self._emit(
            MemberErased(member_id=self.id, branch_id=self.branch_id, erased_on=today, basis=basis)
        )

    def _apply(self, event: DomainEvent) -> None:
        if isinstance(event, MemberErased):
            self.erased_on, self.erased_as = event.erased_on, event.basis
        else:
            super()._apply(event)
