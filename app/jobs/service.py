"""Queue, claim and run jobs. Workers claim with FOR UPDATE SKIP LOCKED, so any number can run side by side."""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.accounts.service import Actor
from app.db import AuditContext, bind_audit_context, get_engine
from app.errors import DomainError, NotFound
from app.i18n import MESSAGES, Lang, t
from app.jobs.models import Job, JobState

log = logging.getLogger("tailings.jobs")

Progress = Callable[[float, str | None], None]
Handler = Callable[[Session, dict[str, Any], Progress, Job], dict[str, Any]]

# Job kinds, registered by the domains that declare them (`@handler`), gathered by app.job_kinds.
_HANDLERS: dict[str, Handler] = {}
PROGRESS_INTERVAL_S = 0.5


def register(kind: str, fn: Handler) -> None:
    """Make `fn` the handler of `kind` (a domain calls this, through `@handler`, when its module loads)."""
    if _HANDLERS.get(kind, fn) is not fn:
        raise ValueError(f"job kind {kind!r} registered twice")
    _HANDLERS[kind] = fn


def handler(kind: str) -> Callable[[Handler], Handler]:
    def decorate(fn: Handler) -> Handler:
        register(kind, fn)
        return fn

    return decorate


def handlers() -> dict[str, Handler]:
    """The registered job kinds. This package imports no domain: whoever runs jobs imports app.job_kinds."""
    return dict(_HANDLERS)


def submit(
    session: Session, kind: str, params: dict[str, Any], actor: Actor | None = None, pond_id: int | None = None
) -> Job:
    """Queue a job (committed with the caller's transaction)."""
    job = Job(
        kind=kind,
        params=params,
        user_id=actor.user_id if actor else None,
        username=actor.username if actor else os.environ.get("USER", "cli"),
        pond_id=pond_id,
    )
    session.add(job)
    session.flush()
    return job


def get_for(session: Session, actor: Actor, job_id: int, lang: Lang | None = None) -> dict[str, Any]:
    """A job as its owner sees it; anyone else's job is not found (admins see every job)."""
    job = session.get(Job, job_id) if 0 < job_id < 2**63 else None  # beyond bigint: no such job (not a 500)
    if job is None or (job.user_id != actor.user_id and actor.role != "admin"):
        raise NotFound("not_found", {"what_code": "job", "id": job_id})
    return as_dict(job, lang)


def message_of(job: Job, lang: Lang | None = None) -> str | None:
    """What the job's page shows: a sentence in the user's language for a failure (never an exception's text);
    progress notes (counts and codes of ponds) as written."""
    from app.errors import render_params

    lang = lang or (job.params or {}).get("lang") or "zh"
    if job.message in MESSAGES:
        params = (job.result or {}).get("params") or {}
        return t(job.message, lang, **render_params({"id": job.id, **params}, lang))
    return job.message


def as_dict(job: Job, lang: Lang | None = None) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "state": job.state,
        "progress": round(job.progress, 4),
        "message": message_of(job, lang),
        "result": job.result,
        "pond_id": job.pond_id,
        "created_at": job.created_at.isoformat() if job.created_at else None,
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


def claim(session: Session, worker: str, kinds: list[str] | None = None) -> int | None:
    """Take the oldest queued job (of `kinds`) for `worker`; committed, so others skip it."""
    row = session.execute(
        text("""
        UPDATE jobs SET state = 'running', started_at = now(), worker = :worker, progress = 0
        WHERE id = (SELECT id FROM jobs
                    WHERE state = 'queued' AND (CAST(:kinds AS text[]) IS NULL OR kind = ANY(:kinds))
                    ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1)
        RETURNING id"""),
        {"worker": worker, "kinds": kinds},
    ).scalar()
    session.commit()
    return row


def _reporter(job_id: int, session: Session | None = None) -> Progress:
    """Progress written in a connection of its own, so the page sees it while the work's transaction runs
    (or through `session`, when the caller runs the job inside its own transaction, as the tests do)."""
    last = [0.0]

    def report(share: float, message: str | None = None) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_INTERVAL_S and share < 1:
            return
        last[0] = now
        sql = text("UPDATE jobs SET progress = :p, message = coalesce(:m, message) WHERE id = :id")
        values = {"p": min(max(float(share), 0.0), 1.0), "m": message, "id": job_id}
        if session is not None:
            session.execute(sql, values)
            return
        with get_engine().begin() as conn:
            conn.execute(sql, values)

    return report


# A running job is held by an advisory lock of its runner's connection (key: this namespace and the job id).
# PostgreSQL drops the lock when that connection ends, so a job whose runner died (killed, machine lost)
# is found by any worker that can take its lock, and queued again.
LOCK_NAMESPACE = 0x7A11  # "tailings jobs"
ORPHAN_GRACE_S = 60


@contextmanager
def _held(job_id: int) -> Iterator[None]:
    with get_engine().connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:ns, :id)"), {"ns": LOCK_NAMESPACE, "id": job_id})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:ns, :id)"), {"ns": LOCK_NAMESPACE, "id": job_id})
            conn.commit()


def requeue_orphans(session: Session) -> list[int]:
    """Queue again the running jobs whose runner is gone (its lock is free); returns their ids."""
    requeued = []
    # a job just claimed takes its lock a moment later: leave the young ones alone
    running = session.execute(
        text(f"""SELECT id FROM jobs WHERE state = 'running'
                 AND started_at < now() - interval '{ORPHAN_GRACE_S} seconds' ORDER BY id""")
    ).scalars()
    for job_id in running:
        free = session.execute(
            text("SELECT pg_try_advisory_lock(:ns, :id)"), {"ns": LOCK_NAMESPACE, "id": job_id}
        ).scalar()
        if not free:
            continue
        session.execute(
            text("""UPDATE jobs SET state = 'queued', worker = NULL, progress = 0, started_at = NULL,
                           message = 'job_requeued' WHERE id = :id AND state = 'running'"""),
            {"id": job_id},
        )
        session.execute(text("SELECT pg_advisory_unlock(:ns, :id)"), {"ns": LOCK_NAMESPACE, "id": job_id})
        requeued.append(job_id)
    session.commit()
    if requeued:
        log.warning("jobs %s requeued: their worker stopped", requeued)
    return requeued


def run(job_id: int, session: Session | None = None) -> str:
    """Run one claimed job to its end; returns its final state. A failure is recorded, never raised.
    Without `session`, the job runs in a session of its own and reports progress as it goes. While it
    runs, the job's advisory lock is held (see `requeue_orphans`)."""
    with _held(job_id):
        if session is None:
            with Session(get_engine()) as own:
                return _run(job_id, own, _reporter(job_id))
        return _run(job_id, session, _reporter(job_id, session))


def _run(job_id: int, session: Session, report: Progress) -> str:
    job = session.get(Job, job_id)
    assert job is not None
    bind_audit_context(session, AuditContext(actor=job.username, user_id=job.user_id))
    fn = handlers().get(job.kind)
    try:
        if fn is None:
            raise DomainError("job_kind_unknown", {"kind": job.kind})
        result = fn(session, dict(job.params), report, job)
        job.state, job.progress, job.result = JobState.done, 1.0, result
        job.message = None
    except Exception as exc:  # the job fails, the worker goes on
        session.rollback()
        session.expire_all()
        job = session.get(Job, job_id)
        assert job is not None
        job.state = JobState.failed
        if isinstance(exc, DomainError):
            job.result = {"code": exc.code, "params": exc.params}
            job.message = exc.code
        else:
            log.exception("job %s (%s) failed", job_id, job.kind)  # the exception goes to the log, not the user
            job.result = {"code": "job_failed_message", "params": {}}
            job.message = "job_failed_message"
    session.execute(text("UPDATE jobs SET finished_at = now() WHERE id = :id"), {"id": job_id})
    state = job.state
    session.commit()
    return state


def work(once: bool = False, poll_s: float = 1.0, kinds: list[str] | None = None) -> int:
    """Claim and run jobs until stopped (or, with `once`, until the queue is empty); returns jobs run."""
    worker = f"{socket.gethostname()}:{os.getpid()}"
    n = 0
    while True:
        with Session(get_engine()) as session:
            requeue_orphans(session)
            job_id = claim(session, worker, kinds)
        if job_id is None:
            if once:
                return n
            time.sleep(poll_s)
            continue
        log.info("job %s claimed by %s", job_id, worker)
        run(job_id)
        n += 1
