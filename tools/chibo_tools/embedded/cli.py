"""`chibo-stack up`: run NATS (with a user per service) + Postgres and every installed
service, enter the demo data, start the web app over them, print a sign-in token per demo
role, and keep them all running (a child that dies is restarted) until Ctrl-C/SIGTERM."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

from .port_plan import plan_ports
from .processes import ShutdownRequested, StartupError, shutdown_on_signals
from .services import (
    WEB,
    RunningService,
    enter_demo,
    installed_services,
    start_services,
    start_web,
    web_installed,
)
from .signin import (
    TOKENS_FILE,
    find_demo_member,
    issue_demo_tokens,
    province_admin_token,
    render,
    write_private,
)
from .stack import KEYRING, Stack
from .stack_servers import postgres_summary
from .supervisor import Child, supervise

SUBSCRIBER_FILE = "subscriber.env"


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "up":
        return up(
            args.root,
            args.database_url,
            args.nats_url,
            sync_always=args.sync_always,
            demo=not args.no_demo,
            port=args.port,
            cluster=args.cluster,
        )
    raise AssertionError(f"unhandled command {args.command!r}")


def up(
    root: Path | None,
    database_url: str | None,
    nats_url: str | None,
    *,
    sync_always: bool = False,
    demo: bool = True,
    port: int | None = None,
    cluster: bool = False,
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
            ports = plan_ports(root, port)
            web = web_installed()
            if web:  # first, while everything starts: where a person goes once it is ready
                print(f"# open {_app_address(ports)} — chibo (đăng nhập / sign in)", flush=True)
            with Stack(
                root,
                database_url,
                nats_url,
                sync_always=sync_always,
                nats_users=True,
                ports=ports,
                cluster=cluster,
            ) as stack:
                _migrate(stack)
                _print_summary(stack)
                admin = province_admin_token(stack.auth_secret)
                apis = start_services(stack, installed_services(stack), ports)
                for service in apis if demo else ():
                    enter_demo(service, admin)  # in order: each builds on the ones before
                running = [*apis, start_web(stack, apis, ports[WEB])] if web else apis
                for service in apis:
                    print(
                        f"# {service.name}: {service.url} (API docs {service.url}/docs)", flush=True
                    )
                if web:
                    app = running[-1].url
                    print(f"# {WEB}: {app} (the app: sign in with a demo role)", flush=True)
                _print_tokens(stack, apis, admin)
                opened = f"; open {_app_address(ports)}" if web else ""
                print(f"# ready{opened}; Ctrl-C or SIGTERM stops everything", flush=True)
                return supervise_until_signal(stack, running)
        except ShutdownRequested:
            print("# interrupted during startup; stopped", flush=True)
            return 0
        except StartupError as exc:
            print(f"chibo-stack: {exc}", file=sys.stderr, flush=True)
            return 1


def supervise_until_signal(stack: Stack, services: Sequence[RunningService]) -> int:
    """Restart whichever child dies (servers on their ports and data, services on their
    ports) until SIGINT/SIGTERM (returns 0) or until one keeps failing (returns 1). The
    services are stopped (newest first) before this returns; the stack is left to its owner.
    """
    servers = [s for s in (stack.nats, stack.postgres, stack.postgres_standby) if s is not None]
    children = [Child(server.process.name, server.process, server.start) for server in servers]
    nodes = stack.nats_cluster.nodes if stack.nats_cluster is not None else []
    children += [Child(node.name, node.process, node.start) for node in nodes]
    children += [Child(s.name, s.process, s.start_again) for s in services]
    try:
        return supervise(children)
    finally:
        for service in reversed(services):
            service.process.stop()


def _migrate(stack: Stack) -> None:
    """Services not yet installed still get the kernel's tables, as their own role; the
    keyring database its table (each service's `migrate` makes sure of it again)."""
    from chibo_kernel.keyring.schema import ensure_keyring_table_now
    from chibo_kernel.migrations import (
        upgrade,  # imported late: Alembic is not needed to parse args
    )

    ensure_keyring_table_now(stack.service_database_url(KEYRING))
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


def _app_address(ports: dict[str, int]) -> str:
    return f"http://127.0.0.1:{ports[WEB]}/"


def _print_summary(stack: Stack) -> None:
    # Everything on stdout is valid shell: the summary is made of comments.
    lines = [f"# chibo stack up in {stack.startup_seconds or 0:.1f}s, state in {stack.root}"]
    servers = [stack.nats] if stack.nats is not None else []
    if stack.nats_cluster is not None:
        servers = list(stack.nats_cluster.nodes)
        lines.append("# NATS cluster of three (JetStream R3 streams, fsync before every ack):")
    for server in servers:
        lines.append(
            f"# nats-server pid {server.pid}: {server.url} "
            f"(monitor {server.monitor_url}, log {server.process.log_path})"
        )
    if servers:
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
        lines += postgres_summary(stack)
    else:
        lines.append("# Postgres (external): databases created via the given admin URL")
    lines.append(
        f"# master key (CHIBO_MASTER_KEY) from {stack.master_key_source}, reused at every "
        "start: the services' encrypted personal data cannot be read without it"
    )
    lines += [f"export {key}={shlex.quote(value)}" for key, value in stack.env().items()]
    subscriber = _write_subscriber_env(stack)
    if subscriber is not None:
        lines.append(f"# another system reading the events: `set -a; . {subscriber}; set +a`")
    print("\n".join(lines), flush=True)


def _write_subscriber_env(stack: Stack) -> Path | None:
    """What examples/subscriber.py and another system need to read the streams as the
    `subscriber` user: the URL, the user and its password (mode 0600)."""
    credentials = stack.nats_credentials("subscriber")
    if credentials is None:
        return None
    user, password = credentials
    path = stack.root / SUBSCRIBER_FILE
    lines = [
        "# Reading chibo's events as `subscriber` (docs/events/README.md); new at every start.",
        f"CHIBO_NATS_URL={stack.nats_url}",
        f"CHIBO_NATS_USER={user}",
        f"CHIBO_NATS_PASSWORD={password}",
    ]
    write_private(path, "\n".join(lines))
    return path


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
        "--port",
        type=int,
        metavar="BASE",
        help="serve on BASE, BASE+1, … (web, assignment, attendance, rating, NATS, NATS "
        "monitor, PostgreSQL); default: free ports, kept in --root for its later runs",
    )
    up_cmd.add_argument(
        "--sync-always", action="store_true", help="NATS fsyncs every write (slower, safer)"
    )
    up_cmd.add_argument(
        "--cluster",
        action="store_true",
        help="three clustered nats-servers (streams of three replicas, fsync on every "
        "write), and PostgreSQL with a synchronous standby the database URLs also name",
    )
    up_cmd.add_argument(
        "--no-demo", action="store_true", help="start the services without the seeds' demo data"
    )
    return parser


if __name__ == "__main__":
    sys.exit(main())
