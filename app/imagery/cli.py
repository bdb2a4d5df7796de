"""`tailings imagery ingest|derive|batch` and `tailings worker`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from sqlalchemy.orm import Session

from app.errors import DomainError
from app.i18n import t

imagery_cli = typer.Typer(help="Satellite and drone imagery: ingest, derive water, batch on Dask", no_args_is_help=True)
console = Console(stderr=True)


def _session() -> Session:
    from app.db import get_engine, set_actor

    session = Session(get_engine(), expire_on_commit=False)
    set_actor(session, "cli")
    return session


def _bar() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn(),
                    console=console)  # fmt: skip


def _domain_error(exc: DomainError, lang: str) -> typer.Exit:
    params = {**exc.params}
    for key in [k for k in params if k.endswith("_code")]:  # what_code, reason_code: messages themselves
        params[key.removesuffix("_code")] = t(params[key], lang)  # type: ignore[arg-type]
    console.print(f"[bold red]error:[/] {t(exc.code, lang, **params)}")  # type: ignore[arg-type]
    return typer.Exit(2)


@imagery_cli.command("ingest")
def ingest(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="GeoTIFF")],
    date: Annotated[dt.datetime, typer.Option("--date", formats=["%Y-%m-%d"], help="acquisition date")],
    sensor: Annotated[str, typer.Option(help="sentinel-2, gf-2, drone, dem...")],
    bands: Annotated[str | None, typer.Option(help="band roles in order, e.g. blue,green,red,nir")] = None,
    lang: Annotated[str, typer.Option(help="zh or en")] = "zh",
) -> None:
    """Check a GeoTIFF, convert it to COG, store it and record the ponds it covers."""
    from app.imagery import service

    roles = [b for b in bands.split(",") if b.strip()] if bands else None
    with _session() as session, _bar() as bar:
        task = bar.add_task(file.name, total=1.0)
        try:
            image, created = service.ingest(
                session, file, file.name, date.date(), sensor, roles,
                progress=lambda share, _msg=None: bar.update(task, completed=share),
            )  # fmt: skip
        except DomainError as exc:
            raise _domain_error(exc, lang) from exc
        bar.update(task, completed=1.0)
        ponds = service.covered_ponds(session, image.id)
        session.commit()
    verb = "ingested" if created else "already stored as"
    console.print(f"[green]{verb} image {image.id}[/] ({image.kind}, {image.resolution_m:.2f} m, "
                  f"{image.acquired_on}); ponds covered: {ponds or 'none'}")  # fmt: skip
    typer.echo(image.id)


@imagery_cli.command("derive")
def derive(
    image_id: int,
    pond: Annotated[list[int] | None, typer.Option("--pond", "-p", help="pond id; repeat; default all covered")] = None,
    threshold: Annotated[float | None, typer.Option(help="NDWI (or RGB ratio) threshold")] = None,
    lang: Annotated[str, typer.Option(help="zh or en")] = "zh",
) -> None:
    """Derive water surface and outline, per pond the image covers, with progress."""
    from app.imagery import service
    from app.imagery.models import Image

    with _session() as session, _bar() as bar:
        image = session.get(Image, image_id)
        if image is None:
            raise _domain_error(DomainError("not_found", {"what_code": "image", "id": image_id}), lang)
        task = bar.add_task(f"image {image_id}", total=1.0)
        try:
            summary = service.derive(
                session, image, pond, {"threshold": threshold},
                progress=lambda share, _msg=None: bar.update(task, completed=share),
            )  # fmt: skip
        except DomainError as exc:
            raise _domain_error(exc, lang) from exc
        session.commit()
    for s in summary:
        console.print(f"pond {s['pond_id']}: water {s['water_area_m2'] / 1e4:.2f} ha, "
                      f"outline {s['outline_area_m2'] / 1e4:.2f} ha")  # fmt: skip


@imagery_cli.command("batch")
def batch(
    image: Annotated[list[int] | None, typer.Option("--image", "-i", help="image id; repeat; default all")] = None,
    pond: Annotated[list[int] | None, typer.Option("--pond", "-p", help="pond id; repeat; default all")] = None,
    since: Annotated[dt.datetime | None, typer.Option(formats=["%Y-%m-%d"])] = None,
    until: Annotated[dt.datetime | None, typer.Option(formats=["%Y-%m-%d"])] = None,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address; default a local cluster")] = None,
    workers: Annotated[int | None, typer.Option(help="local cluster workers")] = None,
) -> None:
    """Derive many ponds and dates on Dask (TAILINGS_IMAGERY_DASK_SCHEDULER or a local cluster)."""
    from app.imagery.batch import batch_derive

    with _session() as session, _bar() as bar:
        task = bar.add_task("batch", total=1.0)
        summary = batch_derive(
            session, image, pond, since.date() if since else None, until.date() if until else None,
            scheduler=scheduler, workers=workers, progress=lambda share, _m=None: bar.update(task, completed=share),
        )  # fmt: skip
    console.print(f"[green]{len(summary)} pond-dates derived[/]")
