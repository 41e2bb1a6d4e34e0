"""What members and branches write about people (why a standing changed, what a report or a
review says, what a problem is) stays in the service: the public stream carries version 2
of each event without the text, private streams beside it hold the text, and the service's
own reads show it from there. A problem raised under version 1 is followed up as any other."""

from __future__ import annotations

import json
from datetime import date

from kernel.support import eventually

from assignment.adapters.projection import project
from assignment.domain.events import REGISTRY, ProblemRaised
from chibo_kernel.store import StreamAppend
from chibo_tools.demo.assignment import BRANCH, EXEMPTION_REASON, seed_vo_lao

from .conftest import Service
from .test_vo_lao_http import PATH, post

MONTH = f"/v1/branches/{BRANCH}/reports/2024-03"
SITUATION = "Hộ h001 có người mắc bệnh lao"
PROBLEM = "Hộ h002 có bạo lực gia đình"
COMMENT = "Cần theo dõi sát hộ h001"
NOTE = "Đề nghị xã can thiệp hộ h002"
SUSPENSION = "đang xem xét kỷ luật vì vi phạm"
DEPARTURE = "từ trần do bệnh hiểm nghèo"
OLD = "0123456789abcdef0123456789abcdef"  # a problem raised before version 2


def on_the_wire(service: Service, text: str) -> bool:
    escaped = json.dumps(text)[1:-1].encode()  # as an ASCII-only JSON encoder would write it
    return any(text.encode() in m.data or escaped in m.data for m in service.wire)


async def test_no_text_reaches_the_public_stream_and_the_reads_still_show_it(
    service: Service,
) -> None:
    client, pool = service.client, service.runtime.pool
    seeded = await seed_vo_lao(client)
    assert seeded is not None
    holder, leaver = (a["member_id"] for a in seeded.assignments[:2])
    report = {"member_id": holder, "situation": SITUATION, "submitted_on": "2024-03-28"}
    await post(client, MONTH, {"reports": [{**report, "problems": [PROBLEM]}]})
    review = {"member_id": holder, "evaluation": "good", "comment": COMMENT}
    await post(client, f"{MONTH}/reviews", {"reviewed_on": "2024-04-05", "reviews": [review]})
    (problem,) = (await client.get(MONTH)).json()["open_problems"]
    assert problem["description"] == PROBLEM  # read from the private event
    escalation = {"to_unit_id": "VL", "on": "2024-04-06", "note": NOTE}
    await post(client, f"/v1/problems/{problem['problem_id']}/escalation", escalation)
    suspension = {"from_date": "2024-09-01", "reason": SUSPENSION}
    await post(client, f"/v1/members/{holder}/suspension", suspension)
    await post(client, f"/v1/members/{leaver}/departure", {"on": "2024-10-01", "reason": DEPARTURE})

    published = {
        f"chibo.assignment.{name}.v2"
        for name in [
            "member_exempted",
            "member_suspended",
            "member_left",
            "report_submitted",
            "report_reviewed",
            "problem_raised",
            "problem_escalated",
        ]
    }

    async def all_published() -> bool:
        return published <= {(m.headers or {}).get("ce-type") for m in service.wire}

    await eventually(all_published, timeout=30, what="the version 2 events on NATS")
    for text in (SITUATION, PROBLEM, COMMENT, NOTE, SUSPENSION, DEPARTURE, EXEMPTION_REASON):
        assert not on_the_wire(service, text), text
        stored_publicly = await pool.fetchval(
            "SELECT count(*) FROM events"
            " WHERE NOT metadata ? 'private' AND strpos(data::text, $1) > 0",
            text,
        )
        assert stored_publicly == 0, text

    beside = await pool.fetch(
        "SELECT split_part(stream_id, '-', 1) AS category, event_type,"
        " metadata ? 'private' AS private FROM events"
        " WHERE stream_id LIKE '%\\_private-%' AND stream_id NOT LIKE 'member\\_private-%'"
    )
    assert {(r["category"], r["event_type"].split(".")[2]) for r in beside} == {
        ("area_private", "household_label_recorded"),
        ("member_standing_private", "exemption_reason_recorded"),
        ("member_standing_private", "suspension_reason_recorded"),
        ("member_standing_private", "leaving_reason_recorded"),
        ("reports_private", "report_situation_recorded"),
        ("reports_private", "review_comment_recorded"),
        ("problem_private", "problem_description_recorded"),
        ("problem_private", "escalation_note_recorded"),
    }
    assert all(r["private"] for r in beside)
    comment = await pool.fetchval("SELECT comment FROM reports WHERE member_id = $1", holder)
    assert comment == COMMENT


async def test_a_problem_raised_in_version_1_is_shown_and_followed_up(service: Service) -> None:
    client, store = service.client, service.runtime.store
    seeded = await seed_vo_lao(client)
    assert seeded is not None
    holder = seeded.assignments[0]["member_id"]
    raised = ProblemRaised(
        problem_id=OLD,
        branch_id=BRANCH,
        member_id=holder,
        month="2024-02",
        description="Sạt lở đường liên thôn",
        raised_on=date(2024, 2, 20),
    )
    await store.append_batch(
        [StreamAppend(f"problem-{OLD}", 0, [raised], PATH.split("."))], project=project
    )
    (shown,) = (await client.get(MONTH)).json()["open_problems"]
    assert (shown["problem_id"], shown["description"]) == (OLD, "Sạt lở đường liên thôn")

    escalation = {"to_unit_id": "VL", "on": "2024-03-06", "note": "đề nghị xã hỗ trợ"}
    await post(client, f"/v1/problems/{OLD}/escalation", escalation)
    resolution = {"on": "2024-03-20", "resolution": "đã khắc phục"}
    await post(client, f"/v1/problems/{OLD}/resolution", resolution)

    assert (await client.get(MONTH)).json()["open_problems"] == []
    texts = [r.decode(REGISTRY) for r in await store.load(f"problem_private-{OLD}")]
    assert [(e.short_name(), getattr(e, "member_id", None)) for e in texts] == [
        ("escalation_note_recorded", holder),
        ("problem_resolution_recorded", holder),
    ]
