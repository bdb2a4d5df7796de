"""Batch derivation over many ponds and dates on Dask: the same `compute` as the worker and the CLI, run on
a local cluster by default or on the cluster whose scheduler TAILINGS_IMAGERY_DASK_SCHEDULER names. Workers
read the COGs from the file store (on a cluster: a shared mount at the same TAILINGS_FILES_DIR) and never
touch the database; results are stored here, one transaction per task."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.imagery import service
from app.imagery.config import get_imagery_settings
from app.imagery.derive import compute
from app.imagery.models import Image, ImageKind


@contextmanager
def dask_client(scheduler: str | None = None, workers: int | None = None) -> Iterator[Any]:
    from distributed import Client, LocalCluster

    settings = get_imagery_settings()
    address = scheduler or settings.dask_scheduler
    if address:
        with Client(address) as client:
            yield client
        return
    n = workers or settings.dask_workers
    with (
        LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        yield client


def batch_derive(
    session: Session,
    image_ids: list[int] | None = None,
    pond_ids: list[int] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    overrides: dict[str, Any] | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: Callable[[float, str | None], None] | None = None,
    by: str = "batch",
) -> list[dict[str, Any]]:
    """Derive water and outlines for every (image, pond) pair selected; summaries in completion order."""
    query = select(Image).where(Image.kind.in_([ImageKind.multispectral, ImageKind.rgb])).order_by(Image.id)
    if image_ids:
        query = query.where(Image.id.in_(image_ids))
    if since:
        query = query.where(Image.acquired_on >= since)
    if until:
        query = query.where(Image.acquired_on <= until)
    images = {i.id: i for i in session.scalars(query)}
    tasks = [t for image in images.values() for t in service.tasks_for(session, image, pond_ids, overrides)]
    if not tasks:
        return []
    from distributed import as_completed

    out = []
    with dask_client(scheduler, workers) as client:
        futures = client.map(compute, tasks, pure=False)
        for i, (_future, result) in enumerate(as_completed(futures, with_results=True)):
            service.store(session, result, images[result["image_id"]].acquired_on, by)
            session.commit()
            out.append(service.summary_of(result))
            if progress:
                progress((i + 1) / len(tasks), f"image {result['image_id']} pond {result['pond_id']}")
    return out
