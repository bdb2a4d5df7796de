"""Backups: the database (pg_dump custom format) and the file store, with a manifest of versions and checksums.

A backup folder holds `database.dump`, `files/<aa>/<sha256>` (the store's own layout, see app.files) and
`manifest.json`. A restore checks every checksum before it touches anything, refuses a database that holds
tables unless forced (then the database is dropped and created again), runs pg_restore, and checks that the
restored database is at the migration the manifest names.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import migrate

MANIFEST = "manifest.json"
DUMP = "database.dump"
FILES = "files"
FORMAT_VERSION = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Pg:
    """libpq connection arguments for the PostgreSQL client tools; the password goes in the environment."""

    args: list[str]
    env: dict[str, str]


def libpq(database_url: str, database: str | None = None) -> Pg:
    url = make_url(database_url)
    args = ["--dbname", database or url.database or ""]
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return Pg(args, env)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _run(cmd: list[str], env: dict[str, str]) -> str:
    tool = cmd[0]
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client)")
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{tool} failed: {done.stderr.strip()[-800:]}")
    return done.stdout


def _tool_version(tool: str) -> str:
    return _run([tool, "--version"], dict(os.environ)).strip()


def _database_facts(database_url: str) -> dict[str, Any]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                text("""SELECT current_setting('server_version'), postgis_lib_version(),
                               (SELECT version_num FROM alembic_version),
                               (SELECT count(*) FROM ponds), (SELECT count(*) FROM elements),
                               (SELECT count(*) FROM audit_log)""")
            ).one()
    finally:
        engine.dispose()
    return {
        "server_version": row[0],
        "postgis_version": row[1],
        "migration": row[2],
        "counts": {"ponds": row[3], "elements": row[4], "audit_log": row[5]},
    }


def _store_files(files_dir: Path) -> list[Path]:
    if not files_dir.is_dir():
        return []
    # only finished files (the store renames a complete file into place; `.incoming-*` are in progress)
    return sorted(p for p in files_dir.glob("??/*") if p.is_file() and not p.name.startswith("."))


def backup(database_url: str, files_dir: Path, target: Path) -> dict[str, Any]:
    """Write a backup of the database and the file store into the folder `target` (new or empty)."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: back up into a new folder")
    target.mkdir(parents=True, exist_ok=True)
    facts = _database_facts(database_url)
    pg = libpq(database_url)
    dump = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target / DUMP)]
    _run([*dump, *pg.args], pg.env)
    files: dict[str, dict[str, Any]] = {}
    for src in _store_files(files_dir):
        rel = src.relative_to(files_dir).as_posix()
        dst = target / FILES / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
        files[rel] = {"sha256": sha256_file(dst), "bytes": dst.stat().st_size}
    from importlib.metadata import PackageNotFoundError, version

    try:
        app_version = version("tailings-one-map")
    except PackageNotFoundError:
        app_version = "unknown"
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "app_version": app_version,
        "pg_dump": _tool_version("pg_dump"),
        **facts,
        "database": {"file": DUMP, "sha256": sha256_file(target / DUMP), "bytes": (target / DUMP).stat().st_size},
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def verify(source: Path) -> dict[str, Any]:
    """Read the manifest and check every checksum; raise BackupError on the first mismatch."""
    path = source / MANIFEST
    if not path.is_file():
        raise BackupError(f"{source} holds no {MANIFEST}: not a backup of this service")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"backup format {manifest.get('format')} is not {FORMAT_VERSION}")
    dump = source / DUMP
    if not dump.is_file() or sha256_file(dump) != manifest["database"]["sha256"]:
        raise BackupError(f"{dump} is missing or damaged (checksum differs from the manifest)")
    for rel, meta in manifest["files"].items():
        f = source / FILES / rel
        if not f.is_file() or sha256_file(f) != meta["sha256"] or Path(rel).name != meta["sha256"]:
            raise BackupError(f"stored file {rel} is missing or damaged (checksum differs from the manifest)")
    return manifest


def database_tables(database_url: str) -> list[str]:
    """Tables in the database's public schema other than PostGIS's own; [] also when it does not exist."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return list(
                conn.execute(
                    text("""SELECT tablename FROM pg_tables WHERE schemaname = 'public'
                            AND tablename <> 'spatial_ref_sys' ORDER BY tablename""")
                ).scalars()
            )
    except Exception as exc:  # noqa: BLE001 - a database that does not exist yet is empty
        if "does not exist" in str(exc):
            return []
        raise
    finally:
        engine.dispose()


def restore(source: Path, database_url: str, files_dir: Path, force: bool = False) -> dict[str, Any]:
    """Restore a backup into `database_url` (created if missing) and the file store `files_dir`."""
    manifest = verify(source)
    tables = database_tables(database_url)
    if tables:
        if not force:
            raise BackupError(
                f"database {make_url(database_url).database} is not empty ({len(tables)} tables, e.g. "
                f"{', '.join(tables[:3])}): restore into an empty database, or pass --force to replace it"
            )
        migrate.drop_database(database_url)
    migrate.create_database(database_url)
    pg = libpq(database_url)
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *pg.args, str(source / DUMP)], pg.env)
    for rel in manifest["files"]:
        dst = files_dir / rel
        if not dst.exists():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / FILES / rel, dst)
    restored = _database_facts(database_url)
    if restored["migration"] != manifest["migration"] or restored["counts"] != manifest["counts"]:
        raise BackupError(
            f"the restored database differs from the manifest: {restored['migration']} {restored['counts']} "
            f"against {manifest['migration']} {manifest['counts']}"
        )
    return manifest
