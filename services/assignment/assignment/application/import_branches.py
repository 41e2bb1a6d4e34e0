"""Which unit each row of a member import goes to: the branch (or chi bộ cơ sở) the file
names by its code, or by its name as the national member database exports it ("Chi bộ
thị tứ Võ Lao"), compared as people read names: NFC, without regard to case or to runs of
spaces.

Only units whoever runs the import may register members in are candidates, so a row naming
a unit outside their subtree reads as naming no unit at all, and branches outside it cannot
be probed by name either. A name that more than one candidate carries is a bad row naming
them (each with its code and the unit above it): the code settles it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from chibo_kernel.domain import Repository
from chibo_kernel.pool import LeanPool

from ..adapters.directory import ReadModelDirectory
from ..domain.member_rows import MemberRow, RowError
from ..domain.org import OrgUnit
from ..domain.text import name_key

# Whether whoever runs the import may register the row's member in the unit of this code.
MayRegisterIn = Callable[[MemberRow, str], Awaitable[bool]]

_PATH = "SELECT path FROM org_units WHERE unit_id = $1"
_NAMED = """
SELECT u.unit_id, u.name, p.name AS above
  FROM org_units u LEFT JOIN org_units p ON p.unit_id = u.parent_id
 WHERE u.kind IN ('branch', 'grassroots') AND u.dissolved_on IS NULL
"""


@dataclass(frozen=True)
class _Named:
    unit_id: str
    name: str
    above: str | None


class ImportBranches:
    """One import's lookups, each asked once: a province's file names a few hundred units."""

    def __init__(
        self, repository: Repository, pool: LeanPool, may_register_in: MayRegisterIn
    ) -> None:
        self._repo = repository
        self._pool = pool
        self._directory = ReadModelDirectory(lambda: pool)
        self._may_register_in = may_register_in
        self._permitted: dict[str, bool] = {}
        self._units: dict[str, OrgUnit | None] = {}
        self._paths: dict[str, list[str] | None] = {}
        self._by_name: dict[str, list[_Named]] | None = None

    async def code_of(self, row: MemberRow) -> str | RowError:
        """The code of the unit the row names, or why the row names none."""
        written = row.branch_code
        if await self.current_path(written) is not None:
            candidates = [_Named(written, written, None)]
        else:
            candidates = (await self._named()).get(name_key(written), [])
        permitted = [c for c in candidates if await self._permits(row, c.unit_id)]
        if not permitted:
            return unknown_branch(row)
        if len(permitted) > 1:
            return _ambiguous(row, permitted)
        return permitted[0].unit_id

    async def unit(self, code: str) -> OrgUnit | None:
        """The unit with what the rules of `grassroots_cell.py` read; None when members
        cannot be registered there (unknown, dissolved, or a đảng bộ cơ sở, whose refusal
        names its branches when registered there all the same)."""
        if code not in self._units:
            unit = await self._repo.load(OrgUnit, code)
            path = await self.current_path(code)
            if path is not None:
                unit.path = path
            if unit.kind == "grassroots":  # a chi bộ cơ sở while no branch is under it
                unit.sub_units = tuple(await self._directory.children_of(code))
            elif unit.kind == "branch":
                unit.sub_units = ()
            self._units[code] = unit if unit.sub_units is not None and unit.active else None
        return self._units[code]

    async def current_path(self, code: str) -> list[str] | None:
        """Where the unit sits now: a move above it changes its path, not its stream."""
        if code not in self._paths:
            path = await self._pool.fetchval(_PATH, code)
            self._paths[code] = list(path) if path is not None else None
        return self._paths[code]

    async def _permits(self, row: MemberRow, code: str) -> bool:
        """Asked once per unit: the rule reads the unit alone."""
        if code not in self._permitted:
            self._permitted[code] = await self._may_register_in(row, code)
        return self._permitted[code]

    async def _named(self) -> dict[str, list[_Named]]:
        """The units members may belong to by name, read once, when a row first names one."""
        if self._by_name is None:
            self._by_name = {}
            for r in await self._pool.fetch(_NAMED):
                named = _Named(r["unit_id"], r["name"], r["above"])
                self._by_name.setdefault(name_key(r["name"]), []).append(named)
        return self._by_name


def unknown_branch(row: MemberRow) -> RowError:
    return RowError(
        row.line,
        "branch_code",
        f"no active branch {row.branch_code!r} (by code, or by name as the national database "
        "exports it); create it first or correct the branch",
        f"không có chi bộ {row.branch_code!r} đang hoạt động (theo mã, hoặc theo tên như Cơ sở "
        "dữ liệu đảng viên xuất ra); hãy tạo chi bộ hoặc sửa lại",
        {"branch_code": row.branch_code},
    )


def _ambiguous(row: MemberRow, candidates: list[_Named]) -> RowError:
    def listed(under: str) -> str:
        return "; ".join(
            f"{c.unit_id}" + (f" ({under} {c.above})" if c.above else "")
            for c in sorted(candidates, key=lambda c: c.unit_id)
        )

    count, name = len(candidates), candidates[0].name
    return RowError(
        row.line,
        "branch_code",
        f"{count} active branches are named {name!r}: {listed('under')}; "
        "write the branch's code instead",
        f"có {count} chi bộ đang hoạt động cùng tên {name!r}: {listed('thuộc')}; "
        "hãy ghi mã chi bộ thay cho tên",
        {"branch_code": row.branch_code},
    )
