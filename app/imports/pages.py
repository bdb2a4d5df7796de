"""The upload page of a pond and the preview of a staged upload (folium map, table, commit)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import text

from app.accounts.deps import PagePondReader
from app.accounts.scope import EDITORS, MANAGERS
from app.db import SessionDep
from app.deps import request_language
from app.enums import GeometrySource
from app.i18n import MESSAGES
from app.imports import service
from app.imports.spec import crs_choices
from app.ponds.service import get_pond
from app.web.shell import js_strings, map_page

router = APIRouter(include_in_schema=False)
JS_MESSAGES = [k for k in MESSAGES if k.startswith(("import_action_", "import_shift"))]


def _boundary(session: Any, pond_id: int) -> Any:
    value = session.execute(text("SELECT ST_AsGeoJSON(boundary) FROM ponds WHERE id = :id"), {"id": pond_id}).scalar()
    return json.loads(value) if value else None


def _render(
    request: Request, session: Any, actor: Any, pond_id: int, batch: dict[str, Any] | None, **extra: Any
) -> HTMLResponse:
    lang = request_language(request)
    pond = get_pond(session, pond_id)
    data = {
        "lang": lang,
        "strings": js_strings(JS_MESSAGES, lang),
        "map": "map_import",
        "pond_id": pond_id,
        "batch_id": batch["id"] if batch else None,
        "pond_boundary": _boundary(session, pond_id),
        "csrf_token": actor.csrf_token,
    }
    lon, lat = pond["location"]
    return map_page(
        request, "import.html", "import", (lat, lon), 15, actor=actor, pond=pond, batch=batch, page_data=data, **extra
    )


@router.get("/ponds/{pond_id}/import")
def import_page(pond_id: int, request: Request, session: SessionDep, actor: PagePondReader) -> HTMLResponse:
    lang = request_language(request)
    bureau = actor.role in MANAGERS
    return _render(
        request,
        session,
        actor,
        pond_id,
        None,
        can_edit=actor.role in EDITORS,
        crs_choices=crs_choices(lang),
        sources=[s.value for s in GeometrySource if s != GeometrySource.enterprise] if bureau else [],
        history=service.batches(session, pond_id),
    )


@router.get("/ponds/{pond_id}/imports/{batch_id}")
def batch_page(
    pond_id: int, batch_id: int, request: Request, session: SessionDep, actor: PagePondReader
) -> HTMLResponse:
    batch = service.batch_summary(session, pond_id, batch_id, request_language(request))
    created_by = session.execute(
        text("SELECT created_by FROM import_batches WHERE id = :id"), {"id": batch_id}
    ).scalar()
    return _render(
        request,
        session,
        actor,
        pond_id,
        batch,
        can_decide=service.may_decide(actor, created_by),
        can_review=service.may_review(actor),
    )
