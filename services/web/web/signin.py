"""Signing in: OpenID Connect (authorisation code with PKCE, Authlib) against the
province's identity provider, or, on the embedded stack only, a demo role whose token the
app mints with the stack's shared secret. Either way the session keeps the bearer token
the services verify, and what the header shows."""

from __future__ import annotations

import time
from typing import Any

import jwt
from authlib.integrations.starlette_client import OAuth

from chibo_chassis.auth import Role, issue_token

from .adapters.api import Api, ApiProblem
from .roles import DEMO_ROLES, DemoRole, role_name
from .session import SignedIn
from .settings import WebSettings

DEMO_TOKEN_SECONDS = 8 * 3600  # a working day


def oidc_client(settings: WebSettings) -> Any | None:
    if not (settings.oidc_issuer and settings.oidc_client_id):
        return None
    oauth = OAuth()
    secret = settings.oidc_client_secret
    return oauth.register(
        name="province",
        server_metadata_url=f"{settings.oidc_issuer.rstrip('/')}/.well-known/openid-configuration",
        client_id=settings.oidc_client_id,
        client_secret=secret.get_secret_value() if secret else None,
        client_kwargs={
            "scope": settings.oidc_scope,
            "code_challenge_method": "S256",
            # A public client proves itself with PKCE alone.
            **({} if secret else {"token_endpoint_auth_method": "none"}),
        },
    )


def claims_of(access_token: str) -> dict[str, Any]:
    """The token's claims, for the pages only: every service verifies its signature on
    each call, and the app got it straight from the provider's token endpoint."""
    claims: dict[str, Any] = jwt.decode(access_token, options={"verify_signature": False})
    return claims


async def signed_in_from(api: Api, access_token: str, lang: str) -> SignedIn:
    claims = claims_of(access_token)
    role, org = str(claims.get("chibo_role", "")), str(claims.get("chibo_org", ""))
    user = SignedIn(
        token=access_token,
        role=role,
        org=org,
        subject=str(claims.get("sub", "")),
        who=role_name(role, lang),
        expires=int(claims.get("exp", time.time() + 300)),
        member_id=claims.get("chibo_member"),
    )
    place = await unit_name(api, user)
    if place:
        user = SignedIn(**{**user.__dict__, "who": f"{user.who} · {place}"})
    return user


async def unit_name(api: Api, user: SignedIn) -> str | None:
    if user.home_unit is None:
        return None
    try:
        tree = await api.get("assignment", "/org-tree", user.token)
    except ApiProblem:
        return None
    found = _find(tree.get("roots", []), user.home_unit)
    return str(found["name"]) if found else None


def _find(units: list[dict[str, Any]], unit_id: str) -> dict[str, Any] | None:
    for unit in units:
        if unit.get("unit_id") == unit_id:
            return unit
        found = _find(unit.get("children", []), unit_id)
        if found:
            return found
    return None


def demo_role(key: str) -> DemoRole | None:
    return next((r for r in DEMO_ROLES if r.key == key), None)


async def demo_token(settings: WebSettings, api: Api, role: DemoRole) -> str:
    secret = settings.auth_shared_secret
    assert secret is not None, "the demo sign-in needs the stack's shared secret"
    member_id = None
    if role.role is Role.MEMBER:
        member_id = await _a_demo_member(settings, api, role)
    return _mint(settings, role, member_id)


def _mint(settings: WebSettings, role: DemoRole, member_id: str | None) -> str:
    secret = settings.auth_shared_secret
    assert secret is not None
    token: str = issue_token(
        secret.get_secret_value(),
        subject=f"demo-{role.key}",
        role=role.role,
        org=role.org,
        member_id=member_id,
        issuer=settings.auth_issuer,
        audience=settings.auth_audience,
        ttl_seconds=DEMO_TOKEN_SECONDS,
    )
    return token


async def _a_demo_member(settings: WebSettings, api: Api, role: DemoRole) -> str | None:
    """The branch's first member who is not on the committee, read as its secretary."""
    branch = role.org.rsplit(".", 1)[-1]
    secretary = DemoRole("lookup", Role.BRANCH_SECRETARY, role.org, "", "")
    try:
        found = await api.get(
            "assignment", f"/branches/{branch}/members", _mint(settings, secretary, None)
        )
    except ApiProblem:
        return None
    for member in found.get("members", []):
        if not member.get("committee") and member.get("standing") == "active":
            return str(member["member_id"])
    return None
