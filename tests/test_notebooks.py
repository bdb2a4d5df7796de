"""The analysts' notebooks: executed against the test database (nbclient), and kept without outputs in git."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from app.config import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks() -> None:
    assert {"priority_zones.ipynb", "groundwater_exceedances.ipynb", "water_surface_change.ipynb"} <= {
        p.name for p in NOTEBOOKS
    }


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: strip the outputs"
    assert "widgets" not in nb.metadata


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_against_the_database(path: Path, database_url: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TAILINGS_DATABASE_URL", database_url)
    monkeypatch.setenv("TAILINGS_NOTEBOOK_OUT", str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    text = "\n".join(
        o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "stream"
    )
    if path.stem == "priority_zones":
        import csv

        assert "the service's rule agrees" in text
        rows = list(csv.DictReader((tmp_path / "priority_ponds.csv").open(encoding="utf-8-sig")))
        assert 0 < len(rows) < 40  # some ponds, not all, lie in the zone
        assert all(int(r["distance_m"]) <= 3000 for r in rows)
        assert f"{len(rows)} of 40 ponds lie in the priority zone" in text
    if path.stem == "groundwater_exceedances":
        import csv

        # the sample: 4,360 illustrative results (55 wells, 10 parameters) of the 14 mapped ponds, some above the
        # Class III limit
        assert "4360 results, 14 ponds," in text
        assert "the service's comparison agrees:" in text
        rows = list(csv.DictReader((tmp_path / "groundwater_exceedances.csv").open(encoding="utf-8-sig")))
        assert sum(int(r["results"]) for r in rows) == 4360
        exceed = sum(int(r["exceed_limit"]) for r in rows)
        assert 0 < exceed < 4360
        assert f"{exceed} limit exceedances" in text
        repeated = list(csv.DictReader((tmp_path / "repeated_exceedances.csv").open(encoding="utf-8-sig")))
        assert repeated and all(int(r["quarters"]) >= 2 for r in repeated)
        charts = sorted(tmp_path.glob("exceedances_*.png"))
        assert len(charts) == len({r["pond"] for r in repeated})  # one worst well per pond with repeats
        assert all(c.read_bytes().startswith(b"\x89PNG") and c.stat().st_size > 10_000 for c in charts)
    if path.stem == "water_surface_change":
        import csv
        import re

        import sqlalchemy as sa

        assert "the derived change matches the painted polygons within" in text
        assert len(list(tmp_path.glob("PZH-TP-002_*.tif"))) == 2  # the synthetic scenes, next to the outputs
        rows = list(csv.DictReader((tmp_path / "water_surface_change.csv").open(encoding="utf-8-sig")))
        assert [r["acquired_on"] for r in rows] == ["2026-03-15", "2026-09-15"]
        spring, autumn = (float(r["water_m2"]) for r in rows)
        assert 100_000 < spring < autumn  # the water grew between the dates
        assert float(rows[0]["share_beyond"]) < 0.01 < 0.1 < float(rows[1]["share_beyond"])
        assert (tmp_path / "water_surface_change.png").read_bytes().startswith(b"\x89PNG")
        # the COGs went to this test session's file store, and the database kept nothing
        stored = [Path(p) for p in re.findall(r"stored (\S+)\)", text)]
        assert len(stored) == 2 and all(p.is_file() for p in stored)
        assert all(p.is_relative_to(os.environ["TAILINGS_FILES_DIR"]) for p in stored)
        engine = sa.create_engine(database_url)
        try:
            with engine.connect() as conn:
                assert (
                    conn.execute(sa.text("SELECT count(*) FROM images WHERE filename LIKE 'PZH-TP-002_%'")).scalar()
                    == 0
                )
        finally:
            engine.dispose()
