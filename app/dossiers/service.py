"""Dossiers of many ponds: one ZIP with a folder per pond, built by `tailings worker` (job kind `dossier_all`)
or by the CLI; the job's result is stored in the file store and downloaded by the job's owner only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app import files
from app.accounts.scope import pond_scope_sql
from app.accounts.service import Actor
from app.dossiers.build import dossier_entries, write_zip
from app.errors import Conflict, NotFound
from app.i18n import Lang
from app.jobs import service as jobs
from app.jobs.models import Job
from app.jobs.service import Progress, handler

KIND = "dossier_all"

Step = Callable[[int, int, str], None]  # done, total, pond code


def pond_code(session: Session, pond_id: int) -> str | None:
    """The pond's code, which names its dossier's files."""
    return session.execute(text("SELECT code FROM ponds WHERE id = :p"), {"p": pond_id}).scalar()


def pond_ids_in_scope(session: Session, actor: Actor) -> list[int]:
    clause, params = pond_scope_sql(actor)
    return list(session.execute(text(f"SELECT p.id FROM ponds p WHERE {clause} ORDER BY p.code"), params).scalars())


def export_all(
    session: Session, pond_ids: list[int], lang: Lang = "zh", today: dt.date | None = None, step: Step | None = None
) -> bytes:
    """Every listed pond's dossier in one ZIP (a folder per pond code)."""
    today = today or dt.date.today()
    entries: list[tuple[dt.datetime, str, bytes]] = []
    for i, pond_id in enumerate(pond_ids):
        when, files_ = dossier_entries(session, pond_id, lang, today)
        entries.extend((when, name, body) for name, body in files_)
        if step is not None:
            step(i + 1, len(pond_ids), files_[0][0].split("/", 1)[0])
    return write_zip(entries)


def actor_of_job(session: Session, job: Job) -> Actor:
    """The job's owner as an Actor (scope as of now: a person who lost access gets less, never more)."""
    row = session.execute(
        text("""SELECT u.id, u.username, u.display_name, u.role, o.id AS org_id, o.kind, o.name, o.adcode,
                       o.enterprise_id
                FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.id = :u AND u.active"""),
        {"u": job.user_id},
    ).one_or_none()
    if row is None:
        raise NotFound("not_found", {"what_code": "job", "id": job.id})
    return Actor(
        user_id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=row.role,
        org_id=row.org_id,
        org_kind=row.kind,
        org_name=row.name,
        adcode=row.adcode,
        enterprise_id=row.enterprise_id,
        session_id=0,
        session_kind="job",
    )


@handler(KIND)
def dossier_all_job(session: Session, params: dict[str, Any], progress: Progress, job: Job) -> dict[str, Any]:
    actor = actor_of_job(session, job)
    ponds = pond_ids_in_scope(session, actor)
    if not ponds:
        raise Conflict("dossier_no_ponds", {})
    progress(0.0, f"0/{len(ponds)}")
    data = export_all(
        session, ponds, params.get("lang", "zh"), step=lambda i, n, code: progress(i / n * 0.95, f"{i}/{n} {code}")
    )
    progress(0.97, None)
    sha = files.put(data)
    return {"sha256": sha, "ponds": len(ponds), "size_bytes": len(data), "filename": f"dossiers-{job.id}.zip"}


def start_all(session: Session, actor: Actor, lang: Lang) -> dict[str, Any]:
    job = jobs.submit(session, KIND, {"lang": lang}, actor)
    return jobs.as_dict(job) | {"state": "queued", "progress": 0.0}


def result_of(session: Session, actor: Actor, job_id: int) -> tuple[str, bytes]:
    """The finished export of the caller's own job (anyone else's is not found)."""
    job = jobs.get_for(session, actor, job_id)
    if job["kind"] != KIND:
        raise NotFound("not_found", {"what_code": "job", "id": job_id})
    if job["state"] != "done" or not job["result"]:
        raise Conflict("dossier_not_ready", {"id": job_id})
    return job["result"]["filename"], files.get(job["result"]["sha256"])
