"""One place that turns errors into HTTP responses in the user's language."""

from __future__ import annotations

import html
import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.accounts.deps import LoginRedirect
from app.deps import request_language
from app.errors import BodyInvalid, DomainError, FieldProblem, render_params
from app.i18n import Lang, t

log = logging.getLogger("tailings")


def problem_json(p: FieldProblem, lang: Lang) -> dict[str, Any]:
    return {"field": p.field, "code": p.code, "message": t(p.code, lang, **render_params(p.params, lang))}


# pydantic error types -> our message codes
_PYDANTIC: dict[str, tuple[str, dict[str, str]]] = {
    "missing": ("missing", {}),
    "extra_forbidden": ("extra_forbidden", {}),
    "json_invalid": ("json_invalid", {}),
    "int_parsing": ("wrong_type", {"expected_code": "type_integer"}),
    "int_type": ("wrong_type", {"expected_code": "type_integer"}),
    "int_from_float": ("wrong_type", {"expected_code": "type_integer"}),
    "float_parsing": ("wrong_type", {"expected_code": "type_number"}),
    "float_type": ("wrong_type", {"expected_code": "type_number"}),
    "bool_parsing": ("wrong_type", {"expected_code": "type_boolean"}),
    "bool_type": ("wrong_type", {"expected_code": "type_boolean"}),
    "string_type": ("wrong_type", {"expected_code": "type_string"}),
    "dict_type": ("wrong_type", {"expected_code": "type_object"}),
    "model_attributes_type": ("wrong_type", {"expected_code": "type_object"}),
    "date_from_datetime_parsing": ("wrong_type", {"expected_code": "type_date"}),
    "date_parsing": ("wrong_type", {"expected_code": "type_date"}),
}


def _pydantic_problem(err: dict[str, Any]) -> FieldProblem:
    loc = ".".join(str(x) for x in err.get("loc", ()) if x != "body")
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    if kind in _PYDANTIC:
        code, params = _PYDANTIC[kind]
        return FieldProblem(loc, code, dict(params))
    if kind in ("greater_than_equal", "greater_than"):
        return FieldProblem(loc, "too_small", {"limit": ctx.get("ge", ctx.get("gt"))})
    if kind in ("less_than_equal", "less_than"):
        return FieldProblem(loc, "too_large", {"limit": ctx.get("le", ctx.get("lt"))})
    if kind.startswith("text_"):  # app.text: the code is ours, the context its parameters (with the label)
        return FieldProblem(loc, kind, dict(ctx))
    if kind in ("string_too_long", "string_too_short"):
        return FieldProblem(loc, kind.removeprefix("string_"), {"limit": ctx.get("max_length", ctx.get("min_length"))})
    if kind in ("literal_error", "enum", "string_pattern_mismatch"):
        return FieldProblem(loc, "literal_error", {"expected": ctx.get("expected", ctx.get("pattern", ""))})
    return FieldProblem(loc, "invalid_value", {"detail": err.get("msg", kind)})


def _problems(exc: DomainError) -> list[FieldProblem]:
    if isinstance(exc, BodyInvalid):  # pydantic's errors, read as for a body FastAPI checked
        return [_pydantic_problem(e) for e in exc.errors]
    return exc.problems


_HTTP_CODES = {400: "body_unparseable", 404: "route_not_found", 405: "method_not_allowed"}


def wants_html(request: Request) -> bool:
    """A browser asking for a page (or `?f=html`), not an API client, a map script or QGIS."""
    if request.url.path.startswith("/api/"):
        return False
    return request.query_params.get("f") == "html" or "text/html" in request.headers.get("accept", "")


def install(app: FastAPI) -> None:
    @app.exception_handler(LoginRedirect)
    async def login_redirect(request: Request, exc: LoginRedirect) -> RedirectResponse:
        return RedirectResponse(f"/login?next={quote(exc.next_path)}", status_code=303)

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        lang = request_language(request)
        if exc.status_code in (403, 404) and wants_html(request):
            # a page: a short page in the user's language, without saying whether the thing exists
            return HTMLResponse(
                f"<!doctype html><meta charset='utf-8'><title>{exc.status_code}</title>"
                f"<p>{html.escape(t('not_found_page', lang))}</p><p><a href='/'>↩</a></p>",
                status_code=exc.status_code,
            )
        body = {
            "error": {
                "code": exc.code,
                "message": t(exc.code, lang, **render_params(exc.params, lang)),
                "problems": [problem_json(p, lang) for p in _problems(exc)],
            }
        }
        headers = {}
        if exc.status_code == 401:
            headers["WWW-Authenticate"] = "Bearer"
        if (retry := getattr(exc, "retry_after_s", None)) is not None:
            headers["Retry-After"] = str(retry)
        return JSONResponse(body, status_code=exc.status_code, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # Starlette's own refusals (a body that cannot be parsed, no such route, a method not allowed) in the
        # same error body as every other error, in the user's language, never Starlette's English `detail`.
        lang = request_language(request)
        code = _HTTP_CODES.get(exc.status_code, "request_refused")
        body = {"error": {"code": code, "message": t(code, lang), "problems": []}}
        return JSONResponse(body, status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def request_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        lang = request_language(request)
        problems = [problem_json(_pydantic_problem(e), lang) for e in exc.errors()]
        body = {"error": {"code": "validation_failed", "message": t("validation_failed", lang), "problems": problems}}
        return JSONResponse(body, status_code=422)

    @app.exception_handler(DataError)
    async def out_of_range(request: Request, exc: DataError) -> JSONResponse:
        # A number the database cannot hold (an id of 10**20 in a path, say) is the caller's mistake, for
        # every route at once; any other data error is ours.
        if getattr(exc.orig, "sqlstate", None) != "22003":  # numeric_value_out_of_range
            return await unexpected(request, exc)
        lang = request_language(request)
        message = t("number_out_of_range", lang)
        return JSONResponse({"error": {"code": "number_out_of_range", "message": message, "problems": []}}, 422)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        lang = request_language(request)
        return JSONResponse(
            {"error": {"code": "internal_error", "message": t("internal_error", lang), "problems": []}}, status_code=500
        )
