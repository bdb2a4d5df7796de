"""Operations: readiness, logs with request ids, settings errors, backup and restore."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app import migrate
from app.cli import cli
from app.config import ROOT
from app.db import make_engine
from tests.conftest import scratch_url


def test_readyz_when_migrated(anon) -> None:
    from app.ops.health import head_revision

    r = anon.get("/readyz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "ok", "migration": head_revision()}


@pytest.fixture
def app_on():
    """A test client whose sessions go to another database (URL given)."""
    from app.db import get_session
    from app.main import app

    engines = []

    def make(url: str) -> TestClient:
        engine = make_engine(url, 1)
        engines.append(engine)

        def session():
            with Session(engine) as s:
                yield s

        app.dependency_overrides[get_session] = session
        return TestClient(app)

    yield make
    app.dependency_overrides.clear()
    for e in engines:
        e.dispose()


def test_readyz_503_behind_on_migrations(database_url, app_on) -> None:
    url = scratch_url("tailings_ready")
    migrate.create_database(url)
    try:
        migrate.upgrade(url, "0003")
        r = app_on(url).get("/readyz")
        assert r.status_code == 503
        assert "0003" in r.json()["reason"] and "tailings db upgrade" in r.json()["reason"]
    finally:
        migrate.drop_database(url)


def test_readyz_503_without_database(database_url, app_on) -> None:
    r = app_on("postgresql+psycopg://postgres@127.0.0.1:1/nothing").get("/readyz")
    assert r.status_code == 503
    assert r.json()["status"] == "error" and r.json()["reason"].startswith("database unreachable")
    # liveness says the same, differently
    assert app_on("postgresql+psycopg://postgres@127.0.0.1:1/nothing").get("/healthz").status_code == 503


def test_json_logs_carry_the_request_id(anon) -> None:
    from app.ops.logs import JsonFormatter, RequestIdFilter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("tailings.access")
    logger.addHandler(handler)
    old = logger.level
    logger.setLevel(logging.INFO)
    try:
        anon.get("/api/ponds", headers={"X-Request-Id": "req-12345678"})
        anon.get("/healthz")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert len(lines) == 2
    first, second = lines
    assert first["request_id"] == "req-12345678" and first["status"] == 401 and first["path"] == "/api/ponds"
    assert first["level"] == "info" and first["logger"] == "tailings.access" and first["duration_ms"] >= 0
    assert len(second["request_id"]) == 32 and second["request_id"] != first["request_id"]


def _cli_process(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "-c", "from app.cli import main; main()", *args],
        env=full,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"TAILINGS_PORT": "70000"}, "TAILINGS_PORT=70000: Input should be less than or equal to 65535"),
        ({"TAILINGS_LOG_FORMAT": "xml"}, "TAILINGS_LOG_FORMAT=xml: Input should be 'text' or 'json'"),
        ({"TAILINGS_DATABASE_URL": "mysql://u:pw@h/db"}, "TAILINGS_DATABASE_URL: must be a PostgreSQL URL"),
        ({"TAILINGS_LAYERS_DIR": "/nonexistent"}, "TAILINGS_LAYERS_DIR=/nonexistent: /nonexistent is not a layers"),
        ({"TAILINGS_DEMO": "false"}, "TAILINGS_SECRET_KEY must be set"),
    ],
)
def test_bad_settings_name_the_variable_and_why(env: dict[str, str], expected: str) -> None:
    r = _cli_process(env, "check", "--settings")
    assert r.returncode == 2
    assert expected in " ".join(r.stderr.split()), r.stderr
    assert "pw" not in r.stderr  # a URL's password is never echoed


def test_check_settings_reports_ready(database_url) -> None:
    r = CliRunner().invoke(cli, ["check", "--settings"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "ready:" in r.output and "files writable" in r.output


def test_check_settings_names_a_database_behind(database_url) -> None:
    url = scratch_url("tailings_behind")
    migrate.create_database(url)
    try:
        migrate.upgrade(url, "0002")
        r = _cli_process({"TAILINGS_DATABASE_URL": url}, "check", "--settings")
        assert r.returncode == 2 and "database at migration 0002" in r.stderr, r.stderr
    finally:
        migrate.drop_database(url)


# --- backup and restore -------------------------------------------------------------------------------


def _pond_geojson(url: str) -> dict[int, str]:
    from app.elements.service import feature_collection_json

    engine = make_engine(url, 1)
    try:
        with Session(engine) as s:
            ids = s.execute(text("SELECT id FROM ponds ORDER BY id")).scalars().all()
            return {i: feature_collection_json(s, i) for i in ids}
    finally:
        engine.dispose()


def _dossier(url: str, code: str, files_dir: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """A pond's whole dossier export (ZIP) from the database at `url` and the file store at `files_dir`."""
    import datetime as dt

    from app.config import get_settings
    from app.dossiers.build import build_dossier

    monkeypatch.setattr(get_settings(), "files_dir", files_dir)
    engine = make_engine(url, 1)
    try:
        with Session(engine) as s:
            pond = s.execute(text("SELECT id FROM ponds WHERE code = :c"), {"c": code}).scalar_one()
            return build_dossier(s, pond, "zh", today=dt.date(2026, 11, 22))
    finally:
        engine.dispose()


def _count(url: str, sql: str) -> int:
    engine = make_engine(url, 1)
    try:
        with engine.connect() as c:
            return c.execute(text(sql)).scalar_one()
    finally:
        engine.dispose()


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_backup_then_restore_into_an_empty_database_gives_the_same_data(database_url, tmp_path, monkeypatch) -> None:
    from app import files
    from app.ops.backup import BackupError, backup, restore

    # a change through the audit trigger and two stored files, so the backup holds all three kinds of thing
    photo, doc = files.put(b"\x89PNG fake photo " * 100), files.put("整改报告".encode() * 50)
    source_files = files.root()
    target = tmp_path / "backup"
    runner = CliRunner()
    r = runner.invoke(cli, ["backup", str(target)], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    manifest = json.loads((target / "manifest.json").read_text())
    assert {f"{photo[:2]}/{photo}", f"{doc[:2]}/{doc}"} <= set(manifest["files"])
    assert manifest["migration"] and manifest["postgis_version"] and manifest["pg_dump"].startswith("pg_dump")
    assert manifest["counts"]["ponds"] == 40

    url = scratch_url("tailings_restored")
    restored_files = tmp_path / "restored-files"
    try:
        restore(target, url, restored_files)
        assert _pond_geojson(url) == _pond_geojson(database_url)
        assert len(_pond_geojson(url)) == 40
        audit = "SELECT count(*) FROM audit_log"
        assert _count(url, audit) == _count(database_url, audit) > 0
        users = "SELECT string_agg(username || password_hash, ',' ORDER BY id) FROM users"
        assert _count(url, users) == _count(database_url, users)
        original = {k: v for k, v in _tree(source_files).items() if k in manifest["files"]}
        assert _tree(restored_files) == original
        # the same dossier export, byte for byte, of a mapped pond with its records and monitoring
        for code in ("PZH-TP-010", "PZH-TP-021"):
            restored = _dossier(url, code, restored_files, monkeypatch)
            assert restored == _dossier(database_url, code, source_files, monkeypatch)
            assert len(restored) > 10_000

        # a second restore into the now non-empty database is refused, unless forced
        with pytest.raises(BackupError, match="is not empty"):
            restore(target, url, restored_files)
        r = runner.invoke(cli, ["restore", str(target)], env={"COLUMNS": "200", "TAILINGS_DATABASE_URL": url})
        assert r.exit_code == 2  # the CLI's settings are the test database's: not empty
        restore(target, url, restored_files, force=True)
        assert _count(url, audit) == manifest["counts"]["audit_log"]

        # a damaged backup is refused before anything is touched
        damaged = target / "files" / photo[:2] / photo
        damaged.write_bytes(b"changed")
        with pytest.raises(BackupError, match="damaged"):
            restore(target, url, restored_files, force=True)
    finally:
        migrate.drop_database(url)

    with pytest.raises(BackupError, match="not empty"):
        backup(database_url, source_files, target)
