"""The `tailings` command: database, sample data, rule checks, serving."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from app import migrate, registry
from app.config import get_settings
from app.dossiers.cli import dossier_cli
from app.imagery.cli import imagery_cli

cli = typer.Typer(
    help="Tailings One Map (尾矿库环境监管“一张图”)",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
db_cli = typer.Typer(help="Database schema", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(imagery_cli, name="imagery")
cli.add_typer(dossier_cli, name="dossier")
console = Console(stderr=True)

EXIT_FAILED_RULES = 1
EXIT_ERROR = 2


@cli.callback()
def _check_settings() -> None:
    """Settings are validated before any command, so a bad one fails with its message."""
    from app.config import describe_error

    try:
        get_settings()
    except ValueError as exc:
        console.print(f"[bold red]error:[/] invalid settings: {describe_error(exc)}", highlight=False)
        raise typer.Exit(EXIT_ERROR) from exc


@cli.command()
def worker(
    once: Annotated[bool, typer.Option(help="stop when the queue is empty")] = False,
    poll: Annotated[float, typer.Option(help="seconds between looks at an empty queue")] = 1.0,
) -> None:
    """Do background jobs (imagery derivation, imports, exports) as they are queued."""
    import logging

    from app import job_kinds  # noqa: F401  (registers every domain's job kinds with app.jobs)
    from app.jobs.service import work

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    n = work(once=once, poll_s=poll)
    console.print(f"{n} jobs done")


def _fail(message: str) -> typer.Exit:
    console.print(f"[bold red]error:[/] {message}")
    return typer.Exit(EXIT_ERROR)


def _db_error(exc: SQLAlchemyError) -> typer.Exit:
    orig = getattr(exc, "orig", None)
    first = (str(orig) if orig else str(exc)).strip().splitlines()[0]
    if isinstance(exc, OperationalError):
        return _fail(f"cannot reach the database ({first}); check TAILINGS_DATABASE_URL")
    return _fail(f"the database refused the change ({first}); nothing was written")


@db_cli.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Create the database if it is missing, then migrate it to REVISION (default: the newest)."""
    url = get_settings().database_url
    try:
        if migrate.create_database(url):
            console.print("created the database")
        migrate.upgrade(url, revision)
    except SQLAlchemyError as exc:
        raise _db_error(exc) from exc
    console.print(f"[green]database at revision {migrate.current_revision(url)}[/]")


@db_cli.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="target revision, e.g. base")]) -> None:
    """Migrate the database down to REVISION (`base` removes every table of the service)."""
    url = get_settings().database_url
    try:
        migrate.downgrade(url, revision)
    except SQLAlchemyError as exc:
        raise _db_error(exc) from exc
    console.print(f"[green]database at revision {migrate.current_revision(url) or 'base'}[/]")


@cli.command()
def seed(sample: Annotated[bool, typer.Option(help="also load the 40 illustrative sample ponds")] = True) -> None:
    """Load the reference layers and the illustrative sample data (示例数据). Safe to run again."""
    from sqlalchemy.orm import Session

    from app.db import get_engine
    from app.seed import seed as run_seed

    settings = get_settings()
    try:
        registry.load_all()
        with Session(get_engine()) as session:
            report = run_seed(session, settings.layers_dir, sample=sample, demo=settings.demo)
            session.commit()
            ponds = session.execute(text("SELECT count(*) FROM ponds")).scalar()
    except SQLAlchemyError as exc:
        raise _db_error(exc) from exc
    added = ", ".join(f"{n} {what}" for what, n in report.added.items() if n) or "nothing new"
    console.print(f"[green]seeded:[/] {added}; {ponds} ponds in the database")
    if report.demo_accounts:
        table = Table(title="演示账号 / demo accounts (TAILINGS_DEMO=true only)", title_justify="left")
        for col in ("username", "password", "role"):
            table.add_column(col)
        for row in report.demo_accounts:
            table.add_row(*row)
        Console().print(table)


@cli.command()
def check(
    pond: Annotated[list[str] | None, typer.Option("--pond", "-p", help="pond id or code; repeat; default all")] = None,
    lang: Annotated[str, typer.Option(help="zh or en")] = "zh",
    as_json: Annotated[bool, typer.Option("--json", help="print JSON instead of a table")] = False,
    settings_only: Annotated[
        bool,
        typer.Option("--settings", help="check the deployment instead: settings, database, migrations, file store"),
    ] = False,
) -> None:
    """Run the rule checks. Exit code 0: no rule failed; 1: some rule failed; 2: error."""
    from sqlalchemy.orm import Session

    from app.compliance.service import check_pond
    from app.db import get_engine

    if settings_only:
        _check_deployment()
        return

    if lang not in ("zh", "en"):
        raise _fail("--lang must be zh or en")
    registry.load_all()
    try:
        with Session(get_engine()) as session:
            if pond:
                ids = []
                for ref in pond:
                    found = session.execute(
                        text("SELECT id FROM ponds WHERE code = :r OR id::text = :r"), {"r": ref}
                    ).scalar()
                    if found is None:
                        raise _fail(f"no pond with id or code {ref!r}")
                    ids.append(found)
            else:
                ids = list(session.execute(text("SELECT id FROM ponds ORDER BY code")).scalars())
            reports = [check_pond(session, i, lang) for i in ids]  # type: ignore[arg-type]
    except SQLAlchemyError as exc:
        raise _db_error(exc) from exc
    if as_json:
        sys.stdout.write(json.dumps(reports, ensure_ascii=False, indent=2, default=str) + "\n")
    else:
        out = Console()
        for r in reports:
            table = Table(title=f"{r['pond_code']} {r['pond_name']}", title_justify="left", show_lines=False)
            for col in ("rule", "result", "reason", "source"):
                table.add_column(col)
            for res in r["results"]:
                colour = {"pass": "green", "fail": "red"}.get(res["status"], "dim")
                table.add_row(res["label"], f"[{colour}]{res['status']}[/]", res["reason"], res["source"])
            out.print(table)
        failed = sum(r["summary"]["fail"] for r in reports)
        out.print(f"{len(reports)} ponds checked, {failed} rule failures")
    if any(r["summary"]["fail"] for r in reports):
        raise typer.Exit(EXIT_FAILED_RULES)


def _check_deployment() -> None:
    """Settings (already validated by the callback), catalogue and rules, database and migration, file store."""
    from sqlalchemy.orm import Session

    from app.db import get_engine
    from app.ops.health import readiness

    settings = get_settings()
    problems: list[str] = []
    try:
        registry.load_all()
    except Exception as exc:  # noqa: BLE001 - any broken layer file is reported, not raised
        problems.append(f"layers ({settings.layers_dir}): {exc}")
    with Session(get_engine()) as session:
        ready, detail = readiness(session)
    if not ready:
        problems.append(detail["reason"])
    try:
        settings.files_dir.mkdir(parents=True, exist_ok=True)
        probe = settings.files_dir / ".write-check"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        problems.append(f"TAILINGS_FILES_DIR={settings.files_dir}: not writable ({exc.strerror})")
    for p in problems:
        console.print(f"[bold red]error:[/] {p}", highlight=False)
    if problems:
        raise typer.Exit(EXIT_ERROR)
    console.print(f"[green]ready:[/] settings valid, database at migration {detail['migration']}, files writable")


@cli.command()
def backup(target: Annotated[Path, typer.Argument(help="a new or empty folder")]) -> None:
    """Back up the database (pg_dump) and the stored files into TARGET, with a manifest of checksums."""
    from app.ops.backup import BackupError
    from app.ops.backup import backup as run_backup

    settings = get_settings()
    try:
        manifest = run_backup(settings.database_url, settings.files_dir, target)
    except (BackupError, SQLAlchemyError) as exc:
        raise _fail(f"backup failed: {str(exc).splitlines()[0]}") from exc
    counts = ", ".join(f"{n} {what}" for what, n in manifest["counts"].items())
    console.print(
        f"[green]backed up[/] migration {manifest['migration']}, {counts}, {len(manifest['files'])} files "
        f"into {target}",
        highlight=False,
    )


@cli.command()
def restore(
    source: Annotated[Path, typer.Argument(help="a folder written by `tailings backup`")],
    force: Annotated[bool, typer.Option(help="replace a database that is not empty")] = False,
) -> None:
    """Restore a backup into the configured database (empty or missing, unless --force) and file store."""
    from app.ops.backup import BackupError
    from app.ops.backup import restore as run_restore

    settings = get_settings()
    try:
        manifest = run_restore(source, settings.database_url, settings.files_dir, force=force)
    except (BackupError, SQLAlchemyError) as exc:
        raise _fail(f"restore refused: {str(exc).splitlines()[0]}") from exc
    console.print(
        f"[green]restored[/] backup of {manifest['created_at']} (migration {manifest['migration']}, "
        f"{len(manifest['files'])} files)",
        highlight=False,
    )


@cli.command()
def synth(
    ponds: Annotated[int, typer.Option(min=1, max=1_000_000, help="how many ponds")] = 10_000,
    elements_per_pond: Annotated[int, typer.Option(min=0, max=10_000)] = 200,
    database_url: Annotated[
        str | None, typer.Option(help="default: database tailings_bench_2m on the server of TAILINGS_DATABASE_URL")
    ] = None,
    seed: Annotated[float, typer.Option(min=-1, max=1, help="setseed() value: the same seed, the same data")] = 0.42,
    force: Annotated[bool, typer.Option(help="load again even if the counts are there")] = False,
) -> None:
    """A synthetic national-scale data set (ponds over China's mining regions) in a SEPARATE database."""
    from sqlalchemy.engine import make_url

    from app.ops import synth as synthetic

    own = make_url(get_settings().database_url)
    if database_url:
        url = synthetic.bench_url(database_url, make_url(database_url).database or synthetic.BENCH_DATABASE)
    else:
        url = synthetic.bench_url(get_settings().database_url)
    target = make_url(url)
    if (target.host, target.port, target.database) == (own.host, own.port, own.database):
        raise _fail("--database-url names the service's own database: synth fills a separate one")
    try:
        synthetic.synthesise(url, ponds, elements_per_pond, seed, force)
    except SQLAlchemyError as exc:
        raise _db_error(exc) from exc


user_cli = typer.Typer(help="User accounts", no_args_is_help=True)
cli.add_typer(user_cli, name="user")


def _accounts_session():  # type: ignore[no-untyped-def]
    from sqlalchemy.orm import Session

    from app.db import get_engine, set_actor

    session = Session(get_engine())
    set_actor(session, "cli")
    return session


@user_cli.command("add")
def user_add(
    username: str,
    organisation: Annotated[
        str, typer.Option("--org", help="organisation id, adcode, enterprise code or name; 'system' for administrators")
    ],
    role: Annotated[str, typer.Option(help="admin, province, city, county, enterprise or viewer")],
    name: Annotated[str | None, typer.Option(help="display name")] = None,
    password: Annotated[str | None, typer.Option(help="default: a random one, printed once")] = None,
) -> None:
    """Create a user; prints the password when it was generated."""
    from app.accounts import passwords, service
    from app.errors import DomainError
    from app.i18n import t

    generated = password is None
    password = password or passwords.generate_password()
    try:
        with _accounts_session() as session:
            service.add_user(session, username, name or username, organisation, role, password)
            session.commit()
    except DomainError as exc:
        detail = "; ".join(t(p.code, "en", **p.params) for p in exc.problems) or t(exc.code, "en", **exc.params)
        raise _fail(detail) from exc
    except SQLAlchemyError as exc:
        raise _db_error(exc) from exc
    console.print(f"[green]created user {username.lower()}[/]")
    if generated:
        Console().print(f"password: {password}")


@user_cli.command("disable")
def user_disable(username: str) -> None:
    """Disable a user and sign out all of their sessions."""
    _user_change(username, lambda s, service: service.set_active(s, username, False), "disabled")


@user_cli.command("enable")
def user_enable(username: str) -> None:
    _user_change(username, lambda s, service: service.set_active(s, username, True), "enabled")


@user_cli.command("reset")
def user_reset(username: str) -> None:
    """Give a user a new random password (printed once) and sign out all of their sessions."""
    box: dict[str, str] = {}
    _user_change(username, lambda s, service: box.update(pw=service.reset_password(s, username)), "reset")
    Console().print(f"new password: {box['pw']}")


def _user_change(username: str, change, verb: str) -> None:  # type: ignore[no-untyped-def]
    from app.accounts import service
    from app.errors import NotFound

    try:
        with _accounts_session() as session:
            change(session, service)
            session.commit()
    except NotFound as exc:
        raise _fail(f"no user {username!r}") from exc
    except SQLAlchemyError as exc:
        raise _db_error(exc) from exc
    console.print(f"[green]{username} {verb}[/]")


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="default TAILINGS_HOST or 127.0.0.1")] = None,
    port: Annotated[int | None, typer.Option(help="default TAILINGS_PORT or 8000")] = None,
    reload: bool = False,
) -> None:
    """Serve the web service and API (http://127.0.0.1:8000, API docs at /docs)."""
    import uvicorn

    from app.ops.logs import logging_config

    try:
        settings = get_settings()
        registry.load_all()
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    uvicorn.run(
        "app.main:app",
        host=host or settings.host,
        port=port or settings.port,
        reload=reload,
        workers=None if reload else settings.workers,
        proxy_headers=True,
        # SIGTERM: stop accepting, let requests in flight finish (up to the timeout), then close the pool
        timeout_graceful_shutdown=settings.shutdown_timeout_s,
        log_config=logging_config(settings.log_format, settings.log_level),
        access_log=False,  # app.middleware logs every request, with its request id
    )


def main() -> None:
    cli()
