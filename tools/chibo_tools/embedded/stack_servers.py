"""The servers a Stack starts itself besides its PostgreSQL: NATS (one server, or three
clustered, with the users of deploy/nats/accounts.conf when asked), and in cluster mode
PostgreSQL's synchronous standby, with the URLs that reach whichever server takes writes;
and the stack's secrets file."""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .master_key import VARIABLE as MASTER_KEY_VARIABLE
from .nats import EmbeddedNats
from .nats_cluster import EmbeddedNatsCluster
from .postgres import EmbeddedPostgres
from .postgres_standby import EmbeddedStandby, failover_url, release_standby
from .signin import AUDIENCE, ISSUER, write_private

if TYPE_CHECKING:
    from .stack import Stack

# The users of deploy/nats/accounts.conf; each password comes from NATS_<USER>_PASSWORD.
NATS_ACCOUNTS_CONF = Path(__file__).resolve().parents[3] / "deploy" / "nats" / "accounts.conf"
NATS_USERS = ("assignment", "attendance", "rating", "subscriber", "system")
SECRETS_FILE = "secrets.env"
STANDBY_DIR = "pg-standby"  # under the stack's root, beside the primary's pg/


def nats_password_variable(user: str) -> str:
    return f"NATS_{user.upper().replace('-', '_')}_PASSWORD"


def check_nats_users(services: Iterable[str]) -> None:
    if not NATS_ACCOUNTS_CONF.is_file():
        raise FileNotFoundError(f"NATS accounts not found at {NATS_ACCOUNTS_CONF}")
    unknown = sorted(set(services) - set(NATS_USERS))
    if unknown:
        raise ValueError(f"no NATS user for {unknown} in {NATS_ACCOUNTS_CONF}")


def start_nats(
    stack: Stack, env: Mapping[str, str]
) -> tuple[EmbeddedNats | None, EmbeddedNatsCluster | None]:
    """One nats-server, or three clustered (each fsyncs before it acknowledges), with the
    users of accounts.conf (their passwords in `env`) when the stack asks for them."""
    include = NATS_ACCOUNTS_CONF if stack.nats_users else None
    if stack.cluster:
        nodes = EmbeddedNatsCluster(
            stack.root / "nats-cluster", include=include, env=dict(env) or None
        )
        nodes.start()
        return None, nodes
    server = EmbeddedNats(
        stack.root / "nats",
        stack.ports.get("nats"),
        sync_always=stack.sync_always,
        monitor_port=stack.ports.get("nats-monitor"),
        include=include,
        env=dict(env) or None,
    )
    server.start()
    return server, None


def start_standby(primary: EmbeddedPostgres, root: Path, cluster: bool) -> EmbeddedStandby | None:
    """In cluster mode the primary's synchronous standby, copied from it the first time
    and streaming again from where it stopped at later starts; else None, and a standby
    an earlier cluster run left in root is let go, so that no commit waits for it."""
    data_dir = root / STANDBY_DIR / "data"
    if not cluster:
        if data_dir.parent.exists():
            release_standby(primary.admin_url())
            shutil.rmtree(data_dir.parent)
        return None
    if data_dir.exists() and not (data_dir / "standby.signal").exists():
        shutil.rmtree(data_dir)  # promoted once: a primary of its own, copied afresh
    standby = EmbeddedStandby(primary, data_dir)
    standby.start()
    return standby


def reachable_urls(
    urls: Mapping[str, str], servers: list[EmbeddedPostgres | None]
) -> dict[str, str]:
    """With a standby, each URL over the primary and the standby, to the one that takes
    writes (`target_session_attrs=read-write`): a promoted standby serves the same URL."""
    running = [server for server in servers if server is not None]
    if len(running) < 2:
        return dict(urls)
    return {name: failover_url(url, running) for name, url in urls.items()}


def postgres_summary(stack: Stack) -> list[str]:
    """`chibo-stack up`'s lines about its own PostgreSQL server(s)."""
    primary = stack.postgres
    assert primary is not None
    lines = [f"# postgres pid {primary.pid}: {primary.admin_url()} (log {primary.log_path})"]
    standby = stack.postgres_standby
    if standby is not None:
        lines.append(
            f"# its synchronous standby pid {standby.pid}: {standby.admin_url()} (log "
            f"{standby.log_path}); each database URL names both, to the one taking writes"
        )
    return lines


def signin_env(stack: Stack) -> dict[str, str]:
    """What a service verifies the stack's tokens with, and its master key."""
    return {
        "CHIBO_AUTH_SHARED_SECRET": stack.auth_secret,
        "CHIBO_AUTH_ISSUER": ISSUER,
        "CHIBO_AUTH_AUDIENCE": AUDIENCE,
        "CHIBO_MASTER_KEY": stack.master_key,
    }


def write_secrets(stack: Stack, nats_env: Mapping[str, str]) -> None:
    """The stack's secrets as shell assignments (mode 0600), rewritten at every start."""
    lines = [
        "# The chibo stack's secrets, new at every start (`. this-file` sets them).",
        *(f"{variable}={password}" for variable, password in nats_env.items()),
        f"CHIBO_AUTH_SHARED_SECRET={stack.auth_secret}",
        f"CHIBO_AUTH_ISSUER={ISSUER}",
        f"CHIBO_AUTH_AUDIENCE={AUDIENCE}",
        f"CHIBO_WEB_SESSION_SECRET={stack.web_session_secret}",
        f"# reused while this root lives ({stack.master_key_source})",
        f"{MASTER_KEY_VARIABLE}={stack.master_key}",
    ]
    write_private(stack.secrets_path, "\n".join(lines))
