"""A request FastAPI could not validate, said in Vietnamese from each error's type and
context, never from pydantic's English message: `detail_vi` is read by people who may read
no English. The field is named by its place in the request (its API name stays as sent)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

FALLBACK_VI = "giá trị không hợp lệ"

_WHERE_VI = {
    "body": "trong nội dung yêu cầu",
    "query": "trong tham số truy vấn",
    "path": "trong đường dẫn",
    "header": "trong tiêu đề",
    "cookie": "trong dữ liệu phiên",
}

DATE_VI = "phải là ngày hợp lệ dạng năm-tháng-ngày, ví dụ 2025-03-05"
MOMENT_VI = "phải là thời điểm hợp lệ kèm múi giờ, ví dụ 2025-03-05T19:30:00+07:00"
INTEGER_VI = "phải là số nguyên"
NUMBER_VI = "phải là số"
TEXT_VI = "phải là chuỗi ký tự"
BOOLEAN_VI = "phải là giá trị đúng hoặc sai"
UUID_VI = "phải là mã định danh UUID hợp lệ"
OBJECT_VI = "phải là một đối tượng JSON"

# Each pydantic error type, in Vietnamese; a callable reads the error's context.
_MESSAGES_VI: dict[str, str | Callable[[Mapping[str, Any]], str]] = {
    "missing": "bắt buộc phải có",
    "string_too_short": lambda c: (
        "không được để trống"
        if c.get("min_length") == 1
        else f"phải có ít nhất {c.get('min_length')} ký tự"
    ),
    "string_too_long": lambda c: f"không được dài quá {c.get('max_length')} ký tự",
    "string_type": TEXT_VI,
    "string_unicode": TEXT_VI,
    "string_pattern_mismatch": "không đúng định dạng quy định",
    "int_parsing": INTEGER_VI,
    "int_type": INTEGER_VI,
    "int_from_float": INTEGER_VI,
    "int_parsing_size": "là số quá lớn",
    "float_parsing": NUMBER_VI,
    "float_type": NUMBER_VI,
    "decimal_parsing": NUMBER_VI,
    "decimal_type": NUMBER_VI,
    "finite_number": "phải là số hữu hạn",
    "multiple_of": lambda c: f"phải là bội số của {c.get('multiple_of')}",
    "bool_parsing": BOOLEAN_VI,
    "bool_type": BOOLEAN_VI,
    "date_parsing": DATE_VI,
    "date_type": DATE_VI,
    "date_from_datetime_parsing": DATE_VI,
    "date_from_datetime_inexact": "phải là ngày, không kèm giờ, ví dụ 2025-03-05",
    "datetime_parsing": MOMENT_VI,
    "datetime_type": MOMENT_VI,
    "datetime_from_date_parsing": MOMENT_VI,
    "datetime_object_invalid": MOMENT_VI,
    "timezone_aware": "phải ghi kèm múi giờ, ví dụ +07:00",
    "time_parsing": "phải là giờ hợp lệ, ví dụ 19:30",
    "time_type": "phải là giờ hợp lệ, ví dụ 19:30",
    "enum": lambda c: f"phải là một trong các giá trị {_choices(c)}",
    "literal_error": lambda c: f"phải là một trong các giá trị {_choices(c)}",
    "greater_than": lambda c: f"phải lớn hơn {c.get('gt')}",
    "greater_than_equal": lambda c: f"phải lớn hơn hoặc bằng {c.get('ge')}",
    "less_than": lambda c: f"phải nhỏ hơn {c.get('lt')}",
    "less_than_equal": lambda c: f"phải nhỏ hơn hoặc bằng {c.get('le')}",
    "json_invalid": "không phải JSON hợp lệ",
    "json_type": "không phải JSON hợp lệ",
    "extra_forbidden": "không được phép có trường này",
    "value_error": FALLBACK_VI,
    "assertion_error": FALLBACK_VI,
    "uuid_parsing": UUID_VI,
    "uuid_type": UUID_VI,
    "uuid_version": UUID_VI,
    "list_type": "phải là một danh sách",
    "tuple_type": "phải là một danh sách",
    "set_type": "phải là một danh sách",
    "dict_type": OBJECT_VI,
    "model_type": OBJECT_VI,
    "model_attributes_type": OBJECT_VI,
    "dataclass_type": OBJECT_VI,
    "too_short": lambda c: f"phải có ít nhất {c.get('min_length')} phần tử",
    "too_long": lambda c: f"không được có quá {c.get('max_length')} phần tử",
    "none_required": "phải để trống",
    "union_tag_invalid": "thuộc loại không hợp lệ",
    "union_tag_not_found": "thiếu trường cho biết loại",
    "url_parsing": "phải là địa chỉ URL hợp lệ",
    "url_type": "phải là địa chỉ URL hợp lệ",
    "url_scheme": "phải là địa chỉ URL hợp lệ",
}


def _choices(context: Mapping[str, Any]) -> str:
    """pydantic's `'a' or 'b'`, in Vietnamese: the values are the API's codes."""
    return str(context.get("expected", "")).replace(" or ", " hoặc ")


def problem_vi(error: Mapping[str, Any]) -> str:
    """What is wrong with the value, in Vietnamese."""
    found = _MESSAGES_VI.get(str(error.get("type", "")), FALLBACK_VI)
    return found if isinstance(found, str) else found(error.get("ctx") or {})


def field_vi(location: Sequence[Any], kind: str = "") -> str:
    """The field, by its API name, and where in the request it is."""
    where = _WHERE_VI.get(str(location[0])) if location else None
    rest = [str(p) for p in (location[1:] if where else location)]
    if kind == "json_invalid" or not rest:  # the body as a whole (its position is noise)
        return "nội dung yêu cầu" if where in (None, _WHERE_VI["body"]) else str(where)
    return f"trường {'.'.join(rest)}" + (f" {where}" if where else "")


def invalid_request_vi(errors: Sequence[Mapping[str, Any]]) -> str:
    """The whole `detail_vi`: the first error, and how many more there are."""
    if not errors:
        return f"yêu cầu không hợp lệ: {FALLBACK_VI}"
    first = errors[0]
    more = f"; và {len(errors) - 1} lỗi khác" if len(errors) > 1 else ""
    kind = str(first.get("type", ""))
    return (
        f"yêu cầu không hợp lệ: {field_vi(first.get('loc', ()), kind)}: {problem_vi(first)}{more}"
    )
