"""Who is signed in: kept in the signed, HTTP-only, SameSite session cookie (Starlette's
SessionMiddleware, itsdangerous). The bearer token is what the services verify; the rest
is read from it once, at sign-in, for the pages."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request

SESSION_KEY = "user"


@dataclass(frozen=True)
class SignedIn:
    token: str
    role: str
    org: str  # dotted path of unit ids; "" is the whole province
    subject: str
    who: str  # what the header shows: the role and where, never an id
    expires: int  # the token's exp (epoch seconds)
    member_id: str | None = None

    @property
    def home_unit(self) -> str | None:
        """The unit the role is held over; None for the whole province."""
        return self.org.rsplit(".", 1)[-1] if self.org else None

    @property
    def is_branch_role(self) -> bool:
        return self.role in {"branch_secretary", "member"}


class SignInRequired(Exception):
    """Raised by `require_user`; answered with a redirect to the sign-in page."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


def sign_in(request: Request, user: SignedIn) -> None:
    lang = request.session.get("lang")
    request.session.clear()  # a new session: nothing of an earlier user's survives
    request.session[SESSION_KEY] = asdict(user)
    if lang:
        request.session["lang"] = lang


def current_user(request: Request) -> SignedIn | None:
    stored: dict[str, Any] | None = request.session.get(SESSION_KEY)
    if not stored:
        return None
    user = SignedIn(**stored)
    if user.expires <= time.time():
        request.session.pop(SESSION_KEY, None)
        return None
    return user


def require_user(request: Request) -> SignedIn:
    user = current_user(request)
    if user is None:
        raise SignInRequired(request.url.path)
    return user


def sign_in_url(next_path: str) -> str:
    return f"/sign-in?next={quote(next_path, safe='/')}"


User = Annotated[SignedIn, Depends(require_user)]
