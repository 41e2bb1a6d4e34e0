"""What the export calls things, in Vietnamese and English: the kinds of recorded event a
member's export can hold, the fields of those events, and the codes their values take.

A kind, field or code missing here is shown under its own name: an export never fails for
want of a label, and `tests/unit/test_subject_export_labels.py` names what is missing for
every event a member's streams can hold."""

from __future__ import annotations

Label = tuple[str, str]  # (Vietnamese, English)

# By the event's short name (its type without service and version): versions share a sheet.
EVENT_KINDS: dict[str, Label] = {
    # assignment: the member's record and its private companions
    "member_registered": ("Đăng ký đảng viên", "Member registered"),
    "member_renamed": ("Sửa họ tên", "Name corrected"),
    "member_identity_recorded": ("Số thẻ, ngày sinh", "Card number and birth date"),
    "member_identity_corrected": ("Sửa số thẻ, ngày sinh", "Card number, birth date corrected"),
    "member_role_given": ("Giao chức vụ", "Role given"),
    "member_confirmed": ("Công nhận đảng viên chính thức", "Confirmed as full member"),
    "member_exempted": ("Miễn công tác và sinh hoạt", "Exempted"),
    "exemption_reason_recorded": ("Lý do miễn công tác", "Reason for the exemption"),
    "member_suspended": ("Đình chỉ sinh hoạt", "Suspended"),
    "suspension_reason_recorded": ("Lý do đình chỉ", "Reason for the suspension"),
    "member_transferred": ("Chuyển sinh hoạt", "Transferred"),
    "temporary_attendance_started": ("Sinh hoạt tạm thời", "Temporary attendance"),
    "member_left": ("Ra khỏi Đảng", "Left the Party"),
    "leaving_reason_recorded": ("Lý do ra khỏi Đảng", "Reason for leaving"),
    "member_erased": ("Xóa dữ liệu cá nhân", "Personal data erased"),
    "report_situation_recorded": ("Nội dung báo cáo hằng tháng", "Monthly report texts"),
    "review_comment_recorded": ("Nhận xét báo cáo", "Comments on reports"),
    "problem_description_recorded": ("Nội dung vấn đề nảy sinh", "What problems were"),
    "escalation_note_recorded": ("Báo cáo vấn đề lên cấp trên", "Problems handed up"),
    "problem_resolution_recorded": ("Giải quyết vấn đề", "Problems resolved"),
    "report_submitted": ("Báo cáo đã nộp", "Reports submitted"),
    "report_reviewed": ("Đánh giá báo cáo", "Reviews of reports"),
    "problem_raised": ("Nêu vấn đề", "Problems raised"),
    "household_registered": ("Hộ gia đình", "Households"),
    "household_label_recorded": ("Tên hộ", "Household labels"),
    # attendance
    "absence_reason_recorded": ("Lý do vắng họp", "Reasons for absence"),
    "correction_reason_recorded": ("Lý do sửa điểm danh", "Reasons for corrections"),
    "postponement_reason_recorded": ("Lý do hoãn họp", "Why meetings were postponed"),
    "cancellation_reason_recorded": ("Lý do hủy họp", "Why meetings were cancelled"),
    # rating
    "discipline_decided": ("Quyết định kỷ luật", "Discipline decided"),
    "discipline_recorded": ("Quyết định kỷ luật", "Discipline decided"),
    "conclusion_recorded": ("Ghi nhận kết luận", "Conclusions recorded"),
    "leave_recorded": ("Ghi nhận nghỉ ốm, thai sản", "Leave recorded"),
    "comment_recorded": ("Ghi nhận nhận xét", "Comments recorded"),
    "removal_proposed": ("Đề nghị xóa tên", "Removal proposed"),
    "removal_decided": ("Quyết định xóa tên", "Removal decided"),
    "appraisal_recorded": ("Ghi nhận đánh giá của chi bộ", "Appraisals recorded"),
    "appraisal_note_recorded": ("Nhận xét của chi bộ", "The branch's appraisal notes"),
    "level_decided": ("Quyết định xếp loại", "Ratings decided"),
    "decision_cancelled": ("Hủy xếp loại", "Ratings cancelled"),
    "decision_reasons_recorded": ("Lý do xếp loại", "Reasons of ratings"),
    "decision_cancellation_reason_recorded": ("Lý do hủy xếp loại", "Why a rating was cancelled"),
}

FIELDS: dict[str, Label] = {
    "recorded_at": ("Thời điểm ghi", "Recorded at"),
    "member_id": ("Đảng viên", "Member"),  # by name in the workbook
    "subject_id": ("Đảng viên", "Member"),
    "full_name": ("Họ và tên", "Full name"),
    "card_number": ("Số thẻ đảng viên", "Card number"),
    "birth_date": ("Ngày sinh", "Birth date"),
    "admission_date": ("Ngày vào Đảng", "Admission date"),
    "attending_since": ("Ngày sinh hoạt tại chi bộ", "Attending the branch since"),
    "status": ("Tình trạng", "Status"),
    "branch_id": ("Chi bộ", "Branch"),
    "from_branch_id": ("Từ chi bộ", "From branch"),
    "to_branch_id": ("Đến chi bộ", "To branch"),
    "home_branch_id": ("Chi bộ chính thức", "Home branch"),
    "host_branch_id": ("Chi bộ sinh hoạt tạm thời", "Host branch"),
    "to_unit_id": ("Báo cáo lên", "Handed up to"),
    "by_unit_id": ("Cấp hủy", "Cancelled by unit"),
    "cohort_id": ("Đơn vị xếp loại", "Rated within"),
    "role": ("Chức vụ", "Role"),
    "since": ("Từ ngày", "Since"),
    "on": ("Ngày", "On"),
    "from_date": ("Từ ngày", "From"),
    "to_date": ("Đến ngày", "To"),
    "reason": ("Lý do", "Reason"),
    "reasons": ("Lý do", "Reasons"),
    "month": ("Tháng", "Month"),
    "year": ("Năm", "Year"),
    "assignment": ("Nhiệm vụ báo cáo", "Assignment reported on"),
    "situation": ("Nội dung báo cáo", "What the report says"),
    "comment": ("Nhận xét", "Comment"),
    "note": ("Nhận xét", "Note"),
    "problem_id": ("Mã vấn đề", "Problem id"),
    "description": ("Vấn đề", "Problem"),
    "resolution": ("Cách giải quyết", "Resolution"),
    "meeting_id": ("Mã cuộc họp", "Meeting id"),
    "measure": ("Hình thức kỷ luật", "Measure"),
    "decided_on": ("Ngày quyết định", "Decided on"),
    "decided_by": ("Cấp quyết định", "Decided by"),
    "violation_year": ("Năm vi phạm", "Year of the violation"),
    "in_duties": ("Vi phạm trong thực hiện nhiệm vụ", "In the member's duties"),
    "self_reported_and_remedied": ("Tự giác báo cáo, khắc phục", "Self-reported, remedied"),
    "kind": ("Loại", "Kind"),
    "concluded_on": ("Ngày kết luận", "Concluded on"),
    "concluded_by": ("Cấp kết luận", "Concluded by"),
    "source": ("Nguồn", "Source"),
    "from_unit": ("Tổ chức nhận xét", "From"),
    "commented_on": ("Ngày nhận xét", "Commented on"),
    "months": ("Các tháng", "Months"),
    "proposed_by": ("Cấp đề nghị", "Proposed by"),
    "proposed_on": ("Ngày đề nghị", "Proposed on"),
    "removed": ("Xóa tên", "Removed"),
    "subject": ("Đối tượng", "Subject"),
    "submitted_on": ("Ngày nộp", "Submitted on"),
    "entered_by": ("Người nhập", "Entered by"),
    "late": ("Nộp muộn", "Late"),
    "evaluation": ("Đánh giá", "Evaluation"),
    "reviewed_on": ("Ngày đánh giá", "Reviewed on"),
    "raised_on": ("Ngày nêu", "Raised on"),
    "household_id": ("Mã hộ", "Household id"),
    "household_key": ("Mã hộ", "Household key"),
    "label": ("Tên hộ", "Household"),
    "level": ("Mức", "Level"),
    "proposed_level": ("Mức đề xuất", "Proposed level"),
    "rule_set": ("Bộ quy định", "Rule set"),
    "cancelled_by": ("Cấp hủy", "Cancelled by"),
    "cancelled_on": ("Ngày hủy", "Cancelled on"),
    "basis": ("Căn cứ", "Basis"),
    "erased_on": ("Ngày xóa", "Erased on"),
}

VALUES: dict[str, str] = {
    "full": "chính thức",
    "probationary": "dự bị",
    "secretary": "bí thư",
    "deputy_secretary": "phó bí thư",
    "committee_member": "chi ủy viên",
    "official": "chính thức",
    "temporary": "tạm thời",
    "exempt": "miễn sinh hoạt",
    "suspended": "đình chỉ sinh hoạt",
    "present": "có mặt",
    "absent_excused": "vắng có lý do",
    "absent_unexcused": "vắng không lý do",
    "regular": "thường kỳ",
    "thematic": "chuyên đề",
    "committee": "chi ủy",
    "extraordinary": "bất thường",
    "excellent": "hoàn thành xuất sắc nhiệm vụ",
    "good": "hoàn thành tốt nhiệm vụ",
    "completed": "hoàn thành nhiệm vụ",
    "not_completed": "không hoàn thành nhiệm vụ",
    "fair": "khá",
    "weak": "yếu",
    "member": "đảng viên",
    "households": "theo dõi hộ",
    "group": "nhóm hộ",
    "route": "tuyến đường",
    "task": "nhiệm vụ",
    "duty": "nhiệm vụ",
    "province": "tỉnh",
    "district": "huyện",
    "commune": "xã",
    "reprimand": "khiển trách",
    "warning": "cảnh cáo",
    "dismissal": "cách chức",
    "expulsion": "khai trừ",
    "degradation": "suy thoái",
    "forbidden_act": "vi phạm điều đảng viên không được làm",
    "example_duty": "trách nhiệm nêu gương",
    "sick": "ốm",
    "maternity": "thai sản",
    "temporary_host": "nơi sinh hoạt tạm thời",
    "residence": "nơi cư trú",
    "open": "đang theo dõi",
    "escalated": "đã báo cáo cấp trên",
    "resolved": "đã giải quyết",
    "transferred": "chuyển sinh hoạt",
    "left": "ra khỏi Đảng",
    "exempted": "miễn sinh hoạt",
    "reassigned": "phân công lại",
}


def event_kind(short_name: str) -> Label:
    return EVENT_KINDS.get(short_name, (short_name, short_name))


def field_label(name: str) -> Label:
    return FIELDS.get(name, (name, name))


# Event fields whose values are codes from a closed list.
CODED_FIELDS = frozenset(
    {"status", "role", "kind", "measure", "source", "subject", "level", "proposed_level"}
    | {"evaluation", "entered_by", "assignment"}
)


def shown(value: str) -> str:
    """A code as a person reads it; anything else as it is."""
    return VALUES.get(value, value)
