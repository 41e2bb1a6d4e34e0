"""A branch's members on a day, as its list is read out: names, card numbers, admission,
status, roles, standing that day, temporary attendance elsewhere, committee, in Vietnamese
name order.

The branch's own members (not the guests it hosts on temporary attendance: they are on
their home branch's list). Someone who left the Party earlier that year stays on the list
as `left` until the year ends, so the year's records still show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from chibo_kernel.clock import vietnam_today
from chibo_kernel.domain import Message
from chibo_kernel.errors import NotFound

from ...domain.member import COMMITTEE_ROLES
from ...domain.vietnamese_order import name_order
from .reads import Reads

_MEMBERS = """
SELECT m.member_id, m.full_name, c.card_number, m.admission_date, m.status, m.roles,
       m.exempt_from, m.exempt_to, m.suspended_from, m.suspended_to, m.left_on,
       m.temporary_branch_id, h.name AS temporary_branch_name, m.temporary_from, m.temporary_to
  FROM members m
  LEFT JOIN member_cards c USING (member_id)
  LEFT JOIN org_units h ON h.unit_id = m.temporary_branch_id
 WHERE m.branch_id = $1 AND m.admission_date <= $2
   AND (m.left_on IS NULL OR m.left_on >= make_date(extract(year FROM $2::date)::int, 1, 1))
"""
# The member events' "full" is what the party calls an official member (đảng viên chính thức).
STATUS = {"full": "official", "probationary": "probationary"}


@dataclass(frozen=True)
class BranchMembers(Message[dict[str, Any]]):
    """On `on`; by default today."""

    branch_id: str
    on: date | None = None


async def handle(query: BranchMembers, reads: Reads) -> dict[str, Any]:
    pool = reads.pool()
    on = query.on or vietnam_today()
    name = await pool.fetchval("SELECT name FROM org_units WHERE unit_id = $1", query.branch_id)
    if name is None:
        raise NotFound(f"unit {query.branch_id}", f"đơn vị {query.branch_id}")
    members = [_member(r, on) for r in await pool.fetch(_MEMBERS, query.branch_id, on)]
    members.sort(key=lambda m: name_order(m["full_name"]))
    return {"branch_id": query.branch_id, "branch_name": name, "on": on, "members": members}


def _member(row: Any, on: date) -> dict[str, Any]:
    away = row["temporary_to"] is not None and row["temporary_to"] >= on
    return {
        "member_id": row["member_id"],
        "full_name": row["full_name"],
        "card_number": row["card_number"],
        "admitted_on": row["admission_date"],
        "status": STATUS.get(row["status"], row["status"]),
        "roles": sorted(set(row["roles"])),
        "standing": standing_on(row, on),
        # Recorded and not over by the day: under way, or still to come.
        "temporary_attendance": {
            "branch_id": row["temporary_branch_id"],
            "branch_name": row["temporary_branch_name"],
            "from": row["temporary_from"],
            "to": row["temporary_to"],
        }
        if away
        else None,
        "committee": bool(set(row["roles"]) & COMMITTEE_ROLES),
    }


def standing_on(row: Any, on: date) -> str:
    """The one word for the member's standing that day, the strongest first: gone from the
    Party, suspended, exempt, away at another branch, else active."""
    if row["left_on"] is not None and row["left_on"] <= on:
        return "left"
    if _within(row["suspended_from"], row["suspended_to"], on):
        return "suspended"
    if _within(row["exempt_from"], row["exempt_to"], on):
        return "exempt"
    if _within(row["temporary_from"], row["temporary_to"], on):
        return "away"
    return "active"


def _within(begins: date | None, ends: date | None, on: date) -> bool:
    return begins is not None and begins <= on and (ends is None or on <= ends)
