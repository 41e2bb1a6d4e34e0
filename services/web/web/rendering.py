"""Pages from Jinja2 templates, Vietnamese first. Templates say both languages inline,
`{{ tr("Thành viên", "Members") }}`, so a screen's texts live in its own template and
no catalogue drifts from the pages."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from . import formats
from .branch_data import ROLE_LABELS, STANDING_LABELS, STATUS_LABELS, label
from .csrf import csrf_token
from .session import current_user

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
LANGUAGES = ("vi", "en")

TEMPLATES.env.filters["day"] = formats.day
TEMPLATES.env.filters["month"] = formats.month
TEMPLATES.env.filters["percent"] = formats.percent
TEMPLATES.env.filters["name"] = formats.name


def language(request: Request) -> str:
    chosen = request.session.get("lang")
    return chosen if chosen in LANGUAGES else "vi"


def tr_for(lang: str) -> Any:
    def tr(vi: str, en: str) -> str:
        return en if lang == "en" else vi

    return tr


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    lang = language(request)
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "user": current_user(request),
            "csrf": csrf_token(request),
            "lang": lang,
            "tr": tr_for(lang),
            "role_label": lambda role: label(ROLE_LABELS.get(role), lang, role),
            "standing_label": lambda s: label(STANDING_LABELS.get(s), lang, s),
            "status_label": lambda s: label(STATUS_LABELS.get(s), lang, s),
            # A fresh Idempotency-Key in every form: a double tap is one command.
            "form_key": uuid.uuid4().hex,
            **context,
        },
        status_code=status_code,
    )
