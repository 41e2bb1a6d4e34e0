"""The session's defences, over HTTP against `chibo-web serve` (the APIs down, signing in
through the demo sign-in): CSRF on every form, no redirect off the site, a cookie that cannot
be forged, a sign-out that ends the session, and no demo sign-in unless it is switched on."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from .oidc_provider import web_app

EXPIRED_FORM = "Biểu mẫu đã hết hạn"
SECRETARY = "secretary-vl-tt"  # the demo role's form value
ELSEWHERE = [
    "//evil.example",
    "http://evil.example",
    "https://evil.example/branches/VL-TT",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "evil.example",
]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    demo = {"CHIBO_WEB_DEMO_SIGNIN": "1", "CHIBO_AUTH_SHARED_SECRET": "demo-" + "s" * 40}
    with web_app(tmp_path_factory.mktemp("web"), CHIBO_WEB_SECURE_COOKIES="false", **demo) as url:
        yield url


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(trust_env=False, timeout=20) as opened:
        yield opened


def csrf_of(client: httpx.Client, app_url: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(f"{app_url}/sign-in").text)
    assert found, "no CSRF field on the sign-in page"
    return found.group(1)


def sign_in(client: httpx.Client, app_url: str, next_path: str = "/") -> httpx.Response:
    form = {"csrf": csrf_of(client, app_url), "role": SECRETARY, "next": next_path}
    answer = client.post(f"{app_url}/sign-in/demo", data=form)
    assert answer.status_code == 303, answer.text
    return answer


def session_in(cookie: str) -> dict[str, Any]:
    """What a session cookie holds: its first part is the session, base64 JSON."""
    found: dict[str, Any] = json.loads(base64.b64decode(cookie.split(".")[0]))
    return found


def session_of(client: httpx.Client) -> dict[str, Any]:
    return session_in(client.cookies["chibo_session"])


def where_a_browser_goes(app_url: str, location: str) -> str:
    """The host a browser lands on: it drops tabs and newlines and reads `\\` as `/`."""
    cleaned = re.sub(r"[\t\n\r]", "", location).replace("\\", "/")
    return urlsplit(urljoin(f"{app_url}/", cleaned)).netloc


@pytest.mark.parametrize("sent", ["no token", "a wrong token", "another session's token"])
def test_a_form_posted_without_its_csrf_token_is_refused_as_expired_and_changes_nothing(
    client: httpx.Client, app_url: str, sent: str
) -> None:
    sign_in(client, app_url)
    before = session_of(client)
    with httpx.Client(trust_env=False) as another:
        tokens = {"a wrong token": "x" * 43, "another session's token": csrf_of(another, app_url)}
    extra = {"csrf": tokens[sent]} if sent in tokens else {}
    for path, form in [("/language", {"lang": "en"}), ("/sign-out", {})]:
        answer = client.post(f"{app_url}{path}", data={**form, **extra})
        assert answer.status_code == 403, path
        assert EXPIRED_FORM in answer.text
        assert 'lang="vi"' in answer.text
    after = session_of(client)
    assert after["user"] == before["user"]  # still signed in
    assert "lang" not in after  # still in Vietnamese
    # The same form with the session's own token does what it says.
    chosen = client.post(
        f"{app_url}/language", data={"lang": "en"}, headers={"X-CSRF-Token": after["csrf"]}
    )
    assert chosen.status_code == 303
    assert session_of(client)["lang"] == "en"


def test_signing_in_without_the_csrf_token_is_refused(client: httpx.Client, app_url: str) -> None:
    csrf_of(client, app_url)  # a session exists; the form's token is not sent
    answer = client.post(f"{app_url}/sign-in/demo", data={"role": SECRETARY, "next": "/"})
    assert answer.status_code == 403
    assert EXPIRED_FORM in answer.text
    assert "user" not in session_of(client)


@pytest.mark.parametrize("elsewhere", ELSEWHERE)
def test_a_next_pointing_to_another_site_never_leaves_the_app(
    client: httpx.Client, app_url: str, elsewhere: str
) -> None:
    app_host = urlsplit(app_url).netloc
    page = client.get(f"{app_url}/sign-in", params={"next": elsewhere})
    found = re.search(r'name="next" value="([^"]*)"', page.text)
    assert found
    assert found.group(1) == "/"
    signed_in = sign_in(client, app_url, elsewhere)
    assert where_a_browser_goes(app_url, signed_in.headers["location"]) == app_host
    language = client.post(
        f"{app_url}/language",
        data={"lang": "vi", "back": elsewhere, "csrf": csrf_of(client, app_url)},
    )
    assert language.status_code == 303
    assert where_a_browser_goes(app_url, language.headers["location"]) == app_host


def test_a_next_within_the_app_is_followed(client: httpx.Client, app_url: str) -> None:
    assert sign_in(client, app_url, "/units").headers["location"] == "/units"


def test_a_tampered_session_cookie_is_ignored(client: httpx.Client, app_url: str) -> None:
    sign_in(client, app_url)
    cookie = client.cookies["chibo_session"]
    payload, *signature = cookie.split(".")
    promoted = session_in(cookie)
    promoted["user"] |= {"role": "province_admin", "org": "", "who": "Quản trị tỉnh"}
    forged_payload = base64.b64encode(json.dumps(promoted).encode()).decode()
    forged = ".".join([forged_payload, *signature])
    resigned = ".".join([payload, signature[0], "A" * len(signature[1])])
    answers = {}
    for name, value in [("genuine", cookie), ("forged", forged), ("re-signed", resigned)]:
        with httpx.Client(trust_env=False, cookies={"chibo_session": value}) as browser:
            answers[name] = browser.get(f"{app_url}/").headers["location"]
    assert answers == {"genuine": "/branches/VL-TT", "forged": "/sign-in", "re-signed": "/sign-in"}


def test_signing_out_clears_the_session(client: httpx.Client, app_url: str) -> None:
    sign_in(client, app_url)
    assert client.get(f"{app_url}/").headers["location"] == "/branches/VL-TT"
    answer = client.post(f"{app_url}/sign-out", data={"csrf": csrf_of(client, app_url)})
    assert (answer.status_code, answer.headers["location"]) == (303, "/sign-in")
    assert set(session_of(client)) <= {"lang"}  # no user, no token, no CSRF token of theirs
    assert client.get(f"{app_url}/").headers["location"] == "/sign-in"
    units = client.get(f"{app_url}/units")
    assert (units.status_code, units.headers["location"]) == (303, "/sign-in?next=/units")


def test_the_demo_sign_in_is_absent_unless_chibo_web_demo_signin_is_set(
    client: httpx.Client, tmp_path: Path
) -> None:
    """Started as production is: no demo flag, no shared secret, secure cookies."""
    with web_app(tmp_path) as url:
        page = client.get(f"{url}/sign-in")
        assert "Đăng nhập thử" not in page.text
        assert SECRETARY not in page.text
        assert "Chưa cấu hình đăng nhập" in page.text
        set_cookie = page.headers["set-cookie"]
        assert "; secure" in set_cookie.lower()
        cookie = set_cookie.split(";")[0].split("=", 1)[1]
        csrf = session_in(cookie)["csrf"]
        # A Secure cookie is not sent over http by a browser: sent by hand, as an attacker would.
        answer = client.post(
            f"{url}/sign-in/demo",
            data={"csrf": csrf, "role": SECRETARY, "next": "/units"},
            headers={"Cookie": f"chibo_session={cookie}"},
        )
        assert (answer.status_code, answer.headers["location"]) == (303, "/sign-in")
        after = answer.headers.get("set-cookie", f"chibo_session={cookie}")
        assert "user" not in session_in(after.split(";")[0].split("=", 1)[1])
