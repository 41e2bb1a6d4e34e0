"""The columns of each downloadable view (CSV, XLSX), with the Vietnamese headers people
read."""

from __future__ import annotations

from rating.adapters.export import Column

SCORECARD_COLUMNS = [
    Column("member_id", "Mã đảng viên"),
    Column("full_name", "Họ và tên"),
    Column("branch_id", "Chi bộ"),
    Column("quarter", "Quý"),
    Column("assigned", "Được phân công"),
    Column("assigned_months", "Các tháng được phân công"),
    Column("reports_expected", "Báo cáo phải nộp"),
    Column("reports_submitted", "Báo cáo đã nộp"),
    Column("reports_on_time", "Báo cáo đúng hạn"),
    Column("reviews_good", "Nhận xét tốt"),
    Column("reviews_fair", "Nhận xét khá"),
    Column("reviews_weak", "Nhận xét yếu"),
    Column("problems_raised", "Vấn đề phát sinh"),
    Column("problems_resolved", "Vấn đề đã giải quyết"),
    Column("meetings_expected", "Buổi sinh hoạt phải dự"),
    Column("meetings_present", "Có mặt"),
    Column("meetings_excused", "Vắng có lý do"),
    Column("meetings_unexcused", "Vắng không lý do"),
    Column("unexcused_months", "Các tháng vắng không lý do"),
    Column("art8_flag", "Diện xóa tên (Điều 8)"),
    Column("excluded", "Không đánh giá vì"),
    Column("score", "Điểm"),
    Column("proposed_level", "Mức đề xuất"),
    Column("reasons", "Căn cứ"),
    Column("decided_level", "Mức quyết định"),
]
UNIT_COLUMNS = [
    Column("unit_id", "Mã đơn vị"),
    Column("name", "Tên đơn vị"),
    Column("kind", "Loại"),
    Column("regular_meetings_held", "Số buổi sinh hoạt thường kỳ"),
    Column("months_missed", "Tháng không sinh hoạt"),
    Column("quality_meeting_ratio", "Tỷ lệ buổi sinh hoạt đạt chất lượng"),
    Column("coverage", "Tỷ lệ đảng viên được phân công"),
    Column("report_compliance", "Tỷ lệ báo cáo"),
    Column("members_good_ratio", "Tỷ lệ đảng viên hoàn thành tốt trở lên"),
    Column("bon_tot", "Số tiêu chí Bốn tốt đạt"),
    Column("proposed_level", "Mức đề xuất"),
    Column("decided_level", "Mức quyết định"),
]
ROLLUP_COLUMNS = [
    Column("what", "Nội dung"),
    Column("good_or_better", "Hoàn thành tốt trở lên"),
    Column("total", "Tổng số"),
    Column("text", "Kết quả"),
    Column("percent", "Tỷ lệ"),
]
PROPOSAL_COLUMNS = [
    Column("subject_id", "Mã"),
    Column("name", "Tên"),
    Column("level", "Mức đề xuất"),
    Column("score", "Điểm"),
    Column("reasons", "Căn cứ"),
    Column("decided", "Mức quyết định"),
    Column("excluded", "Không đánh giá vì"),
]
FLAG_COLUMNS = [
    Column("member_id", "Mã đảng viên"),
    Column("full_name", "Họ và tên"),
    Column("branch_id", "Chi bộ"),
    Column("months", "Các tháng bỏ sinh hoạt không lý do"),
    Column("procedure", "Thủ tục xóa tên"),
]
FOLLOWER_COLUMNS = [
    Column("follower_id", "Cấp ủy viên"),
    Column("level", "Cấp"),
    Column("units", "Đơn vị theo dõi"),
    Column("visits", "Số lần dự sinh hoạt"),
    Column("outside_assignment", "Ngoài địa bàn phụ trách"),
    Column("quota", "Định mức"),
    Column("quota_valid_from", "Định mức áp dụng từ"),
    Column("met", "Đạt định mức"),
]
