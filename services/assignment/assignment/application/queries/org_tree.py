"""The organisation tree the caller can see: every unit inside their subtree, nested under
its parent, the top ones as roots. Dissolved and merged units are left out unless asked for;
a unit under a dissolved one (a commune under an abolished district) then hangs from the
nearest unit shown above it, so nothing active drops out of the tree.

`above`: the units above the caller's own root, nearest last, by name only: a branch's
secretary hands a problem up to one of them, and the web names them ("Đảng bộ xã Võ Lao")
rather than by their level."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from chibo_chassis.auth import current_principal
from chibo_kernel.domain import Message

from ...domain.vietnamese_order import text_key
from .reads import Reads

_UNITS = "SELECT unit_id, kind, name, parent_id, path, dissolved_on FROM org_units"
# Higher levels first among siblings, then by name.
_KIND_ORDER = {"province": 0, "district": 1, "grassroots": 2, "branch": 3}


@dataclass(frozen=True)
class OrgTree(Message[dict[str, Any]]):
    """`roots`, each with its `children`, and the units `above` them; `dissolved`: dissolved
    units too."""

    dissolved: bool = False


async def handle(query: OrgTree, reads: Reads) -> dict[str, Any]:
    principal = current_principal()
    rows = await reads.pool().fetch(_UNITS)
    roots = _roots(query, rows, principal.covers if principal is not None else None)
    scope = principal.scope if principal is not None else ()
    return {"roots": roots, "above": _above(query, rows, scope)}


def _above(query: OrgTree, rows: list[Any], scope: tuple[str, ...]) -> list[dict[str, Any]]:
    """The units above the caller's root where it sits now (a move changes that, not the
    token), from the top down."""
    if not scope:
        return []
    by_id = {r["unit_id"]: r for r in rows}
    root = by_id.get(scope[-1])
    ancestors = list(root["path"][:-1]) if root is not None else list(scope[:-1])
    return [
        {"unit_id": u["unit_id"], "name": u["name"], "kind": u["kind"]}
        for u in (by_id[a] for a in ancestors if a in by_id)
        if query.dissolved or u["dissolved_on"] is None
    ]


def _roots(
    query: OrgTree, rows: list[Any], covers: Callable[[Sequence[str]], bool] | None
) -> list[dict[str, Any]]:
    shown = {
        r["unit_id"]: r
        for r in rows
        if (covers is None or covers(r["path"])) and (query.dissolved or r["dissolved_on"] is None)
    }
    nodes = {
        unit_id: {
            "unit_id": unit_id,
            "name": r["name"],
            "kind": r["kind"],
            "dissolved": r["dissolved_on"] is not None,
            "children": [],
        }
        for unit_id, r in shown.items()
    }
    roots: list[dict[str, Any]] = []
    for unit_id, r in shown.items():
        above = _nearest_shown(list(r["path"][:-1]), shown)
        (nodes[above]["children"] if above else roots).append(nodes[unit_id])
    for node in nodes.values():
        node["children"].sort(key=_order)
    return sorted(roots, key=_order)


def _nearest_shown(ancestors: list[str], shown: dict[str, Any]) -> str | None:
    return next((unit_id for unit_id in reversed(ancestors) if unit_id in shown), None)


def _order(node: dict[str, Any]) -> tuple[int, Any]:
    return _KIND_ORDER.get(node["kind"], 9), text_key(node["name"])
