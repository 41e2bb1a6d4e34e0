"""Signing in with the province's account, for real: `chibo-web serve` against a real OpenID
provider (oidc_provider.py), driven over HTTP step by step as a browser goes, and once in
Chromium. The provider sits on a site of its own, as the province's does. The three APIs are
down: signing in must not need them."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from playwright.sync_api import Playwright, Request, expect

from .browser import chromium_path
from .oidc_provider import CLIENT_ID, OidcProvider, closed_url, s256, web_app

PROVIDER_SITE = "idp.test"  # the browser's name for the provider (Chromium maps it to 127.0.0.1)
SIGN_IN_FAILED = "Đăng nhập không thành công. Xin thử lại."
UNREACHABLE = "Máy chủ dữ liệu tạm thời không trả lời"


@pytest.fixture(scope="module")
def provider() -> Iterator[OidcProvider]:
    running = OidcProvider(browser_host=PROVIDER_SITE)
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def app_url(provider: OidcProvider, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    oidc = {"CHIBO_WEB_OIDC_ISSUER": provider.issuer, "CHIBO_WEB_OIDC_CLIENT_ID": CLIENT_ID}
    with web_app(tmp_path_factory.mktemp("web"), CHIBO_WEB_SECURE_COOKIES="false", **oidc) as url:
        provider.redirect_uris.add(f"{url}/sign-in/callback")
        yield url


@pytest.fixture
def client(provider: OidcProvider) -> Iterator[httpx.Client]:
    provider.faults.clear()
    with httpx.Client(trust_env=False, timeout=20) as opened:
        yield opened


def to_the_provider(client: httpx.Client, app_url: str, next_path: str = "/") -> httpx.URL:
    """The app's answer to the province button: off to the provider's /authorize."""
    answer = client.get(f"{app_url}/sign-in/oidc", params={"next": next_path})
    assert answer.status_code == 302, answer.text
    authorize = httpx.URL(answer.headers["location"])
    assert authorize.host == PROVIDER_SITE
    return authorize


def approved(client: httpx.Client, authorize: httpx.URL) -> httpx.URL:
    """The provider approves the test user: back to the app's callback with a code."""
    answer = client.get(authorize.copy_with(host="127.0.0.1"))
    assert answer.status_code == 302, answer.text
    return httpx.URL(answer.headers["location"])


def signed_in(client: httpx.Client, app_url: str, next_path: str = "/") -> httpx.Response:
    return client.get(approved(client, to_the_provider(client, app_url, next_path)))


def session_of(client: httpx.Client) -> dict[str, Any]:
    """What the signed cookie holds (its first part is the session, base64 JSON)."""
    cookie = client.cookies.get("chibo_session")
    assert cookie, "no session cookie"
    found: dict[str, Any] = json.loads(base64.b64decode(cookie.split(".")[0]))
    return found


def assert_signed_out(client: httpx.Client, app_url: str) -> None:
    assert "user" not in session_of(client)
    start = client.get(f"{app_url}/")
    assert (start.status_code, start.headers["location"]) == (303, "/sign-in")


def test_the_sign_in_page_offers_the_province_account_and_no_demo_roles(
    client: httpx.Client, app_url: str
) -> None:
    answer = client.get(f"{app_url}/sign-in")
    assert answer.status_code == 200
    assert 'href="/sign-in/oidc?next=' in answer.text
    assert "Đăng nhập bằng tài khoản của tỉnh" in answer.text
    assert "Đăng nhập thử" not in answer.text


def test_the_province_sign_in_ends_signed_in_with_an_http_only_lax_cookie_though_the_apis_are_down(
    client: httpx.Client, app_url: str, provider: OidcProvider
) -> None:
    callback = signed_in(client, app_url, "/units")
    assert (callback.status_code, callback.headers["location"]) == (303, "/units")
    attributes = {a.strip().lower() for a in callback.headers["set-cookie"].split(";")[1:]}
    assert callback.headers["set-cookie"].startswith("chibo_session=")
    assert {"httponly", "samesite=lax", "path=/"} <= attributes
    session = session_of(client)
    assert set(session) <= {"user", "csrf"}  # the flow's state and `next` are gone
    user = session["user"]
    assert (user["role"], user["org"], user["subject"]) == (
        "branch_secretary",
        "LC.VB.VL.VL-TT",
        provider.user.sub,
    )
    assert user["who"] == "Bí thư chi bộ"  # the unit's name could not be read: left out
    # The bearer token kept is the provider's own, signed by its key, for the services.
    keys = jwt.PyJWKSet.from_dict(httpx.get(f"{provider.issuer}/jwks", trust_env=False).json())
    claims = jwt.decode(user["token"], keys.keys[0], algorithms=["RS256"], audience="chibo")
    assert (claims["chibo_role"], claims["iss"]) == ("branch_secretary", provider.issuer)
    units = client.get(f"{app_url}/units")
    assert units.status_code == 503  # the services are down, the person is signed in
    assert UNREACHABLE in units.text
    assert "Bí thư chi bộ" in units.text
    assert "Đăng xuất" in units.text


def test_the_provider_saw_an_s256_challenge_and_then_the_verifier_that_matches_it(
    client: httpx.Client, app_url: str, provider: OidcProvider
) -> None:
    for _ in range(2):
        assert signed_in(client, app_url).status_code == 303
    first, second = provider.authorizations[-2:]
    for asked, exchange in zip((first, second), provider.exchanges[-2:], strict=True):
        assert asked["code_challenge_method"] == "S256"
        assert asked["redirect_uri"] == f"{app_url}/sign-in/callback"
        assert asked["state"]
        assert asked["nonce"]
        assert "code_verifier" not in asked  # the verifier never travels through the browser
        assert exchange.outcome == "issued"
        assert exchange.challenge == asked["code_challenge"]
        assert exchange.verifier
        assert s256(exchange.verifier) == asked["code_challenge"] != exchange.verifier
    assert all(first[k] != second[k] for k in ("state", "nonce", "code_challenge"))


def test_a_callback_with_a_wrong_state_is_refused_and_signs_no_one_in(
    client: httpx.Client, app_url: str, provider: OidcProvider
) -> None:
    callback = approved(client, to_the_provider(client, app_url))
    exchanges = len(provider.exchanges)
    answer = client.get(callback.copy_set_param("state", "forged-state"))
    assert answer.status_code == 400
    assert SIGN_IN_FAILED in answer.text
    assert len(provider.exchanges) == exchanges  # the code never reached the token endpoint
    assert_signed_out(client, app_url)


def test_a_callback_opened_in_another_browser_signs_no_one_in(
    client: httpx.Client, app_url: str, provider: OidcProvider
) -> None:
    """Someone sends their own callback link to another person: it must not sign them in."""
    callback = approved(client, to_the_provider(client, app_url))
    with httpx.Client(trust_env=False, timeout=20) as another:
        answer = another.get(callback)
        assert answer.status_code == 400
        assert SIGN_IN_FAILED in answer.text
        assert_signed_out(another, app_url)


def test_a_token_endpoint_refusing_the_verifier_ends_on_the_sign_in_failure_page(
    client: httpx.Client, app_url: str, provider: OidcProvider
) -> None:
    """A challenge not the app's (an injected one): the app's verifier cannot match it."""
    authorize = to_the_provider(client, app_url)
    injected = authorize.copy_set_param("code_challenge", s256("someone-else-" + "v" * 40))
    answer = client.get(approved(client, injected))
    assert provider.exchanges[-1].outcome == "invalid_grant"
    assert answer.status_code == 400
    assert SIGN_IN_FAILED in answer.text
    assert_signed_out(client, app_url)


@pytest.mark.parametrize("fault", ["wrong_nonce", "foreign_key"])
def test_an_id_token_the_app_cannot_trust_ends_on_the_sign_in_failure_page(
    client: httpx.Client, app_url: str, provider: OidcProvider, fault: str
) -> None:
    provider.faults.add(fault)
    answer = signed_in(client, app_url)
    assert provider.exchanges[-1].outcome == "issued"  # the provider answered; the app refused
    assert answer.status_code == 400
    assert SIGN_IN_FAILED in answer.text
    assert_signed_out(client, app_url)


@pytest.mark.parametrize(
    "elsewhere", ["//evil.example", "http://evil.example/x", "/\\evil.example"]
)
def test_a_next_to_another_site_lands_on_the_app_after_the_province_sign_in(
    client: httpx.Client, app_url: str, elsewhere: str
) -> None:
    assert signed_in(client, app_url, elsewhere).headers["location"] == "/"


def test_a_provider_that_does_not_answer_ends_on_the_sign_in_failure_page(
    client: httpx.Client, tmp_path: Path
) -> None:
    down = {"CHIBO_WEB_OIDC_ISSUER": closed_url(), "CHIBO_WEB_OIDC_CLIENT_ID": CLIENT_ID}
    with web_app(tmp_path, CHIBO_WEB_SECURE_COOKIES="false", **down) as url:
        answer = client.get(f"{url}/sign-in/oidc")
        assert answer.status_code == 502
        assert SIGN_IN_FAILED in answer.text


def test_in_chromium_the_province_sign_in_crosses_to_the_provider_site_and_back_signed_in(
    playwright: Playwright, app_url: str, provider: OidcProvider
) -> None:
    """SameSite=Lax must let the session cookie come back on the provider's redirect."""
    browser = playwright.chromium.launch(
        executable_path=chromium_path(),
        headless=True,
        args=[f"--host-resolver-rules=MAP {PROVIDER_SITE} 127.0.0.1"],
    )
    try:
        page = browser.new_context(base_url=app_url, locale="vi-VN").new_page()
        provider_visits: list[str] = []
        page.on("request", lambda r: _note_provider_visit(r, provider_visits))
        page.goto("/sign-in")
        page.get_by_role("link", name="Đăng nhập bằng tài khoản của tỉnh").click()
        page.wait_for_url(lambda url: url.startswith(app_url) and "/sign-in" not in url)
        expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
        expect(page.locator(".who")).to_have_text("Bí thư chi bộ")
        assert provider_visits, "the browser never went to the provider's site"
        (cookie,) = [c for c in page.context.cookies() if c["name"] == "chibo_session"]
        assert (cookie.get("httpOnly"), cookie.get("sameSite")) == (True, "Lax")
    finally:
        browser.close()


def _note_provider_visit(request: Request, visits: list[str]) -> None:
    if httpx.URL(request.url).host == PROVIDER_SITE:
        visits.append(request.url)
