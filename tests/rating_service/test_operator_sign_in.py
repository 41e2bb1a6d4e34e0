"""The rating service's operator tools sign in: `chibo-rating rebuild` against a running
service process (with the embedded stack's secret it signs a province administrator's
token; $CHIBO_TOKEN is used as given; without either it is refused and says so), and the
Văn Bàn generator's command line."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from pathlib import Path

import httpx
import pytest
from kernel.support import eventually
from signin import AUDIENCE, AUTH_ENV, ISSUER, SECRET, token

from chibo_chassis.auth import Role, SharedSecretVerifier
from chibo_tools.districts.van_ban.__main__ import main as van_ban
from chibo_tools.districts.van_ban.cli import signed_token
from chibo_tools.embedded import create_database
from chibo_tools.embedded.ports import free_port
from chibo_tools.embedded.processes import ManagedProcess
from rating.migrations import upgrade

from .conftest import Trio

SCRIPT = Path(sys.executable).parent / "chibo-rating"
# Settings the tools would otherwise pick up from the developer's shell.
SCRUBBED = ("CHIBO_TOKEN", "CHIBO_TOKEN_PROVINCE_ADMIN", "CHIBO_AUTH_SHARED_SECRET")


async def _cli(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    base = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    process = await asyncio.create_subprocess_exec(
        SCRIPT,
        *args,
        env={**base, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


@pytest.mark.timeout(300)
async def test_chibo_rating_rebuild_signs_in(
    trio: Trio, pg_admin_url: str, service_nats: str, tmp_path: Path
) -> None:
    database = create_database(pg_admin_url, f"test_{uuid.uuid4().hex[:16]}")
    await asyncio.to_thread(upgrade, database)  # Alembic runs its own event loop
    port = free_port()
    service_env = {
        "CHIBO_RATING_DATABASE_URL": database,
        "CHIBO_NATS_URL": service_nats,
        "CHIBO_RATING_HTTP_PORT": str(port),
    }
    process = ManagedProcess(
        "rating",
        [SCRIPT, "serve"],
        log_path=tmp_path / "rating.log",
        env={**service_env, **AUTH_ENV},
    )
    process.start()
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:

            async def ready() -> bool:
                try:
                    return (await client.get("/health/ready")).status_code == 200
                except httpx.TransportError:
                    return False

            await eventually(ready, timeout=60, what="the rating process to be ready")

        # The embedded stack's secret: the tool signs its own province administrator's token.
        code, out, err = await _cli({**service_env, **AUTH_ENV}, "rebuild")
        assert code == 0, err
        assert "generation 2 is active" in out

        # A token given as $CHIBO_TOKEN is used as it is: a board may not operate.
        board = token(Role.ORGANISATION_BOARD, "LC.VB")
        code, out, err = await _cli({**service_env, "CHIBO_TOKEN": board}, "rebuild")
        assert code == 1
        assert "403" in err
        admin = token(Role.PROVINCE_ADMIN, "LC")  # operate is not bound to a place
        code, out, err = await _cli({**service_env, "CHIBO_TOKEN": admin}, "rebuild")
        assert code == 0, err
        assert "generation 3 is active" in out

        # Neither: the service refuses, and the tool says why in one line.
        code, out, err = await _cli(service_env, "rebuild")
        assert code == 1
        assert "401" in err
        assert "Traceback" not in err
    finally:
        process.stop()


def test_the_van_ban_generator_needs_a_token(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in SCRUBBED:
        monkeypatch.delenv(name, raising=False)
    urls = ["--assignment", "http://127.0.0.1:9", "--attendance", "http://127.0.0.1:9"]
    assert van_ban([*urls, "--rating", "http://127.0.0.1:9"]) == 2
    assert "sign-in needed" in capsys.readouterr().err


async def test_the_van_ban_generator_signs_a_whole_province_administrator_token() -> None:
    signed = signed_token(AUTH_ENV)
    assert signed is not None
    verifier = SharedSecretVerifier(SECRET, issuer=ISSUER, audience=AUDIENCE)
    principal = await verifier.verify(signed)
    assert (principal.role, principal.scope) == (Role.PROVINCE_ADMIN, ())
    assert signed_token({}) is None
