"""`tailings dossier export --pond CODE | --all --out DIR`: dossiers written to files, with a progress bar."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import text
from sqlalchemy.orm import Session

dossier_cli = typer.Typer(help="Per-pond dossiers (一库一档)", no_args_is_help=True)
console = Console(stderr=True)


@dossier_cli.command("export")
def export(
    out: Annotated[Path, typer.Option("--out", help="folder to write the ZIP into (made if missing)")],
    pond: Annotated[str | None, typer.Option("--pond", help="the pond's code")] = None,
    all_: Annotated[bool, typer.Option("--all", help="every pond, in one ZIP (a folder per pond)")] = False,
    lang: Annotated[str, typer.Option(help="zh or en (the report is in Chinese)")] = "zh",
) -> None:
    """Write one pond's dossier (CODE-dossier.zip) or every pond's (dossiers-all.zip) into OUT."""
    from app.db import get_engine
    from app.dossiers.build import build_dossier
    from app.dossiers.service import export_all

    if bool(pond) == all_:
        console.print("[bold red]error:[/] give either --pond CODE or --all")
        raise typer.Exit(2)
    out.mkdir(parents=True, exist_ok=True)
    with Session(get_engine()) as session:
        if pond:
            pond_id = session.execute(text("SELECT id FROM ponds WHERE code = :c"), {"c": pond}).scalar()
            if pond_id is None:
                console.print(f"[bold red]error:[/] no pond with code {pond}")
                raise typer.Exit(2)
            target = out / f"{pond}-dossier.zip"
            target.write_bytes(build_dossier(session, pond_id, lang))  # type: ignore[arg-type]
        else:
            ids = list(session.execute(text("SELECT id FROM ponds ORDER BY code")).scalars())
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
            ) as bar:
                task = bar.add_task("dossiers", total=len(ids))
                data = export_all(
                    session,
                    ids,
                    lang,  # type: ignore[arg-type]
                    step=lambda i, n, code: bar.update(task, completed=i, description=code),
                )
            target = out / "dossiers-all.zip"
            target.write_bytes(data)
    console.print(f"wrote {target} ({target.stat().st_size / 1024:.0f} KB)")
