"""The province's keyring database (CHIBO_KEYRING_DATABASE_URL): by default a service keeps
its data keys in its own database; given the setting, in the one every service shares,
whose outage is answered 503 with Retry-After and marks the keyring down, not the database."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter
from signin import ADMIN, AUDIENCE, AUTH_SETTINGS, ISSUER, SECRET

from chibo_chassis import KernelSettings, load_settings
from chibo_chassis.auth import SharedSecretVerifier
from chibo_chassis.health import Degraded
from chibo_chassis.http import create_app
from chibo_chassis.keyring_database import keyring_check, migrate_keyring, open_keyring
from chibo_chassis.privacy_cli import seal_legacy_rows
from chibo_chassis.runtime import ServiceRuntime
from chibo_kernel.db import create_pool
from chibo_kernel.errors import ConfigurationError
from chibo_kernel.keyring import MasterKey, PostgresKeyring
from chibo_kernel.metrics import KernelMetrics
from chibo_kernel.pool import LeanPool
from chibo_kernel.store import PostgresEventStore
from chibo_tools.embedded import create_database
from chibo_tools.embedded.ports import free_port

from .shredding_support import member, noted, registry
from .support import new_service
from .test_seal_legacy import write_raw

ENV = {"CHIBO_DATABASE_URL": "postgresql://u@127.0.0.1:1/own", "CHIBO_NATS_URL": "nats://x:1"}
KEYS_TABLE = "SELECT to_regclass('data_keys') IS NOT NULL"


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.delenv("CHIBO_KEYRING_DATABASE_URL", raising=False)
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


@pytest.fixture
async def dead_pool() -> AsyncIterator[LeanPool]:
    """A keyring database that is not there: nothing listens on its port."""
    url = f"postgresql://chibo@127.0.0.1:{free_port()}/chibo_keyring"
    pool = await create_pool(url, min_size=0, connect_timeout=1, acquire_timeout=2)
    yield pool
    await pool.close()


def test_by_default_the_keys_live_in_the_services_own_database(
    clean_env: pytest.MonkeyPatch,
) -> None:
    settings = load_settings(KernelSettings)

    assert settings.keyring_database_url is None
    assert settings.keyring_url == ENV["CHIBO_DATABASE_URL"]


def test_the_setting_names_the_provinces_keyring_database(
    clean_env: pytest.MonkeyPatch,
) -> None:
    clean_env.setenv("CHIBO_KEYRING_DATABASE_URL", "postgresql://k@keys:5432/chibo_keyring")
    assert load_settings(KernelSettings).keyring_url == "postgresql://k@keys:5432/chibo_keyring"

    clean_env.setenv("CHIBO_KEYRING_DATABASE_URL", "")  # compose's ${VAR:-}: not set
    assert load_settings(KernelSettings).keyring_url == ENV["CHIBO_DATABASE_URL"]

    clean_env.setenv("CHIBO_KEYRING_DATABASE_URL", "mysql://keys/chibo")
    with pytest.raises(ConfigurationError) as refused:
        load_settings(KernelSettings)
    assert refused.value.variable == "CHIBO_KEYRING_DATABASE_URL"


async def test_without_the_setting_the_keyring_reads_the_services_own_pool(
    kernel_db: str, pool: LeanPool
) -> None:
    settings = KernelSettings(database_url=kernel_db, nats_url="nats://x:1")

    keyring, apart = await open_keyring(settings, pool, MasterKey.generate())

    assert apart is None
    assert keyring.own_database


async def test_each_services_migrate_step_makes_the_keyring_table_once(
    kernel_db: str, pg_admin_url: str
) -> None:
    keys_url = create_database(pg_admin_url, f"keys_{uuid.uuid4().hex[:12]}")
    settings = KernelSettings(
        database_url=kernel_db, nats_url="nats://x:1", keyring_database_url=keys_url
    )

    await asyncio.gather(*(asyncio.to_thread(migrate_keyring, settings) for _ in range(3)))

    keys = await create_pool(keys_url, max_size=1)
    try:
        assert await keys.fetchval(KEYS_TABLE)
    finally:
        await keys.close()


async def test_a_runtime_keeps_its_keys_in_the_keyring_database_and_reads_them_back(
    kernel_db: str, pool: LeanPool, pg_admin_url: str, nats_url: str
) -> None:
    keys_url = create_database(pg_admin_url, f"keys_{uuid.uuid4().hex[:12]}")
    settings = KernelSettings(
        database_url=kernel_db, nats_url=nats_url, keyring_database_url=keys_url, **AUTH_SETTINGS
    )
    await asyncio.to_thread(migrate_keyring, settings)
    runtime = ServiceRuntime(new_service(), settings)
    who = member()
    async with runtime.lifespan():
        await runtime.store.append(f"member_private-{who}", 0, [noted(who)])
        (loaded,) = await runtime.store.load(f"member_private-{who}")
        assert "keyring" in runtime.checks()

    assert loaded.decode(registry) == noted(who)
    assert await pool.fetchval("SELECT count(*) FROM data_keys") == 0
    keys = await create_pool(keys_url, max_size=1)
    try:
        assert await keys.fetchval("SELECT count(*) FROM data_keys WHERE subject_id = $1", who)
    finally:
        await keys.close()


async def test_a_keyring_database_outage_is_answered_503_and_marks_the_keyring_down(
    dead_pool: LeanPool,
) -> None:
    keyring = PostgresKeyring(dead_pool, MasterKey.generate(), own_database=False)
    router = APIRouter()

    @router.get("/v1/keys")
    async def read_a_key() -> None:
        await keyring.for_reading({member()})

    metrics = KernelMetrics()
    app = create_app(
        title="keys",
        version="0",
        metrics=metrics,
        checks={},
        verifier=SharedSecretVerifier(SECRET, issuer=ISSUER, audience=AUDIENCE),
        routers=[router],
    )
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://k", headers=ADMIN) as c:
        response = await c.get("/v1/keys")

    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    body = response.json()
    assert (body["code"], body["dependency"]) == ("dependency_unavailable", "keyring")
    assert "keyring" in body["detail"]
    assert "khóa" in body["detail_vi"]
    assert metrics.dependencies.is_down("keyring")
    assert not metrics.dependencies.is_down("database")


async def test_readiness_reports_a_lost_keyring_database_as_degraded(
    dead_pool: LeanPool,
) -> None:
    metrics = KernelMetrics()

    with pytest.raises(Degraded, match="keyring database is unreachable"):
        await keyring_check(metrics.dependencies, dead_pool)()

    assert metrics.dependencies.is_down("keyring")


async def test_the_privacy_command_seals_legacy_rows_under_the_provinces_keyring(
    kernel_db: str, pool: LeanPool, pg_admin_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    keys_url = create_database(pg_admin_url, f"keys_{uuid.uuid4().hex[:12]}")
    settings = KernelSettings(
        database_url=kernel_db, nats_url="nats://x:1", keyring_database_url=keys_url
    )
    await asyncio.to_thread(migrate_keyring, settings)
    who = member()
    await write_raw(pool, f"member_private-{who}", [noted(who)])

    assert await seal_legacy_rows("assignment", settings, registry, 500) == 0

    assert "1 row(s) sealed" in capsys.readouterr().out
    assert await pool.fetchval("SELECT count(*) FROM data_keys") == 0
    keys = await create_pool(keys_url, max_size=1)
    try:
        keyring = PostgresKeyring(keys, settings.master(), own_database=False)
        store = PostgresEventStore(pool, keyring=keyring)
        (loaded,) = await store.load(f"member_private-{who}")
    finally:
        await keys.close()
    assert loaded.decode(registry) == noted(who)
    assert loaded.metadata["sealed"] == ["card_number", "born", "reason"]
