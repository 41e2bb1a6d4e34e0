"""Traces flow from a consumed event into what its handler does and logs."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest
import structlog

from chibo_kernel import Envelope, ReceivedEvent, current_trace, traced
from chibo_kernel.consumer.received import handling
from chibo_kernel.logging import configure_logging, get_logger


def received() -> ReceivedEvent:
    envelope = Envelope(
        id=uuid.uuid4(),
        source="/chibo/attendance",
        type="chibo.attendance.attendance_recorded.v1",
        time=datetime.now(UTC),
        subject="meeting-1",
        stream_version=2,
        correlation_id="request-77",
        causation_id=None,
        data=b"{}",
    )
    return ReceivedEvent(envelope, None, stream_seq=9, deliveries=1)


def test_a_handler_runs_in_the_trace_of_the_event_it_handles() -> None:
    event = received()
    with handling(event):
        trace = current_trace()
    assert trace.correlation_id == "request-77"
    assert trace.causation_id == str(event.envelope.id)


def test_without_a_trace_each_call_gets_a_fresh_correlation_id() -> None:
    assert current_trace().correlation_id != current_trace().correlation_id


def test_log_lines_are_json_with_service_correlation_and_event_ids(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("attendance", "INFO")
    event = received()
    try:
        with traced("request-77"), handling(event):
            get_logger("test").info("meeting recorded", branch="b7")
        line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    finally:
        structlog.reset_defaults()
        structlog.contextvars.clear_contextvars()
    assert line["event"] == "meeting recorded"
    assert line["service"] == "attendance"
    assert line["correlation_id"] == "request-77"
    assert line["causation_id"] == str(event.envelope.id)
    assert line["event_id"] == str(event.envelope.id)
    assert line["level"] == "info"
    assert line["branch"] == "b7"
