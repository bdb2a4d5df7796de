from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts import service
from app.accounts.deps import SESSION_COOKIE, Public, client_addr, request_id
from app.accounts.service import Actor, TooManyAttempts
from app.config import get_settings
from app.db import SessionDep
from app.deps import request_language
from app.errors import Unauthorized
from app.i18n import t
from app.responses import POND_WRITE
from app.web.shell import render

router = APIRouter(include_in_schema=False)
LOGIN_CSRF_COOKIE = "tailings_login_csrf"


def _safe_next(value: str | None) -> str:
    # Only paths on this site, so the form cannot be used to redirect elsewhere.
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


def _login_page(request: Request, next_: str, error: str | None = None, status_code: int = 200) -> HTMLResponse:
    token = secrets.token_urlsafe(32)
    response = render(request, "login.html", status_code, csrf_token=token, next=next_, error=error)
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        path="/login",
        secure=get_settings().cookie_secure,
        max_age=3600,
    )
    return response


@router.get("/login")
def login_form(request: Request, _: Public, next: str | None = None) -> HTMLResponse:
    return _login_page(request, _safe_next(next))


@router.post("/login", responses=POND_WRITE)
def login(
    request: Request,
    session: SessionDep,
    _: Public,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    lang = request_language(request)
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or not hmac.compare_digest(cookie, csrf_token):
        return _login_page(request, _safe_next(next), t("csrf_failed", lang), 403)
    try:
        user = service.authenticate(session, username, password, client_addr(request), request_id(request))
    except TooManyAttempts as exc:
        return _login_page(request, _safe_next(next), t(exc.code, lang, **exc.params), 429)
    except Unauthorized as exc:
        return _login_page(request, _safe_next(next), t(exc.code, lang), 401)
    secret, _csrf, _expires = service.sign_in(session, user, "web", request_id(request), client_addr(request))
    session.commit()
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        httponly=True,
        samesite="lax",
        secure=get_settings().cookie_secure,
        max_age=int(get_settings().session_hours * 3600),
        path="/",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


def _page_actor(request: Request, session: SessionDep) -> Actor | None:
    cookie = request.cookies.get(SESSION_COOKIE)
    return service.resolve(session, cookie, "web") if cookie else None


@router.post("/logout", responses=POND_WRITE)
def logout(request: Request, session: SessionDep, _: Public, csrf_token: Annotated[str, Form()] = "") -> Response:
    # A form cannot send the X-CSRF-Token header, so the session's token comes as a form field.
    actor = _page_actor(request, session)
    if actor is not None and actor.csrf_token and hmac.compare_digest(actor.csrf_token, csrf_token):
        service.sign_out(session, actor, request_id(request), client_addr(request))
        session.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/docs")
def docs(request: Request, _: Public) -> HTMLResponse:
    return render(request, "docs.html")
