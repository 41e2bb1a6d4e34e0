"""A request that fails validation (422 `invalid_request`) is explained in Vietnamese with no
English from pydantic's message: `detail_vi` is made from each error's type and context,
with the field's API name and where in the request it is."""

from __future__ import annotations

import re
from datetime import date
from enum import Enum
from typing import Annotated, Any, Literal
from uuid import UUID

import httpx
from fastapi import FastAPI, Query
from pydantic import BaseModel, ConfigDict, Field

from chibo_chassis.http.invalid_request import FALLBACK_VI, problem_vi
from chibo_chassis.http.problems import install_problem_handlers


class Kind(Enum):
    REGULAR = "regular"
    THEMATIC = "thematic"


class Meeting(BaseModel):
    model_config = ConfigDict(extra="forbid")

    place: str = Field(min_length=2, max_length=20)
    held_on: date
    kind: Kind
    status: Literal["present", "absent_excused"]
    minutes: int = Field(ge=1, lt=721)
    ratio: float = Field(gt=0, le=1)
    member: UUID
    recorded: bool
    marks: list[int] = Field(min_length=1, max_length=3)
    facts: dict[str, int]


def app() -> FastAPI:
    served = FastAPI()
    install_problem_handlers(served)

    @served.post("/meetings")
    async def create(
        body: Meeting, year: Annotated[int, Query(ge=1930, le=2100)] = 2025
    ) -> dict[str, str]:
        return {}

    return served


async def post(body: Any, query: str = "", raw: bytes | None = None) -> dict[str, Any]:
    transport = httpx.ASGITransport(app=app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        if raw is not None:
            headers = {"content-type": "application/json"}
            response = await client.post(f"/meetings{query}", content=raw, headers=headers)
        else:
            response = await client.post(f"/meetings{query}", json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem: dict[str, Any] = response.json()
    assert problem["code"] == "invalid_request"
    return problem


def english_words(message: str) -> set[str]:
    """The words of pydantic's message (values and codes in quotes, and acronyms such as
    UUID or JSON, which Vietnamese writes alike, aside)."""
    unquoted = re.sub(r"'[^']*'", "", message)
    return {w.lower() for w in re.findall(r"[A-Za-z]{3,}", unquoted) if not w.isupper()}


def vietnamese_words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"\w+", text)}


GOOD: dict[str, Any] = {
    "place": "Nhà văn hóa",
    "held_on": "2025-03-05",
    "kind": "regular",
    "status": "present",
    "minutes": 95,
    "ratio": 0.9,
    "member": "8e03978e-40d5-43e8-bc93-6894a57f9324",
    "recorded": True,
    "marks": [1],
    "facts": {"present": 19},
}


async def test_a_missing_field_is_said_to_be_required_in_vietnamese() -> None:
    body = {k: v for k, v in GOOD.items() if k != "held_on"}
    problem = await post(body)
    assert "Field required" in problem["detail"]
    assert "Field required" not in problem["detail_vi"]
    assert problem["detail_vi"] == (
        "yêu cầu không hợp lệ: trường held_on trong nội dung yêu cầu: bắt buộc phải có"
    )
    assert problem["errors"] == [
        {"field": "body.held_on", "problem": "Field required", "problem_vi": "bắt buộc phải có"}
    ]


async def test_a_bad_date_is_explained_in_vietnamese_without_pydantics_english() -> None:
    problem = await post({**GOOD, "held_on": "2025-13-05"})
    (error,) = problem["errors"]
    assert "Input should be a valid date" in error["problem"]
    assert "ngày hợp lệ" in problem["detail_vi"]
    assert "held_on" in problem["detail_vi"]
    assert not english_words(error["problem"]) & vietnamese_words(problem["detail_vi"])
    moment = await post({**GOOD, "held_on": "2025-03-05T19:30:00"})
    assert "không kèm giờ" in moment["detail_vi"]


async def test_every_common_error_type_has_vietnamese_with_no_english_word_in_it() -> None:
    wrong = {
        "place": "x",
        "held_on": "hôm qua",
        "kind": "picnic",
        "status": "late",
        "minutes": "many",
        "ratio": 0,
        "member": "nope",
        "recorded": "maybe",
        "marks": "1,2",
        "facts": 3,
        "extra": 1,
    }
    problem = await post(wrong, "?year=1900")
    seen = {e["field"]: e for e in problem["errors"]}
    assert set(seen) == {f"body.{k}" for k in wrong} | {"query.year"}
    for error in problem["errors"]:
        assert error["problem_vi"] != FALLBACK_VI, error
        assert not english_words(error["problem"]) & vietnamese_words(error["problem_vi"]), error
    assert seen["body.kind"]["problem_vi"] == (
        "phải là một trong các giá trị 'regular' hoặc 'thematic'"
    )
    assert seen["query.year"]["problem_vi"] == "phải lớn hơn hoặc bằng 1930"
    assert problem["detail_vi"].endswith(f"; và {len(seen) - 1} lỗi khác")
    too_long = await post({**GOOD, "place": "x" * 21, "marks": [1, 2, 3, 4], "minutes": 721})
    texts = {e["field"]: e["problem_vi"] for e in too_long["errors"]}
    assert texts == {
        "body.place": "không được dài quá 20 ký tự",
        "body.marks": "không được có quá 3 phần tử",
        "body.minutes": "phải nhỏ hơn 721",
    }


async def test_broken_json_is_said_to_be_broken_in_vietnamese() -> None:
    problem = await post(None, raw=b'{"place": ')
    assert "JSON" in problem["detail_vi"]
    assert problem["detail_vi"].startswith("yêu cầu không hợp lệ: nội dung yêu cầu: ")
    assert "Invalid" not in problem["detail_vi"]
    assert "line" not in problem["detail_vi"]


def test_an_error_type_without_a_translation_falls_back_to_vietnamese() -> None:
    unknown = {"type": "some_future_type", "msg": "Something new", "loc": ("body", "x")}
    assert problem_vi(unknown) == FALLBACK_VI == "giá trị không hợp lệ"
    own_check = {"type": "value_error", "msg": "Value error, a meeting needs a place"}
    assert problem_vi(own_check) == FALLBACK_VI
