"""Imagery work done by `tailings worker`: ingesting an uploaded image, deriving water for its ponds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from app import files
from app.errors import NotFound
from app.imagery import service
from app.imagery.models import Image
from app.jobs.models import Job
from app.jobs.service import Progress, handler


@handler("imagery.ingest")
def ingest_job(session: Session, params: dict[str, Any], progress: Progress, job: Job) -> dict[str, Any]:
    image, created = service.ingest(
        session,
        files.path_of(params["source_sha256"]),
        params["filename"],
        dt.date.fromisoformat(params["acquired_on"]),
        params["sensor"],
        params.get("bands"),
        username=job.username,
        progress=progress,
    )
    image.user_id = job.user_id
    return {"image_id": image.id, "created": created, "ponds": service.covered_ponds(session, image.id)}


@handler("imagery.derive")
def derive_job(session: Session, params: dict[str, Any], progress: Progress, job: Job) -> dict[str, Any]:
    image = session.get(Image, params["image_id"])
    if image is None:
        raise NotFound("not_found", {"what_code": "image", "id": params["image_id"]})
    ponds = params.get("pond_ids")
    summary = service.derive(session, image, ponds, params.get("overrides"), progress, job.username, job.id)
    return {"image_id": image.id, "ponds": summary}
