"""Domain rules on the illustrative sample data (issue 14): each expected value is derived by hand from the
standard in a comment, then checked against what the service computes from the seeded sample."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import text

from app.config import get_settings
from app.monitoring import service as monitoring

SAMPLE = get_settings().layers_dir / "sample"
REFERENCE_DATE = dt.date(2026, 11, 22)  # the sample's "today" (scripts/generate_sample.py)


def _pond_ids(db) -> dict[str, int]:
    return dict(db.execute(text("SELECT code, id FROM ponds WHERE illustrative")).all())


def test_only_the_wells_meant_to_miss_rounds_fail_the_sampling_frequency(db) -> None:
    """GB 18599-2020 §10.3: at least one sample in each calendar quarter in operation, samples >= 1 month apart.

    The sample samples in February, May, August and November (day 10 plus up to 8 days), so gaps reach 99 days
    but every quarter has a sample. Judged on 2026-11-22 over the quarters wholly in the last 730 days
    (Q1 2025 .. Q3 2026, 7 quarters): every well with results is compliant except the two wells of
    PZH-TP-026 (SAMPLING_GAP), whose rounds of August and November 2025 were skipped: Q3 and Q4 2025 missed.
    """
    ids = _pond_ids(db)
    with_results = [c for (c,) in db.execute(text("SELECT DISTINCT p.code FROM monitoring_results r "
                                                   "JOIN ponds p ON p.id = r.pond_id ORDER BY 1"))]  # fmt: skip
    assert len(with_results) == 14  # the one-map ponds
    failing: dict[str, set[str]] = {}
    checked = 0
    for code in with_results:
        m = monitoring.pond_monitoring(db, ids[code], "zh", today=REFERENCE_DATE)
        for w in m["wells"]:
            if not w["results"]:
                continue
            checked += 1
            assert w["frequency"]["periods"] == 7, (code, w["name"])
            if w["frequency"]["state"] != "compliant":
                failing.setdefault(code, set()).add(w["name"].split()[-1])
                assert [p["from"] for p in w["frequency"]["problems"]] == [dt.date(2025, 7, 1), dt.date(2025, 10, 1)]
    assert checked == 55
    assert failing == {"PZH-TP-026": {"BG-1", "MW-1"}}


def test_safety_grades_of_the_sample_follow_gb_50863(db) -> None:
    """GB 50863-2013 §3.2.1 / AQ 2006-2005: grade by capacity V (10^4 m3): <100: 5, <1000: 4, <10000: 3, else 2;
    by dam height H (m): <30: 5, <60: 4, <100: 3, else 2. One grade apart: the higher; more: the higher lowered
    by one.

    万年沟 (PZH-TP-021): V = 3565.8 -> 3, H = 111.9 -> 2; one apart -> 2 (the former "smaller of the two" gave 3).
    Also changed against the former rule: 012 (V 81.3 -> 5, H 36.0 -> 4: 4), 035 (V 103.0 -> 4, H 26.3 -> 5: 4),
    038 (V 1625.7 -> 3, H 57.7 -> 4: 3); no sample pond has grades two apart. 马家田 (009): V 10334.4 -> 2,
    H 119.7 -> 2: 2.
    """
    grades = dict(db.execute(text("SELECT code, safety_grade FROM ponds WHERE illustrative")).all())
    assert grades["PZH-TP-021"] == 2
    assert (grades["PZH-TP-012"], grades["PZH-TP-035"], grades["PZH-TP-038"], grades["PZH-TP-009"]) == (4, 4, 3, 2)
    ids = _pond_ids(db)
    from app.records.service import pond_file

    c = pond_file(db, ids["PZH-TP-021"], "zh")["classification"]
    assert c["safety_grade_computed"] == 2 and c["safety_grade_matches"] is True
    # the former rule (the larger number of the two) and the new one differ on exactly these four ponds
    ponds = [f["properties"] for f in json.loads((SAMPLE / "ponds.geojson").read_text(encoding="utf-8"))["features"]]
    from app.records.config import records_config

    g = records_config().safety_grades
    changed = sorted(
        p["code"]
        for p in ponds
        if max(g.by_volume(p["design_volume_10k_m3"]), g.by_dam_height(p["dam_height_m"])) != p["safety_grade"]
    )
    assert changed == ["PZH-TP-012", "PZH-TP-021", "PZH-TP-035", "PZH-TP-038"]
