"""Issue 7: every command endpoint (POST route) of every service against the hostile cases
the issue lists, each put into an otherwise valid request so that it reaches the domain:
never a 5xx, every 4xx a bilingual problem, nothing changed by a refused request, and
principals of other organisations refused with 403."""

from __future__ import annotations

import pytest

from .attack import Attack
from .harness import System
from .seeds import Seeds

RANDOM_EXAMPLES = {"assignment": 12, "attendance": 80, "rating": 140}  # per route
MINIMUM = 1000
SYSTEMS = {
    "assignment": "assignment_system",
    "attendance": "attendance_system",
    "rating": "full_system",
}


@pytest.mark.timeout(900)
@pytest.mark.parametrize("service", list(SYSTEMS))
def test_commands_under_hostile_input(
    service: str, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    system, seeds = request.getfixturevalue(SYSTEMS[service])
    assert isinstance(system, System)
    assert isinstance(seeds, Seeds)
    attack = Attack(system, seeds, service, RANDOM_EXAMPLES[service])
    tally = attack.run()
    with capsys.disabled():
        print("\n" + attack.report())
    assert not tally.findings, "\n".join(tally.failures)
    assert tally.server_errors == 0
    assert tally.tried >= MINIMUM
    assert not system.healthy(service)
