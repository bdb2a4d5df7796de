"""The page shell every page module renders through: templates, the strings a page's scripts need, the
Content-Security-Policy of a page with inline scripts (by their SHA-256 hashes) and the map pages.

Pages live with their domains (`app/<domain>/pages.py` or the domain's router); what they share is here,
so a page never reaches into another domain's router for it.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from app.deps import LANG_COOKIE, request_language
from app.i18n import Lang, t
from app.map.folium_maps import build_map
from app.middleware import csp

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")  # autoescape on for .html


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A template in the request's language, with `t` for its messages."""
    lang = request_language(request)
    response = templates.TemplateResponse(
        request, name, {"lang": lang, "t": lambda code, **p: t(code, lang, **p), **context}, status_code=status_code
    )
    if request.query_params.get("lang") in ("zh", "en"):  # a choice made on a page holds for the next pages
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def js_strings(codes: Iterable[str], lang: Lang) -> dict[str, str]:
    """The messages a page's scripts need (read by `Page.t` in app/static/js/common.js), in its language."""
    return {code: t(code, lang) for code in codes}


def script_hashes(scripts: Iterable[str]) -> list[str]:
    """CSP source expressions admitting exactly these inline scripts."""
    return [f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts]


def map_page(
    request: Request, template: str, map_name: str, center: tuple[float, float], zoom: int, **context: Any
) -> HTMLResponse:
    """A page around a folium map (`map_<map_name>`); `page_data` goes to the page's scripts as JSON."""
    parts = build_map(map_name, request_language(request), center, zoom)
    context["page_data"] = jsonable_encoder(context["page_data"])  # dates and decimals, as the API sends them
    response = render(request, template, map=parts, **context)
    policy = csp(script_extra=script_hashes(parts.inline_scripts), img_extra=list(parts.tile_origins))
    response.headers["Content-Security-Policy"] = policy
    return response
