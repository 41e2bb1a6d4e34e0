"""`./chibo up` (the chibo-stack script) as a newcomer runs it: real nats-server, postgres and
services, the demo data, NATS users and sign-in tokens. The session's one demo run
(`demo_up`, tests/demo_stack.py) serves the module, then tests/privacy's probes; stopping it
with SIGTERM is checked when they are done with it."""

from __future__ import annotations

import asyncio
import json
import re
import shlex
import stat
import subprocess
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any

import asyncpg
import nats
import pytest
from demo_stack import Up
from nats.aio.client import Client as NATS
from nats.errors import Error as NatsError

from chibo_chassis.auth import ROLES, Role, SharedSecretVerifier
from chibo_tools.embedded import DEFAULT_SERVICES
from chibo_tools.embedded.postgres import answers

_http = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only

# What each demo role's token is scoped to (the seeds' Võ Lao units).
EXPECTED_SCOPES = {
    Role.PROVINCE_ADMIN: (),
    Role.ORGANISATION_BOARD: ("LC", "VB"),
    Role.GRASSROOTS_COMMITTEE: ("LC", "VB", "VL"),
    Role.BRANCH_SECRETARY: ("LC", "VB", "VL", "VL-TT"),
    Role.MEMBER: ("LC", "VB", "VL", "VL-TT"),
    Role.AUDITOR: ("LC",),
}


def _get(url: str, token: str) -> tuple[int, Any]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with _http.open(request, timeout=10) as response:
        return response.status, json.load(response)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the redirect itself is what the test reads


_http_as_is = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())


@pytest.fixture
def up(demo_up: Up) -> Up:
    return demo_up


def test_prints_the_apps_address_first_and_the_app_leads_to_the_demo_sign_in(up: Up) -> None:
    app = up.service_url("web")
    assert up.lines[0] == f"# open {app}/ — chibo (đăng nhập / sign in)"
    assert up.lines[-1] == f"# ready; open {app}/; Ctrl-C or SIGTERM stops everything"
    with pytest.raises(urllib.error.HTTPError) as signed_out:
        _http_as_is.open(f"{app}/", timeout=10)
    assert signed_out.value.code in (302, 303, 307)
    sign_in = urllib.parse.urljoin(f"{app}/", signed_out.value.headers["Location"])
    assert sign_in == f"{app}/sign-in"
    with _http.open(sign_in, timeout=10) as response:
        page = response.read().decode()
    assert response.status == 200
    assert "/sign-in/demo" in page  # the demo roles, one click each


@pytest.mark.parametrize("service", DEFAULT_SERVICES)
def test_each_services_api_docs_load_only_from_the_service_itself(up: Up, service: str) -> None:
    base = up.service_url(service)
    with _http.open(f"{base}/docs", timeout=10) as response:
        page = response.read().decode()
    absolute = re.findall(r"https?://[^\s\"'<>]+", page)
    assert [url for url in absolute if not url.startswith(f"{base}/")] == []
    loaded = re.findall(r'(?:src|href)="([^"]+)"', page) + re.findall(r"url: '([^']+)'", page)
    kinds: dict[str, str] = {}
    for reference in loaded:
        with _http.open(urllib.parse.urljoin(f"{base}/docs", reference), timeout=10) as answer:
            assert answer.status == 200, reference
            kinds[reference.rsplit(".", 1)[-1]] = answer.headers.get_content_type()
    assert kinds == {
        "css": "text/css",
        "js": "text/javascript",
        "png": "image/png",
        "json": "application/json",  # the service's own OpenAPI document
    }


def test_prints_the_connection_settings_and_enters_the_demo(up: Up) -> None:
    assert {k for k in up.exports if not k.startswith("CHIBO_TOKEN_")} == {
        "CHIBO_NATS_URL",
        "CHIBO_KEYRING_DATABASE_URL",  # the one keyring database every service shares
        *(f"CHIBO_{s.upper()}_DATABASE_URL" for s in DEFAULT_SERVICES),
    }
    assert up.nats_url.startswith("nats://127.0.0.1:")
    assert answers(up.exports["CHIBO_RATING_DATABASE_URL"])
    assert up.exports["CHIBO_KEYRING_DATABASE_URL"].endswith("/chibo_keyring")
    # The installed services run with the seeds' demo data (README: "./chibo up"): Võ Lao's
    # three years, each planned, reported, met and rated good or better.
    assert (
        "# assignment demo: Võ Lao seeded: plans 2023, 2024, 2025: members 37/37, "
        "households 207/207 each; 1,440 monthly reports, on time and reviewed"
    ) in up.lines
    assert (
        "# attendance demo: Võ Lao meetings seeded: 2023 12 held (99.0% attendance), "
        "2024 12 held (98.8% attendance), 2025 12 held (98.8% attendance)"
    ) in up.lines
    assert (
        "# rating demo: Võ Lao 2023 qd124-hd25 members 40/40 (100.0%) good or better; "
        "2024 qd124-hd25 members 40/40 (100.0%) good or better; "
        "2025 qd366-hd43 members 40/40 (100.0%) good or better"
    ) in up.lines
    coverage_url = up.service_url("assignment") + "/v1/branches/VL-TT/plans/2024/coverage"
    status, coverage = _get(coverage_url, up.token(Role.BRANCH_SECRETARY))
    assert (status, coverage["households"]) == (200, "207/207")
    with pytest.raises(urllib.error.HTTPError) as anonymous:  # every /v1 route wants sign-in
        _http.open(coverage_url, timeout=10)
    assert anonymous.value.code == 401


async def test_prints_a_working_token_for_every_role(up: Up) -> None:
    secrets = up.secrets
    secret = secrets["CHIBO_AUTH_SHARED_SECRET"]
    assert re.fullmatch(r"[0-9a-f]{64}", secret)
    verifier = SharedSecretVerifier(
        secret, issuer=secrets["CHIBO_AUTH_ISSUER"], audience=secrets["CHIBO_AUTH_AUDIENCE"]
    )
    principals = {role: await verifier.verify(up.token(role)) for role in ROLES}
    assert {role: p.role for role, p in principals.items()} == {role: role for role in ROLES}
    assert {role: p.scope for role, p in principals.items()} == EXPECTED_SCOPES

    # The member's token names a real member of the demo branch.
    roster_url = up.service_url("attendance") + "/v1/branches/VL-TT/roster?on=2025-01-05"
    _, roster = _get(roster_url, up.token(Role.PROVINCE_ADMIN))
    member_ids = {m["member_id"] for m in roster["members"]}
    assert principals[Role.MEMBER].member_id in member_ids

    # Every printed example call answers, signed in as its role.
    examples = [line for line in up.lines if line.startswith("# curl ")]
    assert len(examples) == len(ROLES)
    for line in examples:
        # As a shell reads it, with the token variable set.
        curl, option, header, url = shlex.split(line.removeprefix("# "))
        assert (curl, option) == ("curl", "-H")
        assert re.match(r"http://127\.0\.0\.1:\d+/v1/", url), line
        variable = header.removeprefix("Authorization: Bearer $")
        status, _ = _get(url, up.exports[variable])
        assert status == 200, line


def test_every_service_keeps_its_data_keys_in_the_one_keyring_database(up: Up) -> None:
    async def keys(url: str) -> int:
        conn = await asyncpg.connect(url)
        try:
            return int(await conn.fetchval("SELECT count(*) FROM data_keys"))
        finally:
            await conn.close()

    # The demo records members' identities (private, sealed): their keys are all there.
    assert asyncio.run(keys(up.exports["CHIBO_KEYRING_DATABASE_URL"])) > 0
    for service in DEFAULT_SERVICES:
        assert asyncio.run(keys(up.exports[f"CHIBO_{service.upper()}_DATABASE_URL"])) == 0


def test_tokens_and_secrets_are_kept_private_in_the_state_directory(up: Up) -> None:
    tokens = up.root / "tokens.env"
    assert f"# Also in {tokens} (mode 0600)" in "\n".join(up.lines)
    for path in (tokens, up.root / "secrets.env"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    # The file is the printed block, valid shell that sets the same tokens.
    script = f". {shlex.quote(str(tokens))}; " + "; ".join(
        f'echo "${v}"' for v in (f"CHIBO_TOKEN_{role.upper()}" for role in ROLES)
    )
    sourced = subprocess.run(["sh", "-c", script], capture_output=True, text=True, check=True)
    assert sourced.stdout.split() == [up.token(role) for role in ROLES]


def test_services_sign_in_to_nats_as_their_own_users(up: Up) -> None:
    with _http.open(f"{up.monitor_url}/connz?auth=true&limit=1000", timeout=10) as response:
        connections = json.load(response)["connections"]
    users = [c.get("authorized_user") for c in connections]
    assert set(DEFAULT_SERVICES) <= set(users)
    assert all(users), users  # nobody anonymous


async def test_a_service_user_cannot_publish_to_another_services_subjects(up: Up) -> None:
    reader = await up.connect("subscriber")
    forger: NATS | None = None
    try:
        js = reader.jetstream()
        before = (await js.stream_info("CHIBO_ATTENDANCE")).state
        assert before.messages > 0  # the demo's meetings

        violations: asyncio.Queue[Exception] = asyncio.Queue()

        async def on_error(exc: Exception) -> None:
            await violations.put(exc)

        forger = await up.connect("assignment", error_cb=on_error)
        subject = f"chibo.attendance.meeting.held.v1.LC.VB.VL.VL-TT.{uuid.uuid4().hex}._"
        await forger.publish(subject, b"{}", headers={"Nats-Msg-Id": uuid.uuid4().hex})
        await forger.flush()
        violation = await asyncio.wait_for(violations.get(), timeout=10)

        assert isinstance(violation, NatsError)
        # nats-py lowercases the server's -ERR line
        assert f'permissions violation for publish to "{subject.lower()}"' in str(violation)
        after = (await js.stream_info("CHIBO_ATTENDANCE", subjects_filter=subject)).state
        assert (after.messages, after.last_seq) == (before.messages, before.last_seq)
        assert not after.subjects  # nothing was stored under the forged subject
        assert forger.is_connected  # refused, not disconnected
    finally:
        if forger is not None:
            await forger.close()
        await reader.close()


@pytest.mark.parametrize("who", ["anonymous", "wrong password"])
async def test_a_client_without_a_valid_user_is_refused(up: Up, who: str) -> None:
    options: dict[str, str] = (
        {} if who == "anonymous" else {"user": "subscriber", "password": "0" * 64}
    )
    with pytest.raises(NatsError, match="Authorization Violation"):
        await nats.connect(
            up.nats_url,
            allow_reconnect=False,
            max_reconnect_attempts=0,
            connect_timeout=5,
            **options,
        )
