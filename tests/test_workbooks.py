"""The pond's workbook: the right rows in each sheet, and the same data give the same bytes."""

from __future__ import annotations

import io
import time

from openpyxl import load_workbook
from sqlalchemy import text


def test_workbook_holds_the_records_and_is_reproducible(client, db) -> None:
    pond = db.execute(text("SELECT id FROM ponds WHERE code = 'PZH-TP-002'")).scalar()
    r = client.get(f"/api/ponds/{pond}/workbook.xlsx")
    assert r.status_code == 200 and r.headers["content-disposition"].endswith("PZH-TP-002.xlsx")
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["环保手续", "尾矿年度台账（吨）", "监管要素", "地下水监测"]
    ledger = list(wb["尾矿年度台账（吨）"].iter_rows(min_row=2, values_only=True))
    years = db.execute(text("SELECT year FROM tailings_ledger WHERE pond_id = :p ORDER BY year"), {"p": pond}).scalars()
    assert [row[0] for row in ledger] == list(years)
    n_elements = db.execute(text("SELECT count(*) FROM elements WHERE pond_id = :p"), {"p": pond}).scalar()
    assert wb["监管要素"].max_row - 1 == n_elements
    mon = list(wb["地下水监测"].iter_rows(min_row=2, values_only=True))
    n_results = db.execute(text("SELECT count(*) FROM monitoring_results WHERE pond_id = :p"), {"p": pond}).scalar()
    assert len(mon) == n_results and any(row[7] for row in mon)  # PZH-TP-002 has exceedances
    time.sleep(1.1)  # the clock moves on: the file must not
    assert client.get(f"/api/ponds/{pond}/workbook.xlsx").content == r.content  # same data, same bytes
    # a change makes a different file
    db.execute(text("UPDATE tailings_ledger SET produced_t = produced_t + 1 WHERE pond_id = :p"), {"p": pond})
    assert client.get(f"/api/ponds/{pond}/workbook.xlsx").content != r.content
    assert f'href="/api/ponds/{pond}/workbook.xlsx?lang=zh"' in client.get(f"/ponds/{pond}/records").text
    en = load_workbook(io.BytesIO(client.get(f"/api/ponds/{pond}/workbook.xlsx?lang=en").content))
    assert en.sheetnames[2:] == ["Elements", "Groundwater monitoring"]
