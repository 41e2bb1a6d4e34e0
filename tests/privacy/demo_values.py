"""The personal and sensitive values the `./chibo up` demo enters, taken from the demo's own
modules (so the probes follow the demo when it changes): what must never reach a public
stream, and, with the members' names, what must never reach a log."""

from __future__ import annotations

from chibo_tools.demo import assignment, attendance, rating

from .probe import Needle


def sensitive() -> list[Needle]:
    """Free text about people's lives: each the demo sends in a field the contracts mark
    SENSITIVE (or, for v1 events, marked it)."""
    texts = [Needle("exemption reason", assignment.EXEMPTION_REASON)]
    texts += [
        Needle("excused-absence reason", reason)
        for excused in attendance.EXCUSED.values()
        for reason in excused.values()
    ]
    texts += [Needle("report situation", s) for s in assignment.SITUATIONS]
    texts += [Needle("report situation (leading overall)", s) for s in assignment.LEAD_SITUATIONS]
    texts += [Needle(f"review comment ({e})", c) for e, c in assignment.REVIEW_COMMENTS.items()]
    texts.append(Needle("review comment (leading overall)", assignment.LEAD_REVIEW_COMMENT))
    texts += [Needle(f"appraisal note ({level})", n) for level, n in rating.NOTES.items()]
    return _distinct(texts)


# What the browser tests (tests/web_app, on the same run) type into the web app's sensitive
# fields: absence reasons, report situations, problems, reviews, follow-up notes.
BROWSER_ENTRIES = (
    ("excused-absence reason (web app)", "Ốm, đang điều trị"),
    ("excused-absence reason (web app)", "Đi công tác xa"),
    ("report situation (web app)", "Các hộ ổn định, lúa tốt"),
    ("report situation (web app)", "Nhân dân phấn khởi"),
    ("report situation (web app)", "Hai hộ đi làm ăn xa"),
    ("report situation (web app)", "Các hộ chăm lo sản xuất"),
    ("problem raised (web app)", "Thiếu nước sinh hoạt"),
    ("review comment (web app)", "Cần nắm tình hình sát hơn"),
    ("problem resolution (web app)", "Xã đã cho xe san lấp, đi lại bình thường"),
    ("escalation note (web app)", "Cần xã hỗ trợ khoan giếng"),
)


def typed_in_the_browser() -> list[Needle]:
    return [Needle(label, text) for label, text in BROWSER_ENTRIES]


def identities() -> list[Needle]:
    """Card numbers and birth dates: personal data no subscriber needs."""
    found = []
    for i in range(assignment.MEMBERS):
        body = assignment.member_body(i)
        found.append(Needle(f"card number of demo member {i + 1}", body["card_number"]))
        found.append(Needle("birth date of the demo members", body["birth_date"]))
    return _distinct(found)


def names() -> list[Needle]:
    return [
        Needle("demo member's full name", assignment.member_body(i)["full_name"])
        for i in range(assignment.MEMBERS)
    ]


def _distinct(needles: list[Needle]) -> list[Needle]:
    """One needle per value (the same reason in several months is one value to look for)."""
    seen: dict[str, Needle] = {}
    for needle in needles:
        seen.setdefault(needle.value, needle)
    return list(seen.values())
