"""Who decided or entered something, as the record names it: the body the signed-in
principal acts for, never a name typed beside the input (the request bodies refuse one,
`entrypoints/schemas.py`). A role is held over a unit, the last id of the token's
`chibo_org`; a province-wide one over the province's unit. A Đảng bộ signs by its
committee ("Đảng bộ xã Võ Lao" as "Đảng ủy xã Võ Lao", "Đảng bộ huyện Văn Bàn" as "Huyện ủy
Văn Bàn"); any other unit by its own name (a chi bộ). Where no unit can be named, the role's
name stands; and the service itself, acting with no principal, names itself. Who signed in
is in every event's metadata besides (`actor`, `role`)."""

from __future__ import annotations

import unicodedata
from typing import Any, Protocol

from chibo_chassis.auth import Role, current_principal

SERVICE = "Dịch vụ đánh giá"  # a consumer or an in-process tool, no one signed in
ROLE_NAMES = {
    Role.PROVINCE_ADMIN: "Quản trị tỉnh",
    Role.ORGANISATION_BOARD: "Ban thường vụ",
    Role.GRASSROOTS_COMMITTEE: "Đảng ủy cơ sở",
    Role.BRANCH_SECRETARY: "Bí thư chi bộ",
    Role.MEMBER: "Đảng viên",
    Role.AUDITOR: "Kiểm tra",
}
# A Đảng bộ's committee, as it signs: the first prefix that matches.
_COMMITTEES = (
    ("Đảng bộ tỉnh ", "Tỉnh ủy "),
    ("Đảng bộ thành phố ", "Thành ủy "),
    ("Đảng bộ huyện ", "Huyện ủy "),
    ("Đảng bộ quận ", "Quận ủy "),
    ("Đảng bộ thị xã ", "Thị ủy "),
    ("Đảng bộ ", "Đảng ủy "),
)

UNIT_NAME_SQL = "SELECT name FROM units WHERE unit_id = $1"
PROVINCE_NAMES_SQL = "SELECT name FROM units WHERE cardinality(path) = 1 AND active LIMIT 2"


class UnitNames(Protocol):
    async def unit_name(self, unit_id: str) -> str | None:
        """The unit's name; None if it is not known."""
        ...

    async def province_name(self) -> str | None:
        """The name of the one province's unit; None if there is none, or several."""
        ...


class FactNames:
    """Names read on a connection to the facts the command already holds."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    async def unit_name(self, unit_id: str) -> str | None:
        found = await self._conn.fetchval(UNIT_NAME_SQL, unit_id)
        return None if found is None else str(found)

    async def province_name(self) -> str | None:
        rows = await self._conn.fetch(PROVINCE_NAMES_SQL)
        return str(rows[0]["name"]) if len(rows) == 1 else None


async def signer(names: UnitNames) -> str:
    """The name of the body the principal in force acts for."""
    principal = current_principal()
    if principal is None:
        return SERVICE
    if principal.scope:
        name = await names.unit_name(principal.scope[-1])
    else:
        name = await names.province_name()
    return ROLE_NAMES[principal.role] if name is None else signing_name(name)


def signing_name(unit_name: str) -> str:
    """The unit's name as it signs: a Đảng bộ by its committee, anything else as named."""
    name = unicodedata.normalize("NFC", unit_name.strip())
    for prefix, committee in _COMMITTEES:
        if name.casefold().startswith(prefix.casefold()):
            return committee + name[len(prefix) :]
    return name
