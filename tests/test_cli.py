from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from app.cli import cli
from app.compliance.service import check_pond

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(cli, list(args), env={"COLUMNS": "300"})


def test_db_upgrade_is_idempotent(database_url) -> None:
    r = invoke("db", "upgrade")
    assert r.exit_code == 0, r.output
    assert re.search(r"database at revision \d{4}", r.output)


def test_seed_twice_adds_nothing_the_second_time(database_url, engine) -> None:
    with engine.connect() as conn:
        before = conn.execute(text("SELECT (SELECT count(*) FROM ponds), (SELECT count(*) FROM elements)")).one()
    r = invoke("seed")
    assert r.exit_code == 0, r.output
    assert "nothing new" in r.output and "40 ponds" in r.output
    with engine.connect() as conn:
        after = conn.execute(text("SELECT (SELECT count(*) FROM ponds), (SELECT count(*) FROM elements)")).one()
    assert tuple(after) == tuple(before)


def test_check_exit_codes(database_url, db) -> None:
    codes = db.execute(text("SELECT id, code FROM ponds ORDER BY code")).all()
    clean = next(code for pid, code in codes if check_pond(db, pid)["summary"]["fail"] == 0)
    failing = next(code for pid, code in codes if check_pond(db, pid)["summary"]["fail"] > 0)
    ok = invoke("check", "--pond", clean)
    assert ok.exit_code == 0, ok.output
    assert "地下水监测井布设" in ok.output
    bad = invoke("check", "--pond", failing, "--lang", "en")
    assert bad.exit_code == 1 and "Groundwater monitoring well layout" in bad.output
    assert invoke("check", "--pond", "NO-SUCH-POND").exit_code == 2
    assert invoke("check", "--lang", "fr").exit_code == 2


def test_check_all_as_json(database_url) -> None:
    r = invoke("check", "--json")
    assert r.exit_code == 1  # the sample has deliberate defects
    reports = json.loads(r.stdout)
    assert len(reports) == 40
    assert {res["status"] for rep in reports for res in rep["results"]} == {"pass", "fail", "not_applicable"}


def test_unreachable_database_gives_a_clear_message(monkeypatch) -> None:
    from app.config import get_settings

    monkeypatch.setenv("TAILINGS_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    get_settings.cache_clear()
    try:
        r = invoke("db", "upgrade")
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert r.exit_code == 2
    assert "cannot reach the database" in r.output


@pytest.mark.parametrize("args", [["--help"], ["db", "--help"], ["check", "--help"]])
def test_help(args) -> None:
    assert invoke(*args).exit_code == 0
