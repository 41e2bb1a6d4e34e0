"""The day a member began attending the branch, and branches named as the national member
database exports them, through the HTTP API: a registration records `attending_since` in
`member_registered.v3` (by default the admission date), refused before the admission or in
the future, naming the member; a member import takes it from its column, or the day of the
import when there is none, and finds each row's branch by its code or by its name."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from kernel.support import eventually
from signin import bearer

from chibo_chassis.auth import Role
from chibo_kernel.clock import VIETNAM

from .conftest import Service

REGISTERED = "chibo.assignment.member_registered.v3"
UNITS = [
    ("LC", "province", "Đảng bộ tỉnh Lào Cai", None),
    ("VB", "district", "Đảng bộ huyện Văn Bàn", "LC"),
    ("VL", "grassroots", "Đảng bộ xã Võ Lao", "VB"),
    ("VL-TT", "branch", "Chi bộ thị tứ Võ Lao", "VL"),
    ("VL-KC", "branch", "Chi bộ thôn Khe Có", "VL"),
    ("KH", "grassroots", "Đảng bộ xã Khánh Yên Hạ", "VB"),
    ("KH-KC", "branch", "Chi bộ thôn Khe Có", "KH"),  # the same name in another commune
]
HEADERS = "Họ và tên,Ngày sinh,Ngày vào Đảng,Số thẻ đảng viên,Chi bộ,Ngày sinh hoạt tại chi bộ"


async def build_units(client: httpx.AsyncClient) -> None:
    for unit_id, kind, name, parent in UNITS:
        body = {
            "unit_id": unit_id,
            "kind": kind,
            "name": name,
            "parent_id": parent,
            "valid_from": "2020-01-01",
        }
        assert (await client.post("/v1/units", json=body)).status_code == 201


async def attending_since(service: Service) -> dict[str, str]:
    """Each registered member's `attending_since` as stored (and published): member → day."""
    rows = await service.runtime.pool.fetch(
        "SELECT data->>'member_id' AS member_id, data->>'attending_since' AS since"
        " FROM events WHERE event_type = $1",
        REGISTERED,
    )
    return {r["member_id"]: r["since"] for r in rows}


def registration(**overrides: Any) -> dict[str, Any]:
    body = {
        "full_name": "Lò Thị Hoa",
        "branch_id": "VL-TT",
        "admission_date": "2009-03-02",
        "card_number": "77001001",
        "birth_date": "1980-01-01",
    }
    return body | overrides


async def test_a_registration_records_the_day_the_member_began_attending_by_default_the_admission(
    service: Service,
) -> None:
    client = service.client
    await build_units(client)
    moved_in = await client.post("/v1/members", json=registration(attending_since="2019-08-01"))
    assert moved_in.status_code == 201, moved_in.text
    plain = registration(full_name="Vàng A Sử", card_number="77001002")
    always = await client.post("/v1/members", json=plain)
    assert always.status_code == 201, always.text

    assert await attending_since(service) == {
        moved_in.json()["member_id"]: "2019-08-01",
        always.json()["member_id"]: "2009-03-02",
    }
    # Sent again, the same registration answers what it answered; another day is a conflict.
    again = await client.post("/v1/members", json=registration(attending_since="2019-08-01"))
    assert (again.status_code, again.json()["member_id"]) == (201, moved_in.json()["member_id"])
    assert (await client.post("/v1/members", json=plain)).status_code == 201
    other_day = await client.post("/v1/members", json=registration(attending_since="2019-09-01"))
    assert (other_day.status_code, other_day.json()["code"]) == (409, "card_number_taken")


async def test_a_registration_attending_before_the_admission_or_in_the_future_is_refused_by_name(
    service: Service,
) -> None:
    client = service.client
    await build_units(client)
    events = await service.runtime.pool.fetchval("SELECT count(*) FROM events")
    early = await client.post("/v1/members", json=registration(attending_since="2009-03-01"))
    assert (early.status_code, early.json()["code"]) == (422, "attending_before_admission")
    assert early.json()["detail_vi"] == (
        "Đảng viên Lò Thị Hoa không thể sinh hoạt tại chi bộ từ ngày 01/03/2009, trước ngày "
        "vào Đảng 02/03/2009"
    )
    assert "Lò Thị Hoa" in early.json()["detail"]
    tomorrow = datetime.now(VIETNAM).date() + timedelta(days=1)
    late = await client.post("/v1/members", json=registration(attending_since=tomorrow.isoformat()))
    assert (late.status_code, late.json()["code"]) == (422, "attending_in_future")
    assert late.json()["detail_vi"] == (
        f"Ngày sinh hoạt tại chi bộ của đảng viên Lò Thị Hoa ({tomorrow:%d/%m/%Y}) là ngày "
        "trong tương lai"
    )
    assert await service.runtime.pool.fetchval("SELECT count(*) FROM events") == events


async def import_rows(
    client: httpx.AsyncClient, tmp_path: Path, rows: list[str], **headers: str
) -> dict[str, Any]:
    path = tmp_path / "dang-vien.csv"
    path.write_text("\n".join([HEADERS, *rows]) + "\n", encoding="utf-8")
    started = await client.post(
        "/v1/imports/members",
        params={"filename": path.name},
        content=path.read_bytes(),
        headers=headers,
    )
    assert started.status_code == 202, started.text
    job_url = f"/v1/imports/{started.json()['job_id']}"
    status: dict[str, Any] = {}

    async def finished() -> bool:
        status.update((await client.get(job_url, headers=headers)).json())
        return bool(status["status"] != "running")

    await eventually(finished, timeout=60, what="the import job")
    assert status["status"] == "done", status
    return status


async def members_by_card(service: Service) -> dict[str, tuple[str, str]]:
    """Card number → (branch, attending since) of every member imported."""
    since = await attending_since(service)
    rows = await service.runtime.pool.fetch(
        "SELECT c.card_number, m.member_id, m.branch_id FROM member_cards c"
        " JOIN members m USING (member_id)"
    )
    return {r["card_number"]: (r["branch_id"], since[r["member_id"]]) for r in rows}


async def test_an_import_finds_branches_by_code_or_name_and_dates_attendance_from_its_column(
    service: Service, tmp_path: Path
) -> None:
    await build_units(service.client)
    written_loosely = unicodedata.normalize("NFD", "  chi bộ  THỊ TỨ võ lao ")
    report = await import_rows(
        service.client,
        tmp_path,
        [
            "Lò Văn Páo,02/09/1960,19/05/1985,20000001,VL-TT,",  # no day: the import's
            "Giàng Thị Mỷ,15/06/1962,03/02/1986,20000002,Chi bộ thị tứ Võ Lao,01/03/2024",
            f"Vàng Seo Chứ,01/01/1970,19/05/1995,20000003,{written_loosely},2024-06-15",
            "Sùng A Páo,01/01/1970,19/05/1995,20000004,Chi bộ thôn Khe Có,",
            "Lý Thị Sen,01/01/1970,19/05/1995,20000005,Chi bộ thôn Không Có,",
            "Hầu A Lử,01/01/1970,19/05/1995,20000006,VL-TT,18/05/1995",
        ],
    )

    today = datetime.now(VIETNAM).date().isoformat()
    assert (report["rows"], report["imported"]) == (6, 3)
    assert await members_by_card(service) == {
        "20000001": ("VL-TT", today),
        "20000002": ("VL-TT", "2024-03-01"),
        "20000003": ("VL-TT", "2024-06-15"),
    }
    errors = {e["line"]: e for e in report["errors"]}
    assert sorted(errors) == [5, 6, 7]
    assert errors[5]["field"] == "branch_code"
    assert errors[5]["reason_vi"] == (
        "có 2 chi bộ đang hoạt động cùng tên 'Chi bộ thôn Khe Có': KH-KC (thuộc Đảng bộ xã "
        "Khánh Yên Hạ); VL-KC (thuộc Đảng bộ xã Võ Lao); hãy ghi mã chi bộ thay cho tên"
    )
    assert "KH-KC (under Đảng bộ xã Khánh Yên Hạ); VL-KC" in errors[5]["reason"]
    assert errors[6]["field"] == "branch_code"
    assert "không có chi bộ 'Chi bộ thôn Không Có' đang hoạt động" in errors[6]["reason_vi"]
    assert errors[7]["field"] == "attending_since"
    assert (
        "Đảng viên Hầu A Lử không thể sinh hoạt tại chi bộ từ ngày 18/05/1995"
        in (errors[7]["reason_vi"])
    )

    # The same file again, on any day, changes nothing.
    events = await service.runtime.pool.fetchval("SELECT count(*) FROM events")
    again = await import_rows(
        service.client,
        tmp_path,
        [
            "Lò Văn Páo,02/09/1960,19/05/1985,20000001,Chi bộ thị tứ Võ Lao,",
        ],
    )
    assert (again["imported"], again["unchanged"], again["errors"]) == (0, 1, [])
    assert await service.runtime.pool.fetchval("SELECT count(*) FROM events") == events


async def test_a_name_shared_outside_the_importers_subtree_is_not_ambiguous_to_them(
    service: Service, tmp_path: Path
) -> None:
    await build_units(service.client)
    commune = bearer(Role.GRASSROOTS_COMMITTEE, "LC.VB.VL")
    report = await import_rows(
        service.client,
        tmp_path,
        [
            "Sùng A Páo,01/01/1970,19/05/1995,20000004,Chi bộ thôn Khe Có,",
            "Lý Thị Sen,01/01/1970,19/05/1995,20000005,KH-KC,",
        ],
        **commune,
    )
    assert (report["imported"], [e["line"] for e in report["errors"]]) == (1, [3])
    assert (await members_by_card(service))["20000004"][0] == "VL-KC"
    # Outside their subtree, a branch reads as no branch at all.
    assert "không có chi bộ 'KH-KC' đang hoạt động" in report["errors"][0]["reason_vi"]
