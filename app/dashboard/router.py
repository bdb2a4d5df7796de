from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse

from app.accounts.deps import PageUser, SignedIn
from app.accounts.scope import pond_scope_sql
from app.dashboard import service
from app.db import SessionDep
from app.deps import LangQuery
from app.responses import SIGNED_IN

router = APIRouter()


@router.get(
    "/api/dashboard",
    tags=["dashboard"],
    responses=SIGNED_IN,
    summary="The city dashboard's numbers, each with its pond ids",
)
def dashboard_api(session: SessionDep, actor: SignedIn, lang: LangQuery = None) -> Any:
    return jsonable_encoder({**service.dashboard(session, pond_scope_sql(actor)), **_work(session, actor)})


def _work(session: Any, actor: Any) -> dict[str, Any]:
    """Hazards (by state, overdue) and inspections due or overdue this year, within the caller's scope."""
    from app.clock import today
    from app.hazards.stats import hazard_stats, inspections_due

    due = inspections_due(session, actor, today())
    late = {
        kind: [p["pond_id"] for p in due["ponds"] if p[kind]["state"] == "overdue"]
        for kind in ("government", "self_inspection")
    }
    pending = {
        kind: [p["pond_id"] for p in due["ponds"] if p[kind]["state"] in ("due", "overdue")]
        for kind in ("government", "self_inspection")
    }
    return {"hazards": hazard_stats(session, actor), "inspections": {"overdue": late, "due": pending}}


def _bars(groups: dict[str, list[int]], names: dict[str, str], href: Any) -> list[dict[str, Any]]:
    top = max((len(v) for v in groups.values()), default=0) or 1
    return [
        {"key": k, "name": names.get(k, k), "n": len(v), "width": round(100 * len(v) / top, 1), "href": href(k, v)}
        for k, v in groups.items()
    ]


def ids_href(ids: list[int]) -> str:
    return "/?ids=" + ",".join(str(i) for i in ids) if ids else "/?ids=0"


@router.get("/dashboard", include_in_schema=False)
def dashboard_page(request: Request, session: SessionDep, actor: PageUser) -> HTMLResponse:
    from app.deps import request_language
    from app.i18n import t
    from app.web.shell import render

    lang = request_language(request)
    d = service.dashboard(session, pond_scope_sql(actor))
    county_names = {k: (v["name"] if lang == "zh" else v["name_en"] or v["name"]) for k, v in d["counties"].items()}
    charts = {
        "level": _bars(d["by_level"], {k: t("level_n", lang, n=k) for k in d["by_level"]}, lambda k, v: f"/?level={k}"),
        "status": _bars(
            d["by_status"], {k: t(f"status_{k}", lang) for k in d["by_status"]}, lambda k, v: f"/?status={k}"
        ),
        "county": _bars(d["by_county"], county_names, lambda k, v: f"/?county={k}"),
    }
    names = {p["id"]: p for p in d["ponds"]}
    work = _work(session, actor)
    return render(request, "dashboard.html", actor=actor, d=d, charts=charts, ids_href=ids_href, names=names, work=work)
