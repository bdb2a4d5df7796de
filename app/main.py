"""The FastAPI application."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import text

from app import handlers, registry
from app.catalogue.router import router as catalogue_router
from app.compliance.router import router as compliance_router
from app.db import SessionDep
from app.elements.router import router as elements_router
from app.ponds.router import router as ponds_router


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    registry.load_all()  # a broken catalogue, rules file or region stops the start here
    yield


def create_app() -> FastAPI:
    app = FastAPI(
        title="Tailings One Map API",
        summary="尾矿库环境监管“一张图” · geospatial supervision of tailings ponds",
        description="Geometries are CGCS2000 (EPSG:4490) longitude/latitude. Messages in Chinese by default; "
        "send `Accept-Language: en` or `?lang=en` for English.",
        version="0.1.0",
        lifespan=lifespan,
    )
    handlers.install(app)

    @app.get("/healthz", tags=["operations"], summary="Alive, and the database answers")
    def healthz(session: SessionDep) -> Any:
        try:
            session.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any failure means not healthy
            return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
        return {"status": "ok", "database": "ok"}

    for router in (catalogue_router, ponds_router, elements_router, compliance_router):
        app.include_router(router)
    return app


app = create_app()
