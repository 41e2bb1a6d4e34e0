"""The kernel's named errors. Each carries a Vietnamese and an English message."""

from __future__ import annotations


class ChiboError(Exception):
    """Base class: `message_vi` and `message_en` are shown to people, `code` to programs."""

    code = "chibo_error"

    def __init__(self, message_en: str, message_vi: str) -> None:
        super().__init__(message_en)
        self.message_en = message_en
        self.message_vi = message_vi


class ConcurrencyError(ChiboError):
    """An append's expected version did not match the stream: someone else wrote first."""

    code = "concurrency_conflict"

    def __init__(self, stream_id: str, expected: int, actual: int | None) -> None:
        actual_text = "unknown" if actual is None else str(actual)
        super().__init__(
            f"stream {stream_id} is at version {actual_text}, expected {expected}; "
            "reload and retry",
            f"luồng {stream_id} đang ở phiên bản {actual_text}, không phải {expected}; "
            "hãy tải lại và thử lại",
        )
        self.stream_id = stream_id
        self.expected = expected
        self.actual = actual


class UnknownEventType(ChiboError):
    code = "unknown_event_type"

    def __init__(self, event_type: str) -> None:
        super().__init__(
            f"unknown event type {event_type!r}",
            f"loại sự kiện không xác định {event_type!r}",
        )
        self.event_type = event_type


class MalformedMessage(ChiboError):
    """A message on a subscribed subject that is not a valid chibo CloudEvent."""

    code = "malformed_message"

    def __init__(self, reason: str) -> None:
        super().__init__(f"malformed message: {reason}", f"thông điệp sai định dạng: {reason}")
        self.reason = reason


class ConfigurationError(ChiboError):
    code = "configuration_error"

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(
            f"configuration error: {variable}: {problem}",
            f"lỗi cấu hình: {variable}: {problem}",
        )
        self.variable = variable


class RuleViolation(ChiboError):
    """A command broke a domain rule: refused, nothing changed."""

    code = "rule_violation"

    def __init__(self, code: str, message_en: str, message_vi: str) -> None:
        super().__init__(message_en, message_vi)
        self.code = code


class NotFound(ChiboError):
    code = "not_found"

    def __init__(self, what_en: str, what_vi: str) -> None:
        super().__init__(f"{what_en} not found", f"không tìm thấy {what_vi}")


class Conflict(ChiboError):
    """The command names something another record already holds (a card number, an id):
    refused, nothing changed. `details` are extra fields for the answer, e.g. the id of the
    record that holds it."""

    code = "conflict"

    def __init__(self, code: str, message_en: str, message_vi: str, **details: str) -> None:
        super().__init__(message_en, message_vi)
        self.code = code
        self.details = details
