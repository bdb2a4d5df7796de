"""Pages of the inspection loop: the phone inspection page, each user's hazard inbox, a hazard's page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse

from app.accounts.deps import PagePondReader, PageUser
from app.clock import CHINA
from app.db import SessionDep
from app.deps import request_language
from app.hazards import service as hazards
from app.hazards.service import REPORTERS
from app.i18n import Lang
from app.inspections import service
from app.ponds.service import get_pond
from app.web.shell import js_strings, map_page, render

router = APIRouter(include_in_schema=False)

JS_MESSAGES = [
    "ans_ok", "ans_problem", "ans_not_applicable", "note", "take_photo", "photos_n", "my_position",
    "position_unknown", "nearest_elements", "distance_m", "pond_level_items", "no_element_of_type",
    "sync_local", "sync_pending", "sync_sent", "sync_offline", "sync_error", "save_draft", "submit_inspection",
    "submitted_hazards", "open_record", "confirm_submit_none", "hz_act_assign", "hz_act_rectify",
    "hz_act_county_verify", "hz_act_city_verify", "hz_act_province_verify", "hz_act_reject", "hz_act_close",
    "plan", "deadline", "responsible", "reason", "evidence_photos", "do_action", "new_inspection",
]  # fmt: skip


def _strings(lang: Lang) -> dict[str, str]:
    return js_strings(JS_MESSAGES, lang)


@router.get("/ponds/{pond_id}/inspect")
def inspect_page(pond_id: int, request: Request, session: SessionDep, actor: PagePondReader) -> HTMLResponse:
    """The phone page: position, nearest elements, the checklist; drafts kept in the browser until sent."""
    lang = request_language(request)
    pond = get_pond(session, pond_id)
    checklist = service.checklist_for_pond(session, pond_id)
    session.commit()  # the template is stored on first use
    data: dict[str, Any] = {
        "lang": lang,
        "strings": _strings(lang),
        "map": "map_inspect",
        "pond": {"id": pond_id, "name": pond["name"], "code": pond["code"], "location": pond["location"]},
        "checklist": checklist,
        "csrf": actor.csrf_token,
        "may_inspect": actor.role in REPORTERS,
        "user_id": actor.user_id,
    }
    lon, lat = pond["location"]
    return map_page(request, "inspect.html", "inspect", (lat, lon), 16, actor=actor, pond=pond, page_data=data)


@router.get("/hazards")
def inbox_page(request: Request, session: SessionDep, actor: PageUser) -> HTMLResponse:
    """What waits for me, overdue first; and every open hazard in my scope."""
    lang = request_language(request)
    waiting = hazards.inbox(session, actor, lang)
    waiting_ids = {h["id"] for h in waiting}
    others = [h for h in hazards.in_scope(session, actor, lang) if h["id"] not in waiting_ids]
    others.sort(key=lambda h: (h["state"] == "closed", -h["id"]))
    return render(request, "hazards.html", actor=actor, waiting=waiting, others=others[:200])


@router.get("/ponds/{pond_id}/hazards/{hazard_id}")
def hazard_page(
    pond_id: int, hazard_id: int, request: Request, session: SessionDep, actor: PagePondReader
) -> HTMLResponse:
    lang = request_language(request)
    hazard = hazards.detail(session, actor, pond_id, hazard_id, lang)
    data = {
        "lang": lang,
        "strings": _strings(lang),
        "pond_id": pond_id,
        "hazard_id": hazard_id,
        "actions": hazard["actions"],
        "csrf": actor.csrf_token,
    }
    return render(request, "hazard.html", actor=actor, hazard=hazard, page_data=jsonable_encoder(data), CHINA=CHINA)
