"""Reads of personal data at the assignment service are logged (Luật Bảo vệ dữ liệu cá nhân
91/2025/QH15): who read, in which role and subtree, which route and path, whose data, why,
under which correlation id. A refused read reads nothing and logs nothing; a purpose not on
the list is refused in both languages; auditors ask the log, and their question is logged
too; a read whose log entry cannot be written fails with 503 instead of answering."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
from signin import bearer

from chibo_chassis.auth import Role
from chibo_kernel.db import asyncpg_url

from .conftest import Service, running_service
from .two_provinces import MONTH, SCOPES, two_provinces

SECRETARY = bearer(Role.BRANCH_SECRETARY, SCOPES[Role.BRANCH_SECRETARY])
YEN_BAI_COMMITTEE = bearer(Role.GRASSROOTS_COMMITTEE, "YB.TY.TH")
AUDITOR = bearer(Role.AUDITOR)  # the whole province
READS = "/v1/personal-data-reads"


async def rows(service: Service) -> list[dict[str, Any]]:
    found = await service.runtime.pool.fetch("SELECT * FROM personal_data_reads ORDER BY id")
    return [dict(r) for r in found]


async def test_a_secretarys_read_of_the_months_reports_records_who_what_whose_and_why(
    service: Service,
) -> None:
    world = await two_provinces(service.client)
    before = await rows(service)
    url = f"/v1/branches/VL-TT/reports/{MONTH}"
    answer = await service.client.get(url, headers={**SECRETARY, "X-Correlation-Id": "read-1"})
    assert answer.status_code == 200, answer.text

    (read,) = (await rows(service))[len(before) :]
    assert read["principal"] == f"branch_secretary@{SCOPES[Role.BRANCH_SECRETARY]}"
    assert read["role"] == "branch_secretary"
    assert read["org_scope"] == ["LC", "VB", "VL", "VL-TT"]
    assert read["route"] == "GET /v1/branches/{branch_id}/reports/{month}"
    assert read["target"] == url
    assert read["subjects"] == sorted(world.members["VL-TT"])  # the three members reported
    assert read["purpose"] == "monthly_meeting"  # the route's own when none is sent
    assert (read["correlation_id"], read["result_count"]) == ("read-1", 1)
    counted = service.runtime.metrics.registry.get_sample_value(
        "chibo_personal_data_reads_total", {"service": "assignment"}
    )
    assert counted == len(before) + 1


async def test_the_purpose_sent_is_logged_and_one_not_on_the_list_is_refused_in_both_languages(
    service: Service,
) -> None:
    await two_provinces(service.client)
    url = f"/v1/branches/VL-TT/reports/{MONTH}"
    sent = await service.client.get(url, headers={**SECRETARY, "X-Purpose": "year_end_rating"})
    assert sent.status_code == 200, sent.text
    assert (await rows(service))[-1]["purpose"] == "year_end_rating"
    before = await rows(service)

    refused = await service.client.get(url, headers={**SECRETARY, "X-Purpose": "curiosity"})
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["code"] == "unknown_purpose"
    assert "curiosity" in problem["detail"]
    assert "year_end_rating" in problem["detail"]
    assert problem["detail_vi"].startswith("mục đích 'curiosity' (X-Purpose) không có trong")
    assert await rows(service) == before


async def test_a_refused_read_reads_nothing_and_logs_nothing(service: Service) -> None:
    await two_provinces(service.client)
    before = await rows(service)
    outside = await service.client.get(f"/v1/branches/TH-A/reports/{MONTH}", headers=SECRETARY)
    assert outside.status_code == 403
    unsigned = await service.client.get(
        f"/v1/branches/VL-TT/reports/{MONTH}", headers={"Authorization": ""}
    )
    assert unsigned.status_code == 401
    assert await rows(service) == before


async def test_auditors_ask_by_subject_principal_and_time_within_their_subtree(
    service: Service,
) -> None:
    world = await two_provinces(service.client)
    started = datetime.now(UTC)
    ours, theirs = f"/v1/branches/VL-TT/reports/{MONTH}", f"/v1/branches/TH-A/reports/{MONTH}"
    assert (await service.client.get(ours, headers=SECRETARY)).status_code == 200
    assert (await service.client.get(theirs, headers=YEN_BAI_COMMITTEE)).status_code == 200
    yen_bai_member = world.member("TH-A", 2)
    committee = "grassroots_committee@YB.TY.TH"

    async def ask(headers: dict[str, str], **params: Any) -> Any:
        answer = await service.client.get(READS, params=params, headers=headers)
        assert answer.status_code == 200, answer.text
        return answer.json()

    # Whose data: the setup's read by the administrator and the committee's, newest first.
    # (Each question below is logged too, with purpose `audit`: asked for the meetings'.)
    whose = {"subject": yen_bai_member, "purpose": "monthly_meeting"}
    by_subject = await ask(AUDITOR, **whose)
    assert [r["principal"] for r in by_subject["reads"]] == [committee, "province_admin@province"]
    assert all(yen_bai_member in r["subjects"] for r in by_subject["reads"])
    # Who read, and when.
    by_principal = await ask(AUDITOR, principal=committee)
    (only,) = by_principal["reads"]
    assert (only["target"], only["org_scope"], only["role"]) == (
        theirs,
        "YB.TY.TH",
        "grassroots_committee",
    )
    before_the_test = await ask(AUDITOR, **whose, to=started.isoformat())
    assert before_the_test["reads"] == by_subject["reads"][1:]
    later = (started + timedelta(hours=1)).isoformat()
    assert (await ask(AUDITOR, **{"from": later}))["reads"] == []
    # A page at a time, the older ones after.
    first = await ask(AUDITOR, **whose, limit=1)
    assert first["reads"] == by_subject["reads"][:1]
    rest = await ask(AUDITOR, **whose, before=first["next_before"])
    assert rest["reads"] == by_subject["reads"][1:]
    assert rest["next_before"] is None

    # Yên Bái's committee holds `audit` over its own subtree: the reads made from inside it.
    mine = await ask(YEN_BAI_COMMITTEE)
    assert {r["principal"] for r in mine["reads"]} == {committee}
    for refused in (SECRETARY, bearer(Role.MEMBER, "LC.VB.VL.VL-TT", world.member("VL-TT"))):
        assert (await service.client.get(READS, headers=refused)).status_code == 403

    # The question is a read of personal data too: logged, with the members it named.
    asked = (await ask(AUDITOR, principal="auditor@province", purpose="audit"))["reads"]
    assert len(asked) == 6  # the six questions above, newest first (this one comes after)
    assert asked[-1]["route"] == f"GET {READS}"
    assert asked[-1]["target"] == f"{READS}?subject={yen_bai_member}&purpose=monthly_meeting"
    assert set(asked[-1]["subjects"]) == set(world.members["TH-A"])
    assert asked[-1]["result_count"] == 1


async def test_a_read_whose_log_entry_cannot_be_written_fails_with_503_and_answers_nothing(
    fresh_database: str, service_nats: str
) -> None:
    """The log's table is locked by another session, so the INSERT waits past the statement
    deadline, as it would on a database that stopped answering; the read's own queries,
    on other tables, have succeeded by then."""
    async with running_service(
        fresh_database, service_nats, db_statement_timeout_seconds=0.5
    ) as service:
        world = await two_provinces(service.client)
        before = await rows(service)
        url = f"/v1/branches/VL-TT/reports/{MONTH}"
        blocker = await asyncpg.connect(asyncpg_url(fresh_database))
        try:
            locked = blocker.transaction()
            await locked.start()
            await blocker.execute("LOCK TABLE personal_data_reads IN ACCESS EXCLUSIVE MODE")
            answer = await service.client.get(url, headers=SECRETARY)
            await locked.rollback()
        finally:
            await blocker.close()
        assert answer.status_code == 503
        assert answer.json()["code"] == "dependency_unavailable"
        assert answer.json()["dependency"] == "database"
        assert not any(member in answer.text for member in world.members["VL-TT"])
        assert await rows(service) == before
        # Once the log can be written again, the same read is answered and logged.
        again = await service.client.get(url, headers=SECRETARY)
        assert again.status_code == 200, again.text
        assert len(await rows(service)) == len(before) + 1
