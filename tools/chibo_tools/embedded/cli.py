"""`chibo-stack up`: run NATS (with a user per service) + Postgres and every installed
service, enter the demo data, print a sign-in token per demo role, and wait for
Ctrl-C/SIGTERM."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from .processes import ManagedProcess, ShutdownRequested, shutdown_on_signals
from .services import RunningService, installed_services, start_service
from .signin import (
    TOKENS_FILE,
    find_demo_member,
    issue_demo_tokens,
    province_admin_token,
    render,
    write_private,
)
from .stack import Stack

_POLL_SECONDS = 0.25


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "up":
        return up(
            args.root,
            args.database_url,
            args.nats_url,
            sync_always=args.sync_always,
            demo=not args.no_demo,
        )
    raise AssertionError(f"unhandled command {args.command!r}")


def up(
    root: Path | None,
    database_url: str | None,
    nats_url: str | None,
    *,
    sync_always: bool = False,
    demo: bool = True,
) -> int:
    if os.environ.get("CHIBO_AUTH_JWKS_URL"):
        # The services would refuse both; the stack's demo tokens need its own secret.
        print(
            "chibo-stack: unset CHIBO_AUTH_JWKS_URL: the embedded stack signs its own demo "
            "tokens and gives the services that secret (CHIBO_AUTH_SHARED_SECRET)",
            file=sys.stderr,
        )
        return 2
    with shutdown_on_signals():
        try:
            with Stack(
                root, database_url, nats_url, sync_always=sync_always, nats_users=True
            ) as stack:
                _migrate(stack)
                _print_summary(stack)
                admin = province_admin_token(stack.auth_secret)
                running = [
                    start_service(stack, name, demo=demo, demo_token=admin)
                    for name in installed_services(stack)
                ]
                for service in running:
                    print(
                        f"# {service.name}: {service.url} (API docs {service.url}/docs)", flush=True
                    )
                _print_tokens(stack, running, admin)
                print("# ready; Ctrl-C or SIGTERM stops everything", flush=True)
                return run_until_signal(stack, [s.process for s in running])
        except ShutdownRequested:
            print("# interrupted during startup; stopped", flush=True)
            return 0


def run_until_signal(stack: Stack, extra_processes: Sequence[ManagedProcess] = ()) -> int:
    """Block until SIGINT/SIGTERM (returns 0) or until a watched process dies (returns 1).

    The hook for launching services: start them after the stack and pass them here. They
    are stopped (newest first) before this returns; the stack is left to its owner.
    Signals arrive as ShutdownRequested under shutdown_on_signals(), else as
    KeyboardInterrupt; both mean a requested stop.
    """
    watched = [*stack.processes, *extra_processes]
    try:
        while True:
            for process in watched:
                if not process.running:
                    print(
                        f"chibo-stack: {process.name} exited unexpectedly with code "
                        f"{process.returncode}; last log lines ({process.log_path}):\n"
                        f"{process.log_tail()}",
                        file=sys.stderr,
                    )
                    return 1
            time.sleep(_POLL_SECONDS)  # a signal interrupts the sleep via the exception
    except (ShutdownRequested, KeyboardInterrupt):
        print("# stopping", flush=True)
        return 0
    finally:
        for process in reversed(extra_processes):
            process.stop()


def _migrate(stack: Stack) -> None:
    """Services not yet installed still get the kernel's tables, as their own role."""
    from chibo_kernel.migrations import (
        upgrade,  # imported late: Alembic is not needed to parse args
    )

    installed = set(installed_services(stack))
    for service in stack.services:
        if service not in installed:
            upgrade(stack.service_database_url(service))


def _print_tokens(stack: Stack, running: Sequence[RunningService], admin_token: str) -> None:
    urls = {service.name: service.url for service in running}
    member = find_demo_member(urls["attendance"], admin_token) if "attendance" in urls else None
    tokens = issue_demo_tokens(stack.auth_secret, member=member)
    path = stack.root / TOKENS_FILE
    text = render(tokens, urls, path)
    write_private(path, text)
    print(text, flush=True)


def _print_summary(stack: Stack) -> None:
    # Everything on stdout is valid shell: the summary is made of comments.
    lines = [f"# chibo stack up in {stack.startup_seconds or 0:.1f}s, state in {stack.root}"]
    if stack.nats is not None:
        lines.append(
            f"# nats-server pid {stack.nats.pid}: {stack.nats.url} "
            f"(monitor {stack.nats.monitor_url}, log {stack.nats.process.log_path})"
        )
        if stack.nats_users:
            lines += [
                "# NATS users of deploy/nats/accounts.conf: each service publishes only its own "
                "subjects, other systems read as `subscriber`, anonymous clients are refused",
                f"# passwords, new at every start: {stack.secrets_path} (mode 0600)",
            ]
    else:
        lines.append(
            f"# NATS (external): {stack.nats_url}; a service signs in as its own user when "
            "NATS_<SERVICE>_PASSWORD is set (as in .env.example), else anonymously"
        )
    if stack.postgres is not None:
        lines.append(
            f"# postgres pid {stack.postgres.pid}: {stack.admin_database_url} "
            f"(log {stack.postgres.log_path})"
        )
    else:
        lines.append("# Postgres (external): databases created via the given admin URL")
    lines += [f"export {key}={shlex.quote(value)}" for key, value in stack.env().items()]
    print("\n".join(lines), flush=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="chibo-stack", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    up_cmd = commands.add_parser("up", help="start NATS + Postgres and wait for Ctrl-C/SIGTERM")
    up_cmd.add_argument(
        "--root",
        type=Path,
        help="state directory, kept afterwards (e.g. .stack); default: a temp dir, removed",
    )
    up_cmd.add_argument(
        "--database-url",
        default=os.environ.get("CHIBO_DATABASE_URL") or None,
        help="admin URL of an existing Postgres to use instead of starting one "
        "(default: $CHIBO_DATABASE_URL)",
    )
    up_cmd.add_argument(
        "--nats-url",
        default=os.environ.get("CHIBO_NATS_URL") or None,
        help="URL of an existing NATS (JetStream) to use instead of starting one "
        "(default: $CHIBO_NATS_URL)",
    )
    up_cmd.add_argument(
        "--sync-always", action="store_true", help="NATS fsyncs every write (slower, safer)"
    )
    up_cmd.add_argument(
        "--no-demo", action="store_true", help="start the services without the seeds' demo data"
    )
    return parser


if __name__ == "__main__":
    sys.exit(main())
