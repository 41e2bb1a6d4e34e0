"""Two instances of every service on one database and one NATS, under a load of real
commands spread over both: kill -9 the instances holding the relay leases and the others
publish within 5 s, with nothing lost or doubled; kill -9 the rating instance filling a
rebuilt generation and the other completes the rebuild, its read models exact."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator

import pytest
from chaos.load import GIVE_UP_AFTER, Command, mixed_load, registration
from chaos.reconcile import Row, reconcile
from chaos.scenario import UNITS, Chaos, in_read_models
from rating_service.dump import differences, dump_read_models
from security.harness import RunningService

from .rebuilt import applied, base_of, derived, ok, state, version_problems
from .twins import BalancedLoad, TwinSystem, twin_system

COMMANDS = 240
RATED_MEMBERS = 12  # members whose self-assessments send rating's own commands in the load
TAKEOVER_LIMIT = 5.0
PUBLISHED = "chibo_relay_published_total"
ENV = {
    # Dropped soon after a switch, so the reconciliation sees only the serving consumers;
    # small batches, so a rebuild is long enough to be interrupted half-way.
    "rating": {"CHIBO_READ_MODEL_RETIRE_SECONDS": "2", "CHIBO_CONSUMER_BATCH_SIZE": "32"},
}


@pytest.fixture(scope="module")
def chaos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chaos]:
    with twin_system(tmp_path_factory.mktemp("twins"), ENV) as system:
        chaos = Chaos(system)
        for unit in UNITS:
            chaos.create_unit(*unit)
        yield chaos


def twins(chaos: Chaos) -> TwinSystem:
    assert isinstance(chaos.system, TwinSystem)
    return chaos.system


def self_assessment(member: str) -> Command:
    body = {
        **{"general_points": 27, "task_points": 60, "level": "good"},
        **{"tasks_total": 4, "tasks_on_time": 4, "tasks_exceeded": 0},
    }
    path = f"/v1/members/{member}/ratings/2025/self-assessment"
    return Command("rating", "self-assessment", path, body, marker="")


def rated_members(chaos: Chaos, branch: str) -> list[str]:
    """Members in rating's facts, so that rating's own commands can be sent about them."""
    system = chaos.system
    members = [
        system.ok("assignment", "POST", "/v1/members", json=registration(branch, "rated").body)
        for _ in range(RATED_MEMBERS)
    ]
    ids = [str(m["member_id"]) for m in members]
    system.eventually(
        lambda: all(in_read_models(system, m) for m in ids), timeout=60, what="rated members"
    )
    return ids


def steady_load(branch: str, members: list[str]) -> list[Command]:
    """The chaos runs' mix (registrations, meetings, households) with a self-assessment
    every few commands: each service's relay has something to publish throughout."""
    commands = mixed_load(branch, "twins", COMMANDS)
    every = COMMANDS // len(members)
    for n, member in enumerate(members):
        commands.insert(n * (every + 1) + every // 2, self_assessment(member))
    return commands


def first_publishes(
    system: TwinSystem, struck: dict[str, tuple[RunningService, float, float]]
) -> dict[str, float]:
    """Per service, seconds from the kill until the surviving instance's relay counted its
    first publish (its counter past its value before the kill)."""
    found: dict[str, float] = {}
    deadline = time.monotonic() + 3 * TAKEOVER_LIMIT
    while len(found) < len(struck) and time.monotonic() < deadline:
        for service, (survivor, before, killed_at) in struck.items():
            if service not in found and (system.metric(survivor, PUBLISHED) or 0) > before:
                found[service] = time.monotonic() - killed_at
        time.sleep(0.02)  # a poll's pace, not a wait for anything
    return found


def test_the_relay_lease_moves_to_the_other_instance_within_5_s_losing_and_doubling_nothing(
    chaos: Chaos,
) -> None:
    system = twins(chaos)
    branch = chaos.new_branch()
    members = rated_members(chaos, branch)
    holders = {s: system.relay_holder(s) for s in system.names}
    assert all(holders.values()), holders
    leaders = {s: h for s, h in holders.items() if h is not None}
    followers = {s: system.other(h) for s, h in leaders.items()}
    # Exactly one relay per service publishes: the follower has published nothing.
    assert {s: system.metric(f, PUBLISHED) for s, f in followers.items()} == dict.fromkeys(
        system.names, 0.0
    )

    load = BalancedLoad(system, steady_load(branch, members))
    load.start()
    system.eventually(lambda: load.done >= COMMANDS // 3, timeout=120, what="a third of the load")
    baseline = {s: system.metric(f, PUBLISHED) or 0.0 for s, f in followers.items()}
    struck = {s: (followers[s], baseline[s], system.kill(h)) for s, h in leaders.items()}
    takeover = first_publishes(system, struck)
    system.restart(list(leaders.values()))  # as a supervisor would
    load.wait(GIVE_UP_AFTER * 2)
    chaos.settle()
    row = Row("kill -9 each relay lease holder")
    reconcile(system, row, load.outcomes)
    row.recovery = max(takeover.values(), default=float("inf"))
    row.notes.append(", ".join(f"{s} {t:.2f} s" for s, t in takeover.items()))
    after = {s: system.relay_holder(s) for s in system.names}
    row.notes.append(f"lease holders now {', '.join(h.name for h in after.values() if h)}")
    if load.retries:
        row.notes.append("retried: " + ", ".join(f"{k}×{n}" for k, n in load.retries.items()))
    print_table("two instances each, the relay lease holders killed under load", [row])
    print_takeovers(leaders, followers, takeover, load.sent)

    assert all(load.sent[i] > 0 for i in system.instances), load.sent
    assert set(takeover) == set(system.names), f"no publish by the survivor: {takeover}"
    assert max(takeover.values()) <= TAKEOVER_LIMIT, takeover
    assert after == followers  # the restarted instances wait: one relay publishes
    assert row.acknowledged == len(load.outcomes), [o.refusal for o in load.outcomes]
    assert (row.lost, row.duplicated, row.problems) == (0, 0, []), row.problems[:20]
    assert row.stored == row.streamed == row.projected == row.acknowledged
    assert load.server_errors == []


def test_a_rebuild_whose_instance_is_killed_completes_on_the_other_with_exact_read_models(
    chaos: Chaos,
) -> None:
    system = twins(chaos)
    rating = system.twins_of("rating")
    chaos.settle()
    system.eventually(lambda: all(derived(system, i) for i in rating), what="derivation done")
    before = system.run(dump_read_models(system.services["rating"].database_url))
    asked = ok(system, rating[1], "POST", "/v1/admin/read-models/rebuild")
    generation = int(asked["requested"])
    base = base_of(system, generation)
    lease = f"chibo-consumer:{base}"

    def filling() -> RunningService | None:
        """The instance filling the generation, once it has committed a batch."""
        holder = system.holder("rating", lease)
        return holder if holder is not None and applied(system, base) > 0 else None

    system.eventually(lambda: filling() is not None, timeout=30, what="the rebuild under way")
    doing = filling()
    assert doing is not None
    killed_at = system.kill(doing)
    applied_at_kill, state_at_kill = applied(system, base), state(system, generation)
    survivor = system.other(doing)
    system.eventually(
        lambda: state(system, generation) == "active", timeout=90, what="the rebuild switched in"
    )
    completed = time.monotonic() - killed_at
    led_by = system.holder("rating", lease)
    system.restart([doing])
    system.eventually(
        lambda: state(system, generation - 1) == "dropped", timeout=60, what="the old one dropped"
    )
    chaos.settle()
    system.eventually(lambda: all(derived(system, i) for i in rating), what="derivation done")
    changed = differences(system.run(dump_read_models(survivor.database_url)), before)
    unequal = version_problems(system, base)
    parked = system.fetchval("rating", "SELECT count(*) FROM parked_messages")
    print(
        "\nrating rebuild, the instance filling it killed\n"
        f"{'killed':<10} {'generation':>10} {'state':>9} {'applied':>8} {'switched s':>11} "
        f"{'finished by':<12} {'tables differing':>16} {'aggregates behind':>17} {'parked':>6}\n"
        f"{doing.name:<10} {generation:>10} {state_at_kill:>9} {applied_at_kill:>8} "
        f"{completed:>11.2f} {led_by.name if led_by else '-':<12} {len(changed):>16} "
        f"{len(unequal):>17} {parked:>6}"
    )

    assert state_at_kill == "building"
    assert led_by is survivor
    assert changed == {}
    assert unequal == []
    assert parked == 0


def print_table(title: str, rows: list[Row]) -> None:
    head = (
        f"{'experiment':<44} {'ack':>5} {'stored':>6} {'streamed':>8} {'projected':>9} "
        f"{'lost':>4} {'dup':>4} {'recovery s':>10}  notes"
    )
    print(f"\n{title}\n{head}\n{'-' * len(head)}")
    for r in rows:
        print(
            f"{r.fault:<44} {r.acknowledged:>5} {r.stored:>6} {r.streamed:>8} "
            f"{r.projected:>9} {r.lost:>4} {r.duplicated:>4} {r.recovery:>10.2f}  "
            + "; ".join(r.notes)
        )
        for problem in r.problems[:5]:
            print(f"    ! {problem}")


def print_takeovers(
    leaders: dict[str, RunningService],
    followers: dict[str, RunningService],
    takeover: dict[str, float],
    sent: Counter[str],
) -> None:
    print(
        f"{'service':<12} {'lease holder killed':<20} {'took over':<14} {'first publish':>14}  sent"
    )
    for service, leader in leaders.items():
        seconds, other = takeover.get(service), followers[service]
        shown = f"{seconds:.2f} s" if seconds is not None else "never"
        spread = f"{leader.name} {sent[leader.name]}, {other.name} {sent[other.name]}"
        print(f"{service:<12} {leader.name:<20} {other.name:<14} {shown:>14}  {spread}")
