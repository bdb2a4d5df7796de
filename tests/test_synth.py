"""`tailings synth`: a synthetic national-scale data set in a separate database, valid for the catalogue."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from app import migrate, registry
from app.cli import cli
from app.db import make_engine
from tests.conftest import scratch_url


@pytest.mark.slow
def test_synth_fills_a_separate_database_with_catalogue_valid_elements(database_url) -> None:
    url = scratch_url("tailings_synth")
    runner = CliRunner()
    try:
        args = ["synth", "--ponds", "60", "--elements-per-pond", "30", "--database-url", url]
        r = runner.invoke(cli, args)
        assert r.exit_code == 0, r.output
        engine = make_engine(url, 1)
        try:
            with engine.connect() as conn:
                ponds, elements = conn.execute(
                    text("SELECT (SELECT count(*) FROM ponds), (SELECT count(*) FROM elements)")
                ).one()
                assert (ponds, elements) == (60, 1800)
                box = conn.execute(
                    text(
                        "SELECT min(ST_X(location)), max(ST_X(location)), min(ST_Y(location)), max(ST_Y(location)) "
                        "FROM ponds"
                    )
                ).one()
                assert box[0] >= 75 and box[1] <= 135 and box[2] >= 18 and box[3] <= 53
                assert box[1] - box[0] > 10  # spread over the country, not one city
                rows = conn.execute(
                    text("SELECT type, kind, GeometryType(geom), attributes, ST_IsValid(geom) FROM elements")
                ).all()
                per_pond = conn.execute(text("SELECT DISTINCT count(*) FROM elements GROUP BY pond_id")).scalars()
                assert list(per_pond) == [30]
        finally:
            engine.dispose()
        catalogue = registry.catalogue()
        kinds_seen = set()
        for type_code, kind_code, geometry_type, attributes, valid in rows:
            kind = catalogue.kinds[kind_code]
            assert kind.type_code == type_code and valid
            assert geometry_type.title().replace("string", "String") in kind.geometry
            assert kind.check_attributes(attributes) == [], (kind_code, attributes)
            kinds_seen.add(kind_code)
        assert len(kinds_seen) > 10
        assert any(a for *_, a, _ in rows)  # required attributes were filled in

        again = runner.invoke(cli, args)  # the same counts: left as it is
        assert again.exit_code == 0 and "already" in again.output
    finally:
        migrate.drop_database(url)


def test_synth_refuses_the_services_own_database(database_url) -> None:
    r = CliRunner().invoke(cli, ["synth", "--ponds", "1", "--database-url", database_url])
    assert r.exit_code == 2 and "separate" in r.output
