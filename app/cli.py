"""The `tailings` command: database, sample data, rule checks, serving."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from app import migrate, registry
from app.config import get_settings
from app.imagery.cli import imagery_cli
from app.imagery.cli import worker as imagery_worker

cli = typer.Typer(
    help="Tailings One Map (尾矿库环境监管“一张图”)",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
db_cli = typer.Typer(help="Database schema", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(imagery_cli, name="imagery")
cli.command("worker")(imagery_worker)
console = Console(stderr=True)

EXIT_FAILED_RULES = 1
EXIT_ERROR = 2


@cli.callback()
def _check_settings() -> None:
    """Settings are validated before any command, so a bad one fails with its message."""
    try:
        get_settings()
    except ValueError as exc:
        console.print(f"[bold red]error:[/] invalid settings: {exc}")
        raise typer.Exit(EXIT_ERROR) from exc


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
) -> None:
    """Run the rule checks. Exit code 0: no rule failed; 1: some rule failed; 2: error."""
    from sqlalchemy.orm import Session

    from app.compliance.service import check_pond
    from app.db import get_engine

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

    try:
        settings = get_settings()
        registry.load_all()
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    uvicorn.run(
        "app.main:app", host=host or settings.host, port=port or settings.port, reload=reload, proxy_headers=True
    )


def main() -> None:
    cli()
