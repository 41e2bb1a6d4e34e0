"""The probes themselves: each kind of leak, put on a real JetStream stream or in a log file,
is found, in whatever form it travels (a header, `\\u` escapes, decomposed Vietnamese, other
case), and what only looks like one is not. A probe that cannot fail proves nothing."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Annotated, ClassVar

import nats
from pydantic import BaseModel, ConfigDict

from chibo_kernel.events import DomainEvent
from chibo_kernel.privacy import IDENTIFIER, SENSITIVE

from .hostile_runs import stored_needles
from .logs import scan_logs
from .probe import Needle, Needles, Report, probe
from .streams import read_every_stream

REASON = "ốm, nằm viện"
NEEDLES = Needles(
    [
        Needle("absence reason", REASON),
        Needle("short absence reason", "ốm"),
        Needle("card number", "9900012"),
        Needle("member's name", "Đảng viên 05"),
    ]
)


class Mark(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    member_id: Annotated[str, IDENTIFIER]
    reason: Annotated[str | None, SENSITIVE] = None


class SheetRecorded(DomainEvent):
    event_type: ClassVar[str] = "chibo.probe.sheet_recorded.v1"
    place: str
    marks: list[Mark]


class SheetNoteRecorded(DomainEvent):
    event_type: ClassVar[str] = "chibo.probe.sheet_note_recorded.v1"
    published: ClassVar[bool] = False
    note: str


class PlaceSet(DomainEvent):
    event_type: ClassVar[str] = "chibo.probe.place_set.v1"
    place: str


MODELS: dict[str, type[DomainEvent]] = {
    m.event_type: m for m in (SheetRecorded, SheetNoteRecorded, PlaceSet)
}


async def test_every_kind_of_leak_on_a_stream_is_found_and_look_alikes_are_not(
    service_nats: str,
) -> None:
    nc = await nats.connect(service_nats)
    try:
        js = nc.jetstream()
        await js.add_stream(name="CHIBO_PROBE", subjects=["chibo.probe.>"])
        await js.add_stream(name="OTHER", subjects=["other.>"])
        sent = [
            ("chibo.probe.a", PlaceSet.event_type, {"place": "Nhà văn hóa"}, {}),  # clean
            ("chibo.probe.b", SheetRecorded.event_type, {"place": "x", "marks": []}, {}),
            ("chibo.probe.c", SheetNoteRecorded.event_type, {"note": "n"}, {}),
            # Values no field declares: escaped, decomposed, in other case, in a header.
            ("chibo.probe.d", PlaceSet.event_type, {"place": REASON.upper()}, {}),
            ("chibo.probe.e", PlaceSet.event_type, {"place": "h"}, {"x-why": REASON}),
            ("other.f", "", {"card_number": "123", "n": "ốm"}, {}),
            # Look-alikes: a short value inside a sentence, a card number inside a number.
            ("chibo.probe.g", PlaceSet.event_type, {"place": "nghỉ ốm đau 199000123"}, {}),
        ]
        for subject, event_type, body, headers in sent:
            text = json.dumps(body)  # ensure_ascii: every Vietnamese letter escaped
            if subject == "chibo.probe.d":
                text = unicodedata.normalize("NFD", json.dumps(body, ensure_ascii=False))
            data = text.encode()
            await js.publish(subject, data, headers={"ce-type": event_type, **headers})
        streams = await read_every_stream(nc)
    finally:
        await nc.close()

    report = probe(Report("probe of the probe"), streams, MODELS, NEEDLES)

    assert (report.messages, report.judged) == (7, 7)
    # One line per kind of leak and event type, with the first message and a count.
    assert sorted(_found(report)) == [
        ("SENSITIVE field", "chibo.probe.b", "marks[].reason (empty)", 1),
        ("card number or birth date", "other.f", "key 'card_number'", 1),
        ("private event on a public stream", "chibo.probe.c", "", 1),
        ("sensitive value", "chibo.probe.d", f"absence reason: {REASON!r}", 2),  # and e
        ("sensitive value", "other.f", "short absence reason: 'ốm'", 1),
        ("unknown event type", "other.f", "(its marks cannot be checked)", 1),
    ]


def test_values_a_hostile_run_stored_only_in_sensitive_or_identity_fields_are_looked_for() -> None:
    sheet, place = SheetRecorded.event_type, PlaceSet.event_type
    stored = [
        (sheet, {"place": "h", "marks": [{"member_id": "m1", "reason": "Ốm nặng"}]}),
        (sheet, {"place": "h", "marks": [{"member_id": "m2", "reason": "'; DROP TABLE x"}]}),
        (sheet, {"place": "h", "marks": [{"member_id": "m3", "reason": "m3"}]}),  # a token
        (place, {"place": "'; DROP TABLE x"}),  # the same sweep value, where it may go out
        (sheet, {"place": "h", "marks": [{"member_id": "m4", "reason": "2025-03-05T19:30:00"}]}),
        (place, {"place": "2025-03-05T19:30:00+07:00"}),  # within a value that may go out
        ("chibo.probe.identity_recorded.v1", {"card_number": "8800001", "on": "1970-01-01"}),
        ("chibo.probe.identity_recorded.v1", {"birth_date": "1970-01-01"}),
    ]

    needles = stored_needles(stored, MODELS)

    assert sorted((n.label, n.value) for n in needles) == [
        ("chibo.probe.identity_recorded.v1 card_number (stored)", "8800001"),
        ("chibo.probe.sheet_recorded.v1 marks[].reason (stored)", "Ốm nặng"),
    ]


def test_a_log_line_naming_a_member_is_found_however_it_is_escaped(tmp_path: Path) -> None:
    log = tmp_path / "service.log"
    lines = [
        json.dumps({"event": "member registered", "member_id": "0c21e011"}),  # an id: fine
        json.dumps({"event": "member registered", "full_name": "Đảng viên 05"}),
        "# a member: ĐẢNG VIÊN 05, member id 0c21e011",
        json.dumps({"event": "import", "row": {"birth_date": "1975-03-08"}}),
        "card 99000123 is another number",
    ]
    log.write_text("\n".join(lines) + "\n")

    scan = scan_logs("scan of the scan", [log], NEEDLES)

    assert scan.lines == 5
    assert [finding.split(" ", 1)[0] for finding in scan.findings] == [
        "service.log:2:",
        "service.log:3:",
        "service.log:4:",
    ]


def _found(report: Report) -> list[tuple[str, str, str, int]]:
    return [
        (f.kind, f.where.split()[-1], f.what, report.counts[key])
        for key, f in report.findings.items()
    ]
