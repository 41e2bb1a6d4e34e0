"""Sign-in on the embedded stack: one random HS256 secret shared by every service, and a
ready-made bearer token for each role over the seeds' Võ Lao units, so that a newcomer can
call the API as soon as `./chibo up` says it is ready.

Production verifies tokens against the province's identity provider (CHIBO_AUTH_JWKS_URL);
the shared secret exists only for this stack and dies with it.
"""

from __future__ import annotations

import json
import os
import secrets
import shlex
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from chibo_chassis.auth import Role, issue_token

ISSUER = "chibo-embedded"
AUDIENCE = "chibo"
TOKEN_TTL_SECONDS = 12 * 3600
TOKENS_FILE = "tokens.env"

# Bypass any HTTP(S)_PROXY from the environment: the services listen on the loopback.
_http = urllib.request.build_opener(urllib.request.ProxyHandler({}))

# The seeds' demo (chibo_tools/demo/assignment.py): Đảng bộ tỉnh Lào Cai
# (LC) > huyện Văn Bàn (VB) > xã Võ Lao (VL) > Chi bộ thị tứ Võ Lao (VL-TT).
DEMO_BRANCH = "VL-TT"
_ROSTER_DAY = "2025-01-05"  # the first of the attendance demo's meetings


@dataclass(frozen=True)
class DemoRole:
    role: Role
    org: str  # the token's chibo_org: a dotted path of unit ids; "" is the whole province
    who: str
    service: str  # where the example call goes
    example: str  # a GET the role may make over the demo data; {member}: the member's id


DEMO_ROLES = (
    # The whole province, not the subtree "LC": creating the province unit itself (the
    # first thing the demo loaders do) needs it.
    DemoRole(
        Role.PROVINCE_ADMIN,
        "",
        "province administrators (quản trị tỉnh)",
        "assignment",
        f"/v1/branches/{DEMO_BRANCH}/plans/2024/coverage",
    ),
    DemoRole(
        Role.ORGANISATION_BOARD,
        "LC.VB",
        "Ban thường vụ Huyện ủy Văn Bàn",
        "rating",
        "/v1/units/VB/rollup/2025",
    ),
    DemoRole(
        Role.GRASSROOTS_COMMITTEE,
        "LC.VB.VL",
        "Đảng ủy xã Võ Lao",
        "rating",
        "/v1/units/VL/branches/2025",
    ),
    DemoRole(
        Role.BRANCH_SECRETARY,
        f"LC.VB.VL.{DEMO_BRANCH}",
        "bí thư Chi bộ thị tứ Võ Lao",
        "attendance",
        f"/v1/branches/{DEMO_BRANCH}/years/2025",
    ),
    DemoRole(
        Role.MEMBER,
        f"LC.VB.VL.{DEMO_BRANCH}",
        "a member of Chi bộ thị tứ Võ Lao",
        "rating",
        "/v1/members/{member}/scorecard/2025",  # the member role reads its own records
    ),
    DemoRole(
        Role.AUDITOR,
        "LC",
        "Ủy ban Kiểm tra Tỉnh ủy Lào Cai (read only)",
        "attendance",
        f"/v1/branches/{DEMO_BRANCH}/roster?on=2025-12-31",
    ),
)
_PLACEHOLDER_MEMBER = "no-demo-member"


def new_secret() -> str:
    """32 random bytes as 64 hex characters: the HS256 key, or a NATS password."""
    return secrets.token_hex(32)


def token_variable(role: Role) -> str:
    return f"CHIBO_TOKEN_{role.upper()}"


@dataclass(frozen=True)
class DemoToken:
    spec: DemoRole
    token: str
    member_id: str | None = None

    @property
    def variable(self) -> str:
        return token_variable(self.spec.role)


def province_admin_token(secret: str, *, issuer: str = ISSUER, audience: str = AUDIENCE) -> str:
    """What the demo loaders enter the seeds' data with."""
    (admin,) = issue_demo_tokens(
        secret, issuer=issuer, audience=audience, roles=(Role.PROVINCE_ADMIN,)
    )
    return admin.token


def issue_demo_tokens(
    secret: str,
    *,
    member: str | None = None,
    issuer: str = ISSUER,
    audience: str = AUDIENCE,
    roles: Sequence[Role] | None = None,
) -> list[DemoToken]:
    """One token per demo role. `member` is the id of the member whose token the member
    role gets; without one (no demo data) it names a member that does not exist."""
    tokens = []
    for spec in DEMO_ROLES:
        if roles is not None and spec.role not in roles:
            continue
        member_id = None
        if spec.role is Role.MEMBER:
            member_id = member or _PLACEHOLDER_MEMBER
        token = issue_token(
            secret,
            subject=f"demo-{spec.role.replace('_', '-')}",
            role=spec.role,
            org=spec.org,
            member_id=member_id,
            issuer=issuer,
            audience=audience,
            ttl_seconds=TOKEN_TTL_SECONDS,
        )
        tokens.append(DemoToken(spec, token, member_id))
    return tokens


def find_demo_member(attendance_url: str, token: str) -> str | None:
    """The id of the demo branch's first member who holds households and is expected at
    meetings, as the attendance service's roster has them; None without the demo data. Only
    the id: the launcher's output is a log, and a log names no one."""
    query = urllib.parse.urlencode({"on": _ROSTER_DAY})
    request = urllib.request.Request(
        f"{attendance_url}/v1/branches/{DEMO_BRANCH}/roster?{query}",
        headers={"Authorization": f"Bearer {token}"},
    )
    try:
        with _http.open(request, timeout=10) as response:
            roster = json.load(response)
    except (OSError, ValueError):
        return None
    members = roster.get("members") if isinstance(roster, dict) else None
    for entry in members if isinstance(members, list) else []:
        if entry.get("expected") and not entry.get("committee") and entry.get("member_id"):
            return str(entry["member_id"])
    return None


def render(tokens: Sequence[DemoToken], service_urls: Mapping[str, str], path: Path) -> str:
    """Valid shell: comments, one `export` per token and one example call per role."""
    lines = [
        "# Sign-in: a bearer token per demo role (HS256, issuer "
        f"{ISSUER}, audience {AUDIENCE}, valid {TOKEN_TTL_SECONDS // 3600} h).",
        f"# Also in {path} (mode 0600): `. {shlex.quote(str(path))}` sets them in a shell.",
        f"#   {'role':<22}{'scope (chibo_org)':<20}who",
    ]
    for item in tokens:
        who = item.spec.who
        if item.member_id == _PLACEHOLDER_MEMBER:
            who = f"{who} (no demo data: names no real member)"
        elif item.member_id is not None:
            who = f"{who}: member id {item.member_id}"
        lines.append(f"#   {item.spec.role:<22}{item.spec.org or '(whole province)':<20}{who}")
    lines += [f"export {item.variable}={shlex.quote(item.token)}" for item in tokens]
    for item in tokens:
        url = service_urls.get(item.spec.service)
        if url is None:  # that service is not installed
            continue
        example = item.spec.example.format(member=item.member_id)
        target = shlex.quote(f"{url}{example}")  # a `?` would glob in some shells
        lines.append(f'# curl -H "Authorization: Bearer ${item.variable}" {target}')
    return "\n".join(lines)


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path` readable by its owner only, never visible with a wider mode."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.unlink(missing_ok=True)  # O_EXCL below: never reuse a file someone else made
    try:
        # 0600 from creation (the umask can only narrow it), renamed over any older file.
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text if text.endswith("\n") else f"{text}\n")
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
