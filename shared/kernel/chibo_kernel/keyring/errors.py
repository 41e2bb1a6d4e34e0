"""What can go wrong with data keys, each named so that the operator knows what to do."""

from __future__ import annotations

from ..errors import ChiboError, RuleViolation
from .master import MASTER_KEY_VARIABLE


class SubjectErased(RuleViolation):
    """A private event about a person whose data was erased: nothing about them is stored
    encrypted again, and no new key is made for them."""

    def __init__(self, subject: str) -> None:
        super().__init__(
            "subject_erased",
            f"the personal data of {subject} was erased; nothing more about them can be "
            "stored: nothing was changed",
            f"dữ liệu cá nhân của {subject} đã bị xóa; không thể lưu thêm dữ liệu nào về "
            "người này: chưa có gì thay đổi",
        )
        self.subject = subject


class WrongMasterKey(ChiboError):
    """A data key that the configured master key cannot unwrap: reading on would only give
    garbage, so nothing is read."""

    code = "wrong_master_key"

    def __init__(self, subject: str, wrapped_by: str, configured: str) -> None:
        if wrapped_by == configured:
            en_why = f"it does not open with master key {configured} (the row was altered)"
            vi_why = f"không mở được bằng khóa chủ {configured} (bản ghi đã bị sửa)"
        else:
            en_why = (
                f"it was wrapped by master key {wrapped_by}, but {MASTER_KEY_VARIABLE} is "
                f"{configured}: start the service with the master key this database was "
                "written with"
            )
            vi_why = (
                f"nó được bọc bằng khóa chủ {wrapped_by}, nhưng {MASTER_KEY_VARIABLE} là "
                f"{configured}: hãy khởi động dịch vụ với khóa chủ đã dùng cho cơ sở dữ liệu này"
            )
        super().__init__(
            f"the data key of {subject} cannot be read: {en_why}",
            f"không đọc được khóa dữ liệu của {subject}: {vi_why}",
        )
        self.subject = subject


class MissingDataKey(ChiboError):
    """Encrypted values of a person with no key row at all, erased or not."""

    code = "missing_data_key"

    def __init__(self, subject: str) -> None:
        super().__init__(
            f"events of {subject} are encrypted but data_keys has no row for them: was "
            "data_keys restored from a backup older than the events?",
            f"các sự kiện của {subject} đã được mã hóa nhưng bảng data_keys không có dòng nào "
            "cho người này: bảng data_keys có được khôi phục từ bản sao lưu cũ hơn không?",
        )
        self.subject = subject


class UnreadableField(ChiboError):
    """A sealed value that its subject's live key does not open: the row was altered."""

    code = "unreadable_field"

    def __init__(self, event_type: str, field: str, subject: str) -> None:
        super().__init__(
            f"{field} of a {event_type} event of {subject} does not open with their data key: "
            "the stored value was altered",
            f"trường {field} của một sự kiện {event_type} về {subject} không mở được bằng khóa "
            "dữ liệu của người này: giá trị đã lưu bị sửa",
        )
