"""The FastAPI application."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import swagger_ui_bundle
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app import (
    handlers,
    job_kinds,  # noqa: F401  (registers every domain's job kinds with app.jobs)
    registry,
)
from app.accounts import lean
from app.accounts.chiefs import router as chiefs_router
from app.accounts.deps import Public
from app.accounts.router import router as accounts_router
from app.audit.router import router as audit_router
from app.bureau.pages import router as bureau_pages_router
from app.bureau.router import router as bureau_router
from app.catalogue.router import router as catalogue_router
from app.compliance.router import router as compliance_router
from app.config import get_settings
from app.dashboard.router import router as dashboard_router
from app.db import SessionDep, get_engine
from app.dossiers.router import all_router as dossiers_all_router
from app.dossiers.router import router as dossiers_router
from app.elements.router import router as elements_router
from app.hazards.router import router as hazards_router
from app.imagery.router import router as imagery_router
from app.imports.pages import router as import_pages_router
from app.imports.router import router as imports_router
from app.inspections.pages import router as inspection_pages
from app.inspections.router import exports_router as inspection_exports_router
from app.inspections.router import router as inspections_router
from app.jobs.router import router as jobs_router
from app.map.router import router as map_router
from app.middleware import RequestContext
from app.monitoring.router import router as monitoring_router
from app.ogc.router import router as ogc_router
from app.ops.health import readiness
from app.ponds.router import router as ponds_router
from app.records.router import pages as records_pages
from app.records.router import router as records_router
from app.tiles.router import router as tiles_router
from app.web.router import router as web_router

log = logging.getLogger("tailings")
STATIC = Path(__file__).parent / "static"


def _retire_demo_accounts() -> None:
    from app.accounts.service import disable_demo_accounts
    from app.db import set_actor

    try:
        with Session(get_engine()) as session:
            set_actor(session, "startup")
            if n := disable_demo_accounts(session):
                log.warning("demo mode is off: disabled %d demo accounts", n)
            session.commit()
    except SQLAlchemyError as exc:  # the database may come later; /healthz tells
        log.error("could not check for demo accounts: %s", str(exc).splitlines()[0])


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()  # refuses a default secret key outside demo mode
    registry.load_all()  # a broken catalogue, rules file or region stops the start here
    if not settings.demo:
        _retire_demo_accounts()
    yield
    lean.close_pool()
    get_engine().dispose()  # after the requests in flight finished (graceful shutdown): close the pool


def create_app() -> FastAPI:
    app = FastAPI(
        title="Tailings One Map API",
        summary="尾矿库环境监管“一张图” · geospatial supervision of tailings ponds",
        description="Geometries are CGCS2000 (EPSG:4490) longitude/latitude. Messages in Chinese by default; "
        "send `Accept-Language: en` or `?lang=en` for English. Sign in at `/api/auth/token` (OAuth2 password "
        "flow) and send the token as `Authorization: Bearer ...`.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served by app.web from the vendored Swagger UI, without CDN or inline script
        redoc_url=None,
    )
    app.add_middleware(RequestContext)
    handlers.install(app)

    @app.get("/healthz", tags=["operations"], summary="Alive, and the database answers")
    def healthz(session: SessionDep, _: Public) -> Any:
        try:
            session.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
        return {"status": "ok", "database": "ok"}

    @app.get(
        "/readyz",
        tags=["operations"],
        summary="Ready for traffic: the database answers and is migrated to this code's newest migration",
        responses={503: {"description": "Not ready; `reason` says why"}},
    )
    def readyz(session: SessionDep, _: Public) -> Any:
        ready, detail = readiness(session)
        return detail if ready else JSONResponse(detail, status_code=503)

    # the hot read paths first: the router tries routes in order (about 9 % of a cached tile's CPU was
    # spent matching it against the routes before it)
    for router in (
        tiles_router,
        ogc_router,
        accounts_router,
        catalogue_router,
        ponds_router,
        elements_router,
        imports_router,
        import_pages_router,
        bureau_router,
        bureau_pages_router,
        compliance_router,
        audit_router,
        chiefs_router,
        records_router,
        monitoring_router,
        dashboard_router,
        dossiers_router,
        dossiers_all_router,
        records_pages,
        inspections_router,
        inspection_exports_router,
        hazards_router,
        inspection_pages,
        map_router,
        imagery_router,
        jobs_router,
        web_router,
    ):
        app.include_router(router)
    app.mount("/static/swagger-ui", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="swagger-ui")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


app = create_app()
