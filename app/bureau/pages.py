"""The bureau's import page: the pond registry and the reference layers, each previewed then committed."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.accounts.deps import PageBureauStaff
from app.bureau.reference import Layer
from app.bureau.spec import registry_spec
from app.deps import request_language
from app.i18n import MESSAGES, t
from app.imports.spec import crs_choices
from app.web.shell import js_strings, render

router = APIRouter(include_in_schema=False)
JS_MESSAGES = [k for k in MESSAGES if k.startswith(("bureau_", "registry_f_"))] + ["import_error_report"]


@router.get("/bureau/imports")
def bureau_page(request: Request, actor: PageBureauStaff) -> HTMLResponse:
    lang = request_language(request)
    fields = {c.code: c.label for c in registry_spec(lang).sheets[0].columns}
    fields |= {"county_adcode": fields["county"], "enterprise": fields["enterprise_name"]}
    fields["illustrative"] = t("registry_illustrative_label", lang)
    fields["location"] = t("registry_f_location", lang)
    data = {
        "lang": lang,
        "strings": js_strings(JS_MESSAGES, lang),
        "fields": fields,
        "csrf_token": actor.csrf_token,
    }
    return render(
        request,
        "bureau.html",
        actor=actor,
        page_data=data,
        crs_choices=crs_choices(lang),
        layers=[layer.value for layer in Layer],
    )
