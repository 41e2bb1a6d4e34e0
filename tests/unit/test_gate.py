"""The ordering gate, exhaustively over small versions."""

from __future__ import annotations

import itertools

import pytest

from chibo_kernel.consumer.gate import Verdict, judge


@pytest.mark.parametrize(
    ("version", "last", "parked", "waiting", "final", "verdict"),
    [
        (1, 0, False, False, False, Verdict.APPLY),
        (5, 4, False, False, True, Verdict.APPLY),
        (3, 4, False, False, False, Verdict.DUPLICATE),
        (4, 4, True, True, True, Verdict.DUPLICATE),
        (6, 4, False, False, False, Verdict.WAIT),
        (6, 4, False, False, True, Verdict.PARK),
        (5, 4, False, True, False, Verdict.WAIT),
        (5, 4, True, False, False, Verdict.PARK),
    ],
)
def test_verdicts(
    version: int, last: int, parked: bool, waiting: bool, final: bool, verdict: Verdict
) -> None:
    judgement = judge(
        version=version,
        last_applied=last,
        aggregate_parked=parked,
        aggregate_waiting=waiting,
        final_delivery=final,
    )
    assert judgement.verdict is verdict


def test_only_the_next_version_of_a_clear_aggregate_is_ever_applied() -> None:
    for version, last, parked, waiting, final in itertools.product(
        range(6), range(6), (False, True), (False, True), (False, True)
    ):
        verdict = judge(
            version=version,
            last_applied=last,
            aggregate_parked=parked,
            aggregate_waiting=waiting,
            final_delivery=final,
        ).verdict
        applies = version == last + 1 and not parked and not waiting
        assert (verdict is Verdict.APPLY) == applies
        assert (verdict is Verdict.DUPLICATE) == (version <= last)
        if verdict is Verdict.WAIT:
            assert not final, "the last delivery must park, never wait for a redelivery"
