"""The web app's session (`services/web`): the keys its code writes into the signed
cookie, each classified here (`unclassified_session_keys()` names a key the table misses,
or one the code no longer writes), and the cookie's settings, read from `web/bootstrap.py`."""

from __future__ import annotations

import ast
import dataclasses
from dataclasses import dataclass
from pathlib import Path

from web import bootstrap
from web.session import SESSION_KEY, SignedIn

from .policy import Place
from .render import table
from .web_surfaces import ROOT, both_ways, module_of

# A key of the session (`user.<field>`: of the signed-in person) → (category, what it holds)
SESSION: dict[str, tuple[str, str]] = {
    "user.token": (
        "identifier",
        "the bearer token (a JWT: the claims below, signed by the identity provider) sent to "
        "the services on every call; whoever holds it acts as the person until its `exp`",
    ),
    "user.subject": ("identifier", "the token's `sub`"),
    "user.member_id": ("identifier", "the token's `chibo_member`: the member signed in, if any"),
    "user.role": ("not personal", "the role the token grants: a closed value"),
    "user.org": ("not personal", "the unit the role is held over, as a path of unit ids"),
    "user.who": ("not personal", "the page header's text: the role's name and the unit's"),
    "user.expires": ("not personal", "the token's `exp`"),
    "csrf": ("not personal", "a random token every form sends back"),
    "lang": ("not personal", "the language chosen, `vi` or `en`"),
    "next": (
        "identifier",
        "the page to go back to after signing in, until the identity provider answers: "
        "a path may hold a member's id",
    ),
}
# Written by Authlib (`oauth.register(name="province")`), not by the app's own code.
LIBRARY_SESSION: dict[str, tuple[str, str]] = {
    "_state_province_<state>": (
        "not personal",
        "Authlib's sign-in state (nonce, PKCE verifier, return address) until the identity "
        "provider answers",
    ),
}


def session_keys() -> list[str]:
    """Every key the app's code writes into the session; the signed-in person's by field."""
    keys: set[str] = set()
    for path in sorted(ROOT.rglob("*.py")):
        module = module_of(path)
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Assign) or not isinstance(node.targets[0], ast.Subscript):
                continue
            target = node.targets[0]
            if not (isinstance(target.value, ast.Attribute) and target.value.attr == "session"):
                continue
            key = target.slice
            if isinstance(key, ast.Constant):
                keys.add(str(key.value))
            elif isinstance(key, ast.Name):
                keys.add(str(getattr(module, key.id, "**" + key.id)))
    if SESSION_KEY in keys:
        keys.remove(SESSION_KEY)
        keys |= {f"{SESSION_KEY}.{f.name}" for f in dataclasses.fields(SignedIn)}
    return sorted(keys)


def unclassified_session_keys() -> list[str]:
    return both_ways("web session key", session_keys(), list(SESSION))


@dataclass(frozen=True)
class Cookie:
    name: str
    hours: int
    same_site: str


def session_cookie() -> Cookie:
    """The `SessionMiddleware` the app is built with (`web/bootstrap.py`)."""
    tree = ast.parse(Path(bootstrap.__file__ or "").read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "add_middleware":
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Name) and first.id == "SessionMiddleware":
                given = {k.arg: k.value for k in node.keywords}
                name, same_site, age = given["session_cookie"], given["same_site"], given["max_age"]
                assert isinstance(name, ast.Constant)
                assert isinstance(same_site, ast.Constant)
                assert isinstance(age, ast.Name)
                seconds = int(getattr(bootstrap, age.id))
                return Cookie(str(name.value), seconds // 3600, str(same_site.value))
    raise LookupError("web/bootstrap.py adds no SessionMiddleware")


def session_place() -> Place:
    cookie = session_cookie()
    return Place(
        f"the web app's session cookie (`{cookie.name}`, in the browser)",
        "who is signed in: their bearer token, `sub`, member id, role and unit; the CSRF "
        "token and the language (see The web app)",
        "the browser holding it: signed, not encrypted; HTTP-only, so not the page's scripts",
        f"{cookie.hours} h after the last request; the person signed in only until their "
        "token's `exp`; emptied at sign-out",
    )


def session_section() -> list[str]:
    cookie = session_cookie()
    rows = [(f"`{k}`", c, why) for k, (c, why) in (SESSION | LIBRARY_SESSION).items()]
    return [
        f"### Session cookie · Cookie phiên (`{cookie.name}`)",
        "",
        f"Ký bằng `CHIBO_WEB_SESSION_SECRET`, không mã hóa: ai giữ cookie đều đọc được; "
        f"HTTP-only, SameSite={cookie.same_site}, chỉ qua HTTPS (trừ khi "
        f"`CHIBO_WEB_SECURE_COOKIES=false`). Giữ {cookie.hours} giờ kể từ lần gọi cuối; người "
        "đăng nhập chỉ đến hạn `exp` của mã thông báo; đăng xuất xóa nội dung, nhưng bản sao "
        "lấy trước đó vẫn dùng được đến hết hạn (máy chủ không lưu phiên). · Signed with "
        "`CHIBO_WEB_SESSION_SECRET`, not encrypted: whoever holds the cookie can read it; "
        f"HTTP-only, SameSite={cookie.same_site}, HTTPS only (unless "
        f"`CHIBO_WEB_SECURE_COOKIES=false`). Kept {cookie.hours} h after the last request; "
        "the person signed in only until their token's `exp`; signing out empties it, but a "
        "copy taken before stays usable until then (the server keeps no session).",
        "",
        *table(("key", "category", "holds"), rows),
    ]
