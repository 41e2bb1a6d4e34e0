"""The data subject's request, answered at once: everything the service holds about a
member, from its read models and its own event store.

Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15, Điều 4 khoản 1 điểm c, d: the subject may view
their personal data and ask for it to be provided; Nghị định 356/2025/NĐ-CP, Điều 5 khoản
2, 3: an answer within 2 working days, the request done within 10 days (extended once by
at most 10). Answering at once keeps both.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from chibo_kernel.keyring import ERASED_VI, Keyring, MissingDataKey

from .events import event_sections, events_about, streams_about
from .spec import (
    ExportColumn,
    ExportSection,
    KeyedStore,
    PersonalData,
    Reader,
    ReadPersonalData,
    SubjectData,
    Table,
)

LEGAL_BASIS_VI = (
    "Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15, Điều 4 khoản 1 điểm c, d (xem, yêu cầu cung "
    "cấp dữ liệu cá nhân của mình); Nghị định 356/2025/NĐ-CP, Điều 5 khoản 3 (thực hiện trong "
    "10 ngày)"
)
LEGAL_BASIS_EN = (
    "Personal Data Protection Law 91/2025/QH15, art. 4 cl. 1 c, d (to view one's personal "
    "data and have it provided); Decree 356/2025/ND-CP, art. 5 cl. 3 (done within 10 days)"
)


async def is_erased(keyring: Keyring, member_id: str) -> bool:
    """Whether the member's data key was destroyed (a member who never had one was not)."""
    try:
        found = await keyring.for_reading({member_id})
    except MissingDataKey:
        return False
    return found[member_id] is None


def personal_data_handler(
    spec: SubjectData,
    store: Callable[[], KeyedStore],
    reader: Reader,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Callable[[ReadPersonalData], Awaitable[PersonalData]]:
    """The handler of `ReadPersonalData` for one service: `reader` gives a connection to its
    read models (and its event table)."""

    async def handle(query: ReadPersonalData) -> PersonalData:
        member_id = query.member_id
        erased = await is_erased(store().keyring, member_id)
        own = list(spec.own_streams(member_id))
        async with reader() as conn:
            streams = await streams_about(conn, member_id, own)
            tables = [await _table(conn, table, member_id, erased) for table in spec.tables]
        events = await events_about(store(), member_id, streams, own)
        sections = tables + event_sections(events, spec.registry, erased)
        names: dict[str, str] = {}
        if spec.names_sql is not None:
            async with reader() as conn:
                names = await _names(conn, spec.names_sql, {member_id} | _ids_in(sections))
        if erased:
            names[member_id] = ERASED_VI
        return PersonalData(
            member_id=member_id,
            full_name=names.get(member_id),
            service=spec.service,
            generated_at=clock(),
            erased=erased,
            legal_basis_vi=LEGAL_BASIS_VI,
            legal_basis_en=LEGAL_BASIS_EN,
            names=names,
            sections=sections,
        )

    return handle


async def _table(conn: Any, table: Table, member_id: str, erased: bool) -> ExportSection:
    hidden = {c.key for c in table.columns if c.erasable} if erased else set()
    # Erased whether the read model still holds the value or has already scrubbed it.
    rows = [
        {c.key: ERASED_VI if c.key in hidden else row[c.key] for c in table.columns}
        for row in await conn.fetch(table.sql, member_id)
    ]
    columns = [
        ExportColumn(key=c.key, label_vi=c.label_vi, label_en=c.label_en) for c in table.columns
    ]
    return ExportSection(
        kind=table.kind,
        source="read_model",
        label_vi=table.label_vi,
        label_en=table.label_en,
        columns=columns,
        rows=rows,
    )


def _ids_in(sections: Iterable[ExportSection]) -> set[str]:
    """The ids the recorded events name (a branch, a unit, a member), to show by name."""
    return {
        value
        for section in sections
        if section.source == "event_store"
        for row in section.rows
        for key, value in row.items()
        if key.endswith("_id") and isinstance(value, str) and key != "stream_id"
    }


async def _names(conn: Any, sql: str, ids: set[str]) -> dict[str, str]:
    rows = await conn.fetch(sql, sorted(ids))
    return {row["id"]: row["name"] for row in rows if row["name"] is not None}
