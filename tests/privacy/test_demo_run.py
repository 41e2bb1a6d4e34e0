"""The session's `./chibo up` demo run (`demo_up`), read as an outsider would: every message
its streams hold, as the read-only `subscriber` user reads them, then, with the stack
stopped, every line it logged, the web app's too. Neither may carry a sensitive value (the
demo's, or what the browser tests typed into the web app on the same run), a card number or
a birth date (nor, in the logs, a member's name). The collection hook in tests/conftest.py
runs this module right after tests/embedded/test_cli_up.py, which shares the run."""

from __future__ import annotations

import pytest
from demo_stack import Up

from . import demo_values
from .logs import scan_logs
from .marks import registries
from .probe import Needles, Report, probe
from .streams import read_every_stream

SERVICE_STREAMS = {"CHIBO_ASSIGNMENT", "CHIBO_ATTENDANCE", "CHIBO_RATING"}


async def test_no_stream_of_the_demo_carries_sensitive_data_card_numbers_or_birth_dates(
    demo_up: Up, capsys: pytest.CaptureFixture[str]
) -> None:
    report = Report("stream probe: the ./chibo up demo")
    reader = await demo_up.connect("subscriber")
    try:
        streams = await read_every_stream(reader)
    finally:
        await reader.close()
    needles = Needles(
        [*demo_values.sensitive(), *demo_values.typed_in_the_browser(), *demo_values.identities()]
    )
    probe(report, streams, registries(), needles)
    with capsys.disabled():
        print("\n" + report.summary())

    assert {name for name, _ in report.streams} >= SERVICE_STREAMS
    assert all(n > 0 for name, n in report.streams if name in SERVICE_STREAMS)
    assert report.judged == report.messages
    assert not report.findings, "\n".join(report.failures())


def test_the_demo_runs_logs_name_no_member_and_carry_no_personal_data(
    demo_up: Up, capsys: pytest.CaptureFixture[str]
) -> None:
    demo_up.stop()  # the logs whole: the shutdown's lines too
    services = sorted(demo_up.root.glob("*.log"))
    servers = sorted(demo_up.root.glob("*/*.log"))  # nats/nats.log, pg/postgres.log
    needles = Needles(
        [
            *demo_values.names(),
            *demo_values.identities(),
            *demo_values.sensitive(),
            *demo_values.typed_in_the_browser(),
        ]
    )
    scan = scan_logs(
        "log scan: the ./chibo up demo",
        [demo_up.stdout, demo_up.stderr, *services, *servers],
        needles,
    )
    with capsys.disabled():
        print("\n" + scan.summary())

    assert {p.name for p in services} >= {f"{s.split('_')[1].lower()}.log" for s in SERVICE_STREAMS}
    assert {p.name for p in servers} == {"nats.log", "postgres.log"}
    assert not scan.findings, "\n".join(scan.findings)
