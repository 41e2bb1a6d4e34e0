"""A member's rating file for a year (`rating_file_private-<member>-<year>`): the inputs that
are personal data (discipline, conclusions, leave), kept in this service's store and never
published. The rules read them through the read model; subscribers see only the levels."""

from __future__ import annotations

from datetime import date

from chibo_contracts.rating import (
    CommentRecorded,
    CommentSource,
    ConclusionKind,
    ConclusionRecorded,
    DisciplineDecided,
    LeaveKind,
    LeaveRecorded,
    Measure,
    RemovalDecided,
    RemovalProposed,
)
from chibo_kernel import DomainEvent
from chibo_kernel.domain import Aggregate
from chibo_kernel.errors import RuleViolation


def file_id(member_id: str, year: int) -> str:
    return f"{member_id}-{year}"


class MemberFile(Aggregate):
    category = "rating_file_private"

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.member_id, year = aggregate_id.rsplit("-", 1)
        self.year = int(year)
        self.leaves: list[tuple[date, date]] = []
        self.removal: str | None = None  # proposed, removed, kept

    def record_discipline(
        self,
        *,
        branch_id: str,
        measure: Measure,
        decided_on: date,
        violation_year: int,
        in_duties: bool,
        self_reported_and_remedied: bool,
        reason: str,
    ) -> None:
        _within(decided_on, self.year)
        if violation_year > self.year:
            raise RuleViolation(
                "violation_after_decision",
                f"a violation of {violation_year} cannot be disciplined in {self.year}",
                f"vi phạm năm {violation_year} không thể bị kỷ luật trong năm {self.year}",
            )
        self._emit(
            DisciplineDecided(
                member_id=self.member_id,
                branch_id=branch_id,
                year=self.year,
                measure=measure,
                decided_on=decided_on,
                violation_year=violation_year,
                in_duties=in_duties,
                self_reported_and_remedied=self_reported_and_remedied,
                reason=_text(reason),
            )
        )

    def record_conclusion(
        self,
        *,
        branch_id: str,
        kind: ConclusionKind,
        concluded_on: date,
        concluded_by: str,
        reason: str,
    ) -> None:
        _within(concluded_on, self.year)
        self._emit(
            ConclusionRecorded(
                member_id=self.member_id,
                branch_id=branch_id,
                year=self.year,
                kind=kind,
                concluded_on=concluded_on,
                concluded_by=_text(concluded_by),
                reason=_text(reason),
            )
        )

    def record_leave(
        self, *, branch_id: str, kind: LeaveKind, from_date: date, to_date: date
    ) -> None:
        _within(from_date, self.year)
        _within(to_date, self.year)
        if to_date < from_date:
            raise RuleViolation(
                "leave_ends_before_it_starts",
                "a leave cannot end before it starts",
                "thời gian nghỉ không thể kết thúc trước khi bắt đầu",
            )
        overlapping = [(a, b) for a, b in self.leaves if a <= to_date and from_date <= b]
        if overlapping:
            a, b = overlapping[0]
            raise RuleViolation(
                "leave_overlaps",
                f"this leave overlaps the one recorded from {a:%d/%m/%Y} to {b:%d/%m/%Y}",
                f"thời gian nghỉ trùng với lần đã ghi từ {a:%d/%m/%Y} đến {b:%d/%m/%Y}",
            )
        self._emit(
            LeaveRecorded(
                member_id=self.member_id,
                branch_id=branch_id,
                year=self.year,
                kind=kind,
                from_date=from_date,
                to_date=to_date,
            )
        )

    def record_comment(
        self,
        *,
        branch_id: str,
        source: CommentSource,
        from_unit: str,
        comment: str,
        commented_on: date,
    ) -> None:
        self._emit(
            CommentRecorded(
                member_id=self.member_id,
                branch_id=branch_id,
                year=self.year,
                source=source,
                from_unit=_text(from_unit),
                comment=_text(comment),
                commented_on=commented_on,
            )
        )

    def propose_removal(
        self,
        *,
        branch_id: str,
        flagged_months: list[str],
        needed: int,
        full_name: str,
        proposed_by: str,
        proposed_on: date,
    ) -> None:
        """Charter art. 8: only for a member the records flag, once."""
        if len(flagged_months) < needed:
            raise RuleViolation(
                "not_flagged",
                f"{full_name} is not absent without reason in {needed} months of {self.year}"
                f" (months recorded: {', '.join(flagged_months) or 'none'})",
                f"đảng viên {full_name} chưa đủ {needed} tháng bỏ sinh hoạt không lý do trong "
                f"năm {self.year} (đã ghi nhận: {', '.join(flagged_months) or 'không có'})",
            )
        if self.removal is not None:
            raise RuleViolation(
                "removal_proposed",
                f"removing {full_name} was already proposed for {self.year}",
                f"đã đề nghị xóa tên đảng viên {full_name} năm {self.year}",
            )
        self._emit(
            RemovalProposed(
                member_id=self.member_id,
                branch_id=branch_id,
                year=self.year,
                months=flagged_months,
                proposed_by=_text(proposed_by),
                proposed_on=proposed_on,
            )
        )

    def decide_removal(
        self,
        *,
        branch_id: str,
        full_name: str,
        removed: bool,
        decided_by: str,
        decided_on: date,
        reason: str,
    ) -> None:
        if self.removal != "proposed":
            raise RuleViolation(
                "no_removal_proposal",
                f"the branch has not proposed removing {full_name} for {self.year}"
                + (" (already decided)" if self.removal else ""),
                f"chi bộ chưa đề nghị xóa tên đảng viên {full_name} năm {self.year}"
                + (" (đã có quyết định)" if self.removal else ""),
            )
        self._emit(
            RemovalDecided(
                member_id=self.member_id,
                branch_id=branch_id,
                year=self.year,
                removed=removed,
                decided_by=_text(decided_by),
                decided_on=decided_on,
                reason=_text(reason),
            )
        )

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case LeaveRecorded():
                self.leaves.append((event.from_date, event.to_date))
            case RemovalProposed():
                self.removal = "proposed"
            case RemovalDecided():
                self.removal = "removed" if event.removed else "kept"


def leave_months(from_date: date, to_date: date) -> int:
    """Whole months of leave, counting a month in which at least 15 days were away."""
    days = (to_date - from_date).days + 1
    return (days + 15) // 30


def _within(day: date, year: int) -> None:
    if day.year != year:
        raise RuleViolation(
            "outside_year", f"{day} is not in {year}", f"ngày {day} không thuộc năm {year}"
        )


def _text(text: str) -> str:
    if not text.strip():
        raise RuleViolation("reason_required", "a reason is required", "phải ghi rõ lý do")
    return text.strip()
