"""The base of every request body: closed (an unknown field is refused), frozen, and
refusing by name the fields that used to say who decided, proposed, cancelled, appraised,
granted or concluded. The handler names the body the signed-in principal acts for
(`application/signer.py`); a client still sending such a field is told so (422
`taken_from_sign_in`, the field in `field`), neither refused in general terms nor silently
ignored, and nothing is stored."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, model_validator

from chibo_kernel.errors import RuleViolation

# The fields the sign-in fills now, and what each said, in English and Vietnamese.
FROM_SIGN_IN = {
    "decided_by": ("who decided", "cấp quyết định"),
    "cancelled_by": ("who cancelled", "cấp hủy"),
    "proposed_by": ("who proposed", "cấp đề nghị"),
    "granted_by": ("who granted", "cấp cho phép"),
    "appraised_by": ("who appraised", "cấp đánh giá"),
    "concluded_by": ("who concluded", "cấp kết luận"),
}


class TakenFromSignIn(RuleViolation):
    """Raised while the body is validated: it escapes pydantic (not a ValueError) and is
    answered as a refusal in words, before any other problem of the body."""

    def __init__(self, field: str) -> None:
        en, vi = FROM_SIGN_IN[field]
        super().__init__(
            "taken_from_sign_in",
            f"{field} is no longer accepted: {en} is taken from the sign-in (the unit your "
            "role is held over); send the request without it",
            f"không còn nhận trường {field}: {vi} được lấy từ tài khoản đăng nhập (đơn vị mà "
            "vai trò của bạn phụ trách); hãy gửi lại yêu cầu không có trường này",
        )
        self.details = {"field": field}


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    signed_in: ClassVar[tuple[str, ...]] = ()  # fields of old that the sign-in fills

    @model_validator(mode="before")
    @classmethod
    def _refuse_who_from_the_body(cls, data: Any) -> Any:
        for field in cls.signed_in:
            if isinstance(data, dict) and field in data:
                raise TakenFromSignIn(field)
        return data
