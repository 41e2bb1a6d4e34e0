"""Hostile values and the ways of putting them into a request: the cases issue 7 lists
(huge or deeply nested bodies, wrong types, control characters, Vietnamese in NFD, SQL and
JSON metacharacters, dates out of range, other organisations' ids) as hypothesis strategies,
and raw bodies no JSON encoder would produce."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

NAMES = [
    "Nguyễn Thị Hồng",
    "Trần Văn Đức",
    "Lê Thị Ánh Tuyết",
    "Phạm Quốc Việt",
    "Đảng bộ xã Võ Lao",
    "Chi bộ thôn Khe Có",
    "Nhà văn hóa thôn Cây Chanh",
    "Hoàn thành xuất sắc nhiệm vụ",
]
NFD = [unicodedata.normalize("NFD", n) for n in NAMES]
# Base letters under a pile of combining marks; a name half NFC, half NFD.
NFD_ODDITIES = [
    "Ngu" + "\u0302\u0303" * 40 + "yen",
    unicodedata.normalize("NFD", "Nguyễn") + " Thị Hồng",
    "\u0301\u0323",  # nothing but combining marks
]
CONTROL = [
    "\x00",
    "Nguyễn\x00Thị",
    "\x01\x02\x03",
    "tab\there",
    "line\nbreak",
    "carriage\rreturn",
    "\x1b[31mred\x1b[0m",
    "\x7f",
    "\x85next line",
    "\u2028\u2029",
    "\u200b\u200c\u200d",  # zero-width
    "\u202ebidi override\u202c",
    "\ufeffbom",
    "\ud7ff\ue000\uffff",
    "\U0010ffff",
]
META = [
    "'; DROP TABLE events;--",
    "' OR '1'='1",
    '" OR 1=1 --',
    "1; SELECT pg_sleep(5)--",
    "\\u0000",
    "\\",
    '{"$ne":1}',
    '{"$gt":""}',
    "}]},{",
    '"]}',
    "%",
    "_",
    "%00",
    "${jndi:ldap://127.0.0.1/x}",
    "{{7*7}}",
    "<script>alert(1)</script>",
    "../../../../etc/passwd",
    "=cmd|'/C calc'!A0",
    "NULL",
    "null",
    "true",
    "NaN",
    "-0",
]
DATES = [
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "-0001-01-01",
    "2026-02-30",
    "2025-02-29",
    "2025-13-01",
    "2025-00-10",
    "2025-1-1",
    "1900-01-01",
    "2100-12-31",
    "20250101",
    "2025-03-05T19:30:00",
    "",
]
DATETIMES = [
    "0001-01-01T00:00:00+00:00",
    "9999-12-31T23:59:59+14:00",
    "0001-01-01T00:00:00+23:59",
    "9999-12-31T23:59:59-23:59",
    "2026-02-30T19:30:00+07:00",
    "2025-03-05T25:61:00+07:00",
    "2025-03-05T19:30:00",  # no offset
    "2025-03-05T19:30:00+24:00",
    "2025-03-05T19:30:00.9999999999+07:00",
    "2025-03-05",
    "1e10",
]
WRONG_TYPES: list[Any] = [
    None,
    True,
    0,
    -1,
    10**30,
    -(10**30),
    1.5,
    1e308,
    "",
    [],
    {},
    [1, 2, 3],
    {"$ne": 1},
    ["a"],
]
HUGE_STRING = "Đ" * (1024 * 1024)  # 2 MB of UTF-8
HUGE_LIST_LENGTH = 100_000


@dataclass(frozen=True)
class Raw:
    """A body sent as bytes, as a JSON encoder would never write it."""

    content: bytes
    content_type: str = "application/json"
    note: str = ""


def nested(depth: int, opening: str = "[", closing: str = "]") -> bytes:
    return (opening * depth + closing * depth).encode()


def nested_objects(depth: int) -> bytes:
    return ('{"a":' * depth + "1" + "}" * depth).encode()


RAW_BODIES = [
    Raw(nested(10_000), note="arrays nested 10,000 deep"),
    Raw(nested_objects(10_000), note="objects nested 10,000 deep"),
    Raw(nested(100_000), note="arrays nested 100,000 deep"),
    Raw(nested(900), note="arrays nested 900 deep"),
    Raw(nested_objects(990), note="objects nested 990 deep"),
    Raw(b"[" + b"1," * (HUGE_LIST_LENGTH - 1) + b"1]", note="10^5-element list"),
    Raw(json.dumps(HUGE_STRING).encode(), note="a 2 MB string"),
    Raw(b"", note="empty"),
    Raw(b"null", note="null"),
    Raw(b"[]", note="an array"),
    Raw(b'"text"', note="a string"),
    Raw(b"1e999999", note="a number beyond float"),
    Raw(b"9" * 5000, note="a 5,000-digit integer"),
    Raw(b"NaN", note="NaN"),
    Raw(b'{"a": Infinity}', note="Infinity"),
    Raw(b"\xef\xbb\xbf{}", note="a byte order mark"),
    Raw(b"\xff\xfe\x00{", note="not UTF-8"),
    Raw(b'{"a": "\xc3\x28"}', note="invalid UTF-8 in a string"),
    Raw(b'{"a": "\\ud800"}', note="a lone surrogate"),
    Raw(b'{"a": 1, "a": 2}', note="duplicate keys"),
    Raw(b"{} trailing", note="trailing garbage"),
    Raw(b"{'a': 1}", note="Python, not JSON"),
    Raw(b"\x00" * 64, note="NUL bytes"),
    Raw(b"{}", content_type="text/plain", note="JSON as text/plain"),
    Raw(b"a=1&b=2", content_type="application/x-www-form-urlencoded", note="a form"),
    Raw(b"--x\r\n\r\n--x--", content_type="multipart/form-data; boundary=x", note="multipart"),
    Raw(b"{}", content_type="application/json; charset=utf-32", note="a lying charset"),
]

# Path parameter values: each is percent-encoded into the path.
PATH_VALUES = [
    "'; DROP TABLE events;--",
    unicodedata.normalize("NFD", "Võ Lao"),
    "\x00",
    "\n",
    "..",
    "%2e%2e",
    "VL-TT\x00",
    "A" * 10_000,
    "-1",
    "99999999999999999999",
    '{"$ne":1}',
    "😀",
]


def hostile_text() -> st.SearchStrategy[str]:
    """Strings a person, a paste or an attacker might send."""
    controls = st.characters(categories=("Cc", "Cf", "Zl", "Zp", "Co", "Mn"))
    return st.one_of(
        st.sampled_from(CONTROL + NFD + NFD_ODDITIES + META),
        st.text(alphabet=controls, min_size=1, max_size=20),
        st.builds(
            lambda a, b, c: a + b + c,
            st.sampled_from(NAMES),
            st.sampled_from(CONTROL),
            st.sampled_from(NFD),
        ),
        st.text(min_size=1, max_size=50),
    )


def hostile_value() -> st.SearchStrategy[Any]:
    return st.one_of(
        hostile_text(),
        st.sampled_from(DATES + DATETIMES),
        st.sampled_from(WRONG_TYPES),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=5),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(st.text(max_size=5), inner, max_size=3)
            ),
            max_leaves=10,
        ),
    )


# --- where a value can go in a body -------------------------------------------------------

Path = tuple[str | int, ...]


def leaves(body: Any, at: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every place in a JSON body a value sits at: scalars, lists and objects alike (the
    body itself excepted)."""
    if at:
        yield at, body
    if isinstance(body, dict):
        for key, value in body.items():
            yield from leaves(value, (*at, key))
    elif isinstance(body, list):
        for index, value in enumerate(body):
            yield from leaves(value, (*at, index))


def replace(body: Any, at: Path, value: Any) -> Any:
    if not at:
        return value
    head, rest = at[0], at[1:]
    if isinstance(body, dict):
        return {**body, head: replace(body[head], rest, value)}
    copy = list(body)
    copy[head] = replace(copy[head], rest, value)  # type: ignore[index]
    return copy


def names_an_id(at: Path) -> bool:
    """Whether a place in a body holds an id: `…_id`, or an item of `…_ids`."""
    named = [p for p in at if isinstance(p, str)]
    return bool(named) and (named[-1].endswith("_id") or named[-1].endswith("_ids"))


def is_date(value: Any) -> bool:
    return isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[:4].isdigit()


@dataclass(frozen=True)
class Mutation:
    """One hostile change to a baseline request: a value put somewhere in its body (`at`;
    the empty path is the whole body), a raw body, a path parameter or query value, or the
    principal sending it."""

    category: str
    at: Path | None = None
    value: Any = None
    raw: Raw | None = None
    param: str | None = None  # a path parameter (or, prefixed "?", a query parameter)
    principal: str | None = None  # a key of the runner's principals

    def apply(self, body: Any) -> Any:
        assert self.at is not None
        return replace(body, self.at, self.value)

    def describe(self) -> str:
        shown = repr(self.value)
        if len(shown) > 120:
            shown = shown[:100] + f"...({len(shown)} chars)"
        if self.raw is not None:
            return f"{self.category}: body {self.raw.note} ({self.raw.content_type})"
        if self.param is not None:
            return f"{self.category}: parameter {self.param} = {shown}"
        if self.principal is not None:
            return f"{self.category}: sent by {self.principal}"
        where = "/".join(str(p) for p in self.at or ()) or "<body>"
        return f"{self.category}: {where} = {shown}"


SWEEP_STRINGS = ["\x00", "\x1b[0m\x07", NFD[0], "'; DROP TABLE events;--", '{"$ne":1}']
SWEEP_DATES = ["0000-01-01", "9999-12-31", "2026-02-30", *DATETIMES[:2]]


def sweep(body: Any) -> Iterator[Mutation]:
    """The systematic part: each place in a baseline body gets each listed hostile value;
    then the raw bodies."""
    strings = []
    for at, value in leaves(body):
        if isinstance(value, str):
            strings.append(at)
            for choice in SWEEP_DATES if is_date(value) else SWEEP_STRINGS:
                yield Mutation("sweep", at, choice)
        elif isinstance(value, list):
            big = [value[0] if value else 1] * HUGE_LIST_LENGTH
            yield Mutation("sweep", at, big)
        elif isinstance(value, bool | int | float) or value is None:
            others: list[Any] = ["1", 10**30, [], None]
            for other in others:
                if type(other) is not type(value):
                    yield Mutation("sweep", at, other)
    if strings:
        yield Mutation("sweep", strings[0], HUGE_STRING)
    if isinstance(body, dict):
        yield Mutation("sweep", (), {**body, "__proto__": {"x": 1}, "extra": "field"})
    for raw in RAW_BODIES:
        yield Mutation("sweep", raw=raw)


def mutations(body: Any, other_ids: list[str]) -> st.SearchStrategy[Mutation]:
    """A random hostile change to a baseline body: one place in it, or the whole body."""
    places = [at for at, _ in leaves(body)]
    strategies: list[st.SearchStrategy[Mutation]] = [
        st.sampled_from(RAW_BODIES).map(lambda raw: Mutation("raw body", raw=raw)),
        hostile_value().map(lambda v: Mutation("whole body", (), v)),
    ]
    if places:
        place = st.sampled_from(places)
        for category, values in (
            ("text", hostile_text()),
            ("date", st.sampled_from(DATES + DATETIMES)),
            ("type", st.sampled_from(WRONG_TYPES)),
            ("value", hostile_value()),
        ):
            strategies.append(
                st.builds(lambda at, v, c=category: Mutation(c, at, v), place, values)
            )
        ids = [at for at, v in leaves(body) if isinstance(v, str) and names_an_id(at)]
        if ids and other_ids:
            strategies.append(
                st.builds(
                    lambda at, v: Mutation("other organisation's id", at, v),
                    st.sampled_from(ids),
                    st.sampled_from(other_ids),
                )
            )
    return st.one_of(strategies)


def path_mutations(params: list[str]) -> Iterator[Mutation]:
    for param in params:
        for value in PATH_VALUES:
            yield Mutation("path", param=param, value=value)
