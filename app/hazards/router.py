"""Hazards API: report, the trail, the verification steps, each user's inbox, and the statistics."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response

from app.accounts.deps import PondInspector, PondReader, SignedIn, pond_roles
from app.accounts.service import Actor
from app.clock import today
from app.db import SessionDep
from app.deps import LangDep
from app.errors import Forbidden
from app.hazards import service, stats, workflow
from app.hazards.schemas import HazardIn, TransitionIn
from app.responses import POND_READ, POND_WRITE, media

router = APIRouter(tags=["hazards"], responses=POND_READ)
# Those who take some step of the verification (which step is theirs the workflow decides per state); any
# other role is refused before the body is read, with the workflow's own reason.
STEP_ROLES: frozenset[str] = frozenset().union(*(t.roles for t in workflow.TRANSITIONS))


def _no_step_for(actor: Actor) -> Forbidden:
    return Forbidden(
        "hazard_wrong_role",
        {"action_code": "hz_act_any", "roles": "/".join(sorted(STEP_ROLES)), "role_code": f"role_{actor.role}"},
    )


PondHazardActor = Annotated[Actor, Depends(pond_roles("pond_hazard_step", STEP_ROLES, _no_step_for))]
P = "/api/ponds/{pond_id}/hazards"


@router.get(P, summary="The pond's hazards, newest first")
def list_hazards(pond_id: int, actor: PondReader, session: SessionDep, lang: LangDep) -> Any:
    return jsonable_encoder({"items": service.list_for_pond(session, actor, pond_id, lang)})


@router.post(
    P,
    summary="Report a hazard directly (inspector, or the enterprise's self-inspection)",
    responses={**POND_WRITE, 201: {"description": "Reported; 200: this id was reported before, unchanged"}},
)
def report_hazard(
    pond_id: int, actor: PondInspector, body: HazardIn, session: SessionDep, lang: LangDep
) -> JSONResponse:
    hazard_id, created = service.create(session, actor, pond_id, body)
    session.commit()
    out = service.detail(session, actor, pond_id, hazard_id, lang)
    return JSONResponse(jsonable_encoder(out), status_code=201 if created else 200)


@router.get(P + "/{hazard_id}", summary="One hazard with its trail, photos and the actions open to you")
def get_hazard(pond_id: int, hazard_id: int, actor: PondReader, session: SessionDep, lang: LangDep) -> Any:
    return jsonable_encoder(service.detail(session, actor, pond_id, hazard_id, lang))


@router.post(
    P + "/{hazard_id}/transitions",
    summary="Take a step of the three-level verification (assign, rectify, verify, reject, close)",
    description="409 when the hazard's state does not allow the step, 403 when your role may not take it; "
    "see GET /api/hazards/workflow for the table.",
    responses=POND_WRITE,
)
def hazard_transition(
    pond_id: int, hazard_id: int, actor: PondHazardActor, body: TransitionIn, session: SessionDep, lang: LangDep
) -> Any:
    service.transition(session, actor, pond_id, hazard_id, body)
    session.commit()
    return jsonable_encoder(service.detail(session, actor, pond_id, hazard_id, lang))


@router.get("/api/hazards/workflow", summary="The verification state machine: states, steps and who takes them")
def hazard_workflow(actor: SignedIn) -> Any:
    return {"states": [s.value for s in workflow.HazardState], "transitions": workflow.table()}


@router.get("/api/hazards/inbox", summary="What waits for me: hazards whose next step is mine, overdue first")
def hazard_inbox(actor: SignedIn, session: SessionDep, lang: LangDep) -> Any:
    items = service.inbox(session, actor, lang)
    return jsonable_encoder({"items": items, "total": len(items)})


@router.get("/api/stats/hazards", summary="Hazards in my scope by state, county, pond level and age")
def hazard_stats(actor: SignedIn, session: SessionDep) -> Any:
    return jsonable_encoder(stats.hazard_stats(session, actor))


@router.get(
    "/api/stats/inspections-due", summary="Inspections due and overdue per pond in my scope, by the frequency rules"
)
def inspections_due(
    actor: SignedIn, session: SessionDep, on: Annotated[dt.date | None, Query(description="as of this day")] = None
) -> Any:
    return jsonable_encoder(stats.inspections_due(session, actor, on or today()))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/api/exports/hazards.xlsx",
    response_class=Response,
    responses=media("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    summary="Hazards in my scope as a spreadsheet",
)
def export_hazards(actor: SignedIn, session: SessionDep) -> Response:
    from app.hazards.exports import hazards_xlsx

    return Response(
        hazards_xlsx(session, actor),
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="hazards.xlsx"'},
    )
