"""Comments from other organisations: a member on temporary attendance is rated by the
official branch once the host branch has written its comment (HD 43 mục 7.6); a member
working in an agency may have their residence organisation's comment (Quy định 213-QĐ/TW).
Each comment received is shown with the proposal; a host comment still due is named."""

from __future__ import annotations

from .cited import Reason
from .member_year import MemberYear
from .rule_set import NotRated

SOURCE = {
    "temporary_host": ("the host branch", "chi bộ nơi sinh hoạt tạm thời"),
    "residence": ("the residence organisation", "tổ chức đảng nơi cư trú"),
}


def comment_reasons(member: MemberYear, rules: NotRated) -> tuple[list[Reason], list[Reason]]:
    """(the comments received, the host comments still due)."""
    required = rules.host_comment_required
    source = required.source if required is not None else ""
    said = [
        Reason(
            f"comment_{c.source}",
            f"{SOURCE[c.source][0]} {c.from_unit} comments: {c.comment}",
            f"{SOURCE[c.source][1]} {c.from_unit} nhận xét: {c.comment}",
            source,
        )
        for c in member.comments
    ]
    if required is None or not required.value:
        return said, []
    written = {c.from_unit for c in member.comments if c.source == "temporary_host"}
    due = [
        Reason(
            "host_comment_due",
            f"attended temporarily at {host} this year: its written comment is needed first",
            f"sinh hoạt tạm thời tại {host} trong năm: cần có ý kiến nhận xét của chi bộ đó",
            required.source,
        )
        for host in member.temporary_hosts
        if host not in written
    ]
    return said, due
