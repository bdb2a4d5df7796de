"""Groundwater monitoring: importing laboratory results, comparing them with limits and background, frequency.

An import is all-or-nothing: every row is checked first, and every problem is reported with the file, row,
column and reason; nothing is stored unless the whole file is good. Values are stored in the parameter's unit
(mg/L); "<0.01", "0.01L", "ND" and a below-detection flag column mark results below the detection limit.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app import files, registry
from app.errors import FieldProblem, Invalid, NotFound
from app.i18n import Lang, label, t
from app.monitoring import chart
from app.monitoring.config import MonitoringConfig, Parameter, monitoring_config
from app.vocabulary import vocabulary
from gis.formats.text import clean, csv_unguard

# Column headings laboratories use, per field, are in layers/vocabulary.yaml (columns.monitoring).
REQUIRED = ("well", "date", "parameter", "value")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def _key(s: Any) -> str:
    return "".join(str(s or "").split()).lower()


@dataclass
class Row:
    number: int  # as a person counts rows in the file (the heading is row 1)
    cells: dict[str, Any]


def read_table(filename: str, data: bytes) -> list[list[Any]]:
    """The rows of a CSV (UTF-8 or GB18030) or the first sheet of an XLSX, as lists of cells."""
    name = filename.lower()
    if name.endswith(".xlsx") or data.startswith(b"PK\x03\x04"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise Invalid("import_unreadable", {"file": filename, "reason": type(exc).__name__}) from None
        try:
            return [[_cell(c) for c in r] for r in wb.worksheets[0].iter_rows(values_only=True)]
        finally:
            wb.close()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            decoded = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise Invalid("import_unreadable", {"file": filename, "reason": "encoding"})
    if "\x00" in decoded:
        raise Invalid("import_unreadable", {"file": filename, "reason": "binary"})
    return [[_cell(csv_unguard(c)) for c in r] for r in csv.reader(io.StringIO(decoded))]


def _cell(value: Any) -> Any:
    """A cell's text by the rule of gis.formats.text: control characters removed, as for every upload."""
    return clean(value)[0] if isinstance(value, str) else value


def _rows(filename: str, table: list[list[Any]]) -> list[Row]:
    if not table:
        raise Invalid("import_unreadable", {"file": filename, "reason": "empty"})
    heading = [_key(h) for h in table[0]]
    index: dict[str, int] = {}
    for field, names in vocabulary().headings("monitoring").items():
        for i, h in enumerate(heading):
            if h in {_key(n) for n in names}:
                index[field] = i
                break
    missing = [f for f in REQUIRED if f not in index]
    if missing:
        raise Invalid(
            "import_failed",
            {"file": filename, "n": len(missing)},
            problems=[
                FieldProblem(
                    f"{filename}:1:{f}",
                    "mon_missing_column",
                    {"file": filename, "row": 1, "column_code": f"mon_col_{f}"},
                )
                for f in missing
            ],
        )
    rows = []
    for n, raw in enumerate(table[1:], start=2):
        if all(c is None or str(c).strip() == "" for c in raw):
            continue
        rows.append(Row(n, {f: (raw[i] if i < len(raw) else None) for f, i in index.items()}))
    return rows


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    s = str(value or "").strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    return None


def parse_value(value: Any, flag: Any, cfg: MonitoringConfig) -> tuple[float, bool] | None:
    """(value, below detection) from a cell as laboratories write it; None when it is not a value."""
    below = _key(flag) in vocabulary().values.below_detection
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value), below
    s = str(value or "").strip().replace("＜", "<").replace(",", ".")
    if s.upper() in {v.upper() for v in cfg.not_detected}:
        return 0.0, True
    if s.startswith("<"):
        s, below = s[1:].strip(), True
    elif s.upper().endswith("L") and _NUMBER.match(s[:-1].strip()):  # GB convention: "0.01L" = below 0.01
        s, below = s[:-1].strip(), True
    if not _NUMBER.match(s):
        return None
    return float(s), below


@dataclass(frozen=True)
class Well:
    id: int
    name: str
    role: str | None


def wells(session: Session, pond_id: int) -> list[Well]:
    return [
        Well(r.id, r.name or f"#{r.id}", r.role)
        for r in session.execute(
            text("""SELECT id, name, attributes->>'role' AS role FROM elements
                    WHERE pond_id = :p AND kind = 'monitoring_well' ORDER BY name, id"""),
            {"p": pond_id},
        )
    ]


def _well_lookup(ws: list[Well]) -> dict[str, Well]:
    """A well by its full name or by its last word (the code, e.g. MW-1), as laboratories write it."""
    out: dict[str, Well] = {}
    for w in ws:
        out.setdefault(_key(w.name.split()[-1]) if w.name.split() else _key(w.name), w)
    for w in ws:
        out[_key(w.name)] = w
    out.update({str(w.id): w for w in ws})
    return out


def import_results(
    session: Session, pond_id: int, filename: str, data: bytes, refuse_future: bool = True
) -> dict[str, Any]:
    """Check every row of a laboratory file and store all of it, or nothing (Invalid lists every problem).

    `refuse_future=False` is for the illustrative sample, whose dates must not depend on the machine's clock."""
    files.check_size(data, filename)
    cfg = monitoring_config()
    rows = _rows(filename, read_table(filename, data))
    lookup = _well_lookup(wells(session, pond_id))
    problems: list[FieldProblem] = []
    good: list[dict[str, Any]] = []
    seen: set[tuple[int, dt.date, str]] = set()
    today = dt.date.today()

    def bad(row: Row, column: str, code: str, **params: Any) -> None:
        problems.append(
            FieldProblem(
                f"{filename}:{row.number}:{column}",
                code,
                {"file": filename, "row": row.number, "column_code": f"mon_col_{column}", **params},
            )
        )

    for row in rows:
        c = row.cells
        well = lookup.get(_key(c["well"]))
        if well is None:
            bad(row, "well", "mon_unknown_well", value=str(c["well"] or ""))
        sampled = _date(c["date"])
        if sampled is None:
            bad(row, "date", "mon_bad_date", value=str(c["date"] or ""))
        elif refuse_future and sampled > today:
            bad(row, "date", "mon_future_date", value=sampled.isoformat())
        param: Parameter | None = cfg.parameter(str(c["parameter"] or ""))
        if param is None:
            bad(row, "parameter", "mon_unknown_parameter", value=str(c["parameter"] or ""))
        parsed = parse_value(c["value"], c.get("flag"), cfg)
        if parsed is None:
            bad(row, "value", "mon_bad_value", value=str(c["value"] or ""))
        elif parsed[0] < 0:
            bad(row, "value", "mon_negative", value=str(c["value"]))
        unit = str(c.get("unit") or "").strip()
        factor: float | None = 1.0
        if param is not None:
            if param.unit == "":
                factor = 1.0 if _key(unit) in vocabulary().values.dimensionless else None
            else:
                factor = cfg.unit_factor(unit) if unit else 1.0
            if factor is None:
                bad(row, "unit", "mon_bad_unit", value=unit, expected=param.unit or "—")
        if well is None or sampled is None or param is None or parsed is None or factor is None or parsed[0] < 0:
            continue
        key = (well.id, sampled, param.code)
        if key in seen:
            bad(row, "parameter", "mon_duplicate_in_file", value=param.code)
            continue
        seen.add(key)
        good.append(
            {
                "row": row,
                "well_id": well.id,
                "well_name": well.name,
                "sampled_on": sampled,
                "parameter": param.code,
                "value": parsed[0] * factor,
                "below": parsed[1],
                "raw_value": str(c["value"]),
                "raw_unit": unit or None,
            }
        )
    if good:
        existing = set(
            session.execute(
                text("""SELECT well_id, sampled_on, parameter FROM monitoring_results
                        WHERE pond_id = :p AND well_id = ANY(:w)"""),
                {"p": pond_id, "w": list({g["well_id"] for g in good})},
            ).all()
        )
        for g in good:
            if (g["well_id"], g["sampled_on"], g["parameter"]) in existing:
                bad(g["row"], "date", "mon_already_imported", value=g["sampled_on"].isoformat())
    if not rows:
        raise Invalid("import_unreadable", {"file": filename, "reason": "no rows"})
    if problems:
        problems.sort(key=lambda p: (p.params["row"], p.field))
        raise Invalid("import_failed", {"file": filename, "n": len(problems)}, problems=problems[:200])
    digest = files.put(data)
    import_id = session.execute(
        text("INSERT INTO monitoring_imports (pond_id, filename, sha256, rows) VALUES (:p, :f, :h, :n) RETURNING id"),
        {"p": pond_id, "f": filename, "h": digest, "n": len(good)},
    ).scalar_one()
    session.execute(
        text("""INSERT INTO monitoring_results (pond_id, import_id, well_id, well_name, sampled_on, parameter, value,
                    below_detection, raw_value, raw_unit)
                VALUES (:pond_id, :import_id, :well_id, :well_name, :sampled_on, :parameter, :value, :below,
                    :raw_value, :raw_unit)"""),
        [{**{k: v for k, v in g.items() if k != "row"}, "pond_id": pond_id, "import_id": import_id} for g in good],
    )
    return {"import_id": import_id, "file": filename, "rows": len(good), "sha256": digest}


# --- comparison and frequency --------------------------------------------------------------------------


def results(session: Session, pond_id: int) -> list[dict[str, Any]]:
    """Every result of a pond (well, date, parameter, value, below detection), to compare with the limits."""
    return [
        dict(r)
        for r in session.execute(
            text("""SELECT well_id, well_name, sampled_on, parameter, value, below_detection FROM monitoring_results
                    WHERE pond_id = :p ORDER BY well_id, parameter, sampled_on"""),
            {"p": pond_id},
        ).mappings()
    ]


def compare(results: list[dict[str, Any]], background_ids: set[int], cfg: MonitoringConfig) -> list[dict[str, Any]]:
    """Each result with its limit, whether it exceeds it, and the background well's value nearest in date."""
    background: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in results:
        if r["well_id"] in background_ids:
            background[r["parameter"]].append(r)
    out = []
    for r in results:
        p = cfg.by_code.get(r["parameter"])
        exceeds = p is not None and not r["below_detection"] and p.exceeds(r["value"])
        bg = None
        if r["well_id"] not in background_ids and background[r["parameter"]]:
            bg = min(background[r["parameter"]], key=lambda b: abs((b["sampled_on"] - r["sampled_on"]).days))
        above_bg = (
            bg is not None
            and not r["below_detection"]
            and r["parameter"] != "ph"
            and r["value"] > (0.0 if bg["below_detection"] else bg["value"])
        )
        out.append(
            {
                **r,
                "limit_min": p.min if p else None,
                "limit_max": p.max if p else None,
                "exceeds_limit": exceeds,
                "background_value": bg["value"] if bg else None,
                "background_date": bg["sampled_on"] if bg else None,
                "above_background": above_bg,
            }
        )
    return out


def _periods(start: dt.date, today: dt.date, months: int) -> list[tuple[dt.date, dt.date]]:
    """The calendar periods of `months` months (from 1 January) lying wholly in [start, today) and ended."""
    out = []
    year, month = start.year, ((start.month - 1) // months) * months + 1
    while True:
        first = dt.date(year, month, 1)
        nxt_month = month + months
        nxt = dt.date(year + (nxt_month - 1) // 12, (nxt_month - 1) % 12 + 1, 1)
        if nxt > today:  # the period of today (or a later one) has not ended
            return out
        if first >= start:
            out.append((first, nxt - dt.timedelta(days=1)))
        year, month = nxt.year, nxt.month


def frequency(
    status: str, dates: list[dt.date], today: dt.date, cfg: MonitoringConfig, ended: dt.date | None = None
) -> dict[str, Any]:
    """Sampling-frequency compliance of one well over the configured window (GB 18599-2020 §10.3): a counted
    sample in every ended calendar period (quarter, half-year), counted samples at least `min_gap_days` apart.
    `ended`: the day the post-closure duty ended (periods after it are not judged)."""
    rule = cfg.frequency.rule_for(status)
    if rule is None:
        return {"state": "not_applicable", "problems": [], "notes": []}
    start = today - dt.timedelta(days=cfg.frequency.window_days)
    inside = sorted({d for d in dates if start <= d <= today})
    notes: list[dict[str, Any]] = []
    rounds: list[dt.date] = []
    for d in inside:
        if rounds and (d - rounds[-1]).days < rule.min_gap_days:
            notes.append({"code": "freq_too_close", "from": rounds[-1], "to": d, "days": (d - rounds[-1]).days,
                          "min": rule.min_gap_days})  # fmt: skip
            continue
        rounds.append(d)
    periods = [(a, b) for a, b in _periods(start, today, rule.period_months) if ended is None or a <= ended]
    if ended is not None and ended < today and not [a for a, _ in periods if a > ended]:
        state_if_ok = "ended"
    else:
        state_if_ok = "compliant"
    if not inside and ended is None:
        return {"state": "no_data", "problems": [{"code": "freq_no_samples", "since": start}], "notes": [],
                "rule": rule.label}  # fmt: skip
    problems = [
        {"code": "freq_missed_period", "from": a, "to": b}
        for a, b in periods
        if (ended is None or b <= ended) and not any(a <= r <= b for r in rounds)
    ]
    return {
        "state": state_if_ok if not problems else "non_compliant",
        "problems": problems,
        "notes": notes,
        "rule": cfg.frequency.end.label if state_if_ok == "ended" and cfg.frequency.end else rule.label,
        "samples": len(inside),
        "periods": len(periods),
    }


def duty_ended(status: str, compared: list[dict[str, Any]], background_ids: set[int], today: dt.date,
               cfg: MonitoringConfig) -> dt.date | None:  # fmt: skip
    """The day a closed pond's groundwater duty ended: the end of the first run of `consecutive_years`
    calendar years (each ended, each with samples of every well but the background wells) in which no result
    was above background; None while the duty lasts."""
    end = cfg.frequency.end
    if end is None or status not in end.statuses:
        return None
    wells_of_year: dict[int, set[int]] = defaultdict(set)
    above: set[int] = set()
    monitored = {r["well_id"] for r in compared if r["well_id"] not in background_ids}
    for r in compared:
        if r["well_id"] in background_ids:
            continue
        wells_of_year[r["sampled_on"].year].add(r["well_id"])
        if r["above_background"]:
            above.add(r["sampled_on"].year)
    clean = sorted(y for y, ws in wells_of_year.items() if ws == monitored and y not in above and y < today.year)
    for y in clean:
        if all(y + k in clean for k in range(end.consecutive_years)):
            return dt.date(y + end.consecutive_years - 1, 12, 31)
    return None


def pond_monitoring(session: Session, pond_id: int, lang: Lang, today: dt.date | None = None) -> dict[str, Any]:
    today = today or dt.date.today()
    cfg = monitoring_config()
    status = session.execute(text("SELECT status FROM ponds WHERE id = :p"), {"p": pond_id}).scalar()
    if status is None:
        raise NotFound("not_found", {"what_code": "pond", "id": pond_id})
    ws = wells(session, pond_id)
    background_ids = {w.id for w in ws if w.role == "background"}
    compared = compare(results(session, pond_id), background_ids, cfg)
    role_labels = registry.catalogue().kinds["monitoring_well"].attribute_map["role"].value_labels or {}
    by_well: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in compared:
        by_well[r["well_id"]].append(r)
    ended = duty_ended(status, compared, background_ids, today, cfg)
    out_wells = []
    for w in ws:
        rs = by_well.get(w.id, [])
        out_wells.append(
            {
                "id": w.id,
                "name": w.name,
                "role": w.role,
                "role_label": label(role_labels.get(w.role or ""), lang) if w.role else None,
                "results": len(rs),
                "last_sampled": max((r["sampled_on"] for r in rs), default=None),
                "parameters": sorted({r["parameter"] for r in rs}),
                "exceedances": sum(r["exceeds_limit"] for r in rs),
                # the parameter a chart of this well shows first: its latest exceedance, else the first measured
                "chart_parameter": next(
                    (
                        r["parameter"]
                        for r in sorted(rs, key=lambda r: r["sampled_on"], reverse=True)
                        if r["exceeds_limit"]
                    ),
                    min((r["parameter"] for r in rs), default=None),
                ),
                "above_background": sum(r["above_background"] for r in rs),
                "frequency": frequency(status, [r["sampled_on"] for r in rs], today, cfg, ended),
            }
        )
    exceedances = [r for r in compared if r["exceeds_limit"]]
    return {
        "pond_id": pond_id,
        "status": status,
        "wells": out_wells,
        "parameters": [
            {
                "code": p.code,
                "label": label(p.label, lang),
                "unit": p.unit,
                "min": p.min,
                "max": p.max,
                "source": p.source,
            }
            for p in cfg.parameters
        ],
        "summary": {
            "results": len(compared),
            "exceed_limit": len(exceedances),
            "above_background": sum(r["above_background"] for r in compared),
            "wells_non_compliant": sum(w["frequency"]["state"] in ("non_compliant", "no_data") for w in out_wells),
            "duty_ended_on": ended,
        },
        "exceedances": sorted(exceedances, key=lambda r: (r["sampled_on"], r["well_name"]), reverse=True)[:200],
    }


def series(session: Session, pond_id: int, well_id: int, parameter: str) -> dict[str, Any]:
    """One well's values of one parameter over time, with the background well's and the limit."""
    cfg = monitoring_config()
    p = cfg.by_code.get(parameter)
    ws = {w.id: w for w in wells(session, pond_id)}
    if well_id not in ws:
        raise NotFound("not_found", {"what_code": "well", "id": well_id})
    if p is None:
        raise NotFound("not_found", {"what_code": "parameter", "id": parameter})
    rows = session.execute(
        text("""SELECT well_id, sampled_on, value, below_detection FROM monitoring_results
                WHERE pond_id = :p AND parameter = :par AND (well_id = :w OR well_id = ANY(:bg))
                ORDER BY sampled_on"""),
        {"p": pond_id, "par": parameter, "w": well_id, "bg": [w.id for w in ws.values() if w.role == "background"]},
    ).all()
    own = [(r.sampled_on, r.value, r.below_detection) for r in rows if r.well_id == well_id]
    bg = [(r.sampled_on, r.value, r.below_detection) for r in rows if r.well_id != well_id]
    return {"well": ws[well_id], "parameter": p, "points": own, "background": bg}


def chart_svg(session: Session, pond_id: int, well_id: int, parameter: str, lang: Lang) -> str:
    """A well's time series of one parameter as SVG, titled and labelled in `lang` (page and dossier alike)."""
    s = series(session, pond_id, well_id, parameter)
    p = s["parameter"]
    return chart.svg(
        f"{s['well'].name} · {label(p.label, lang)}",
        p.unit,
        s["points"],
        s["background"],
        p.max,
        p.min,
        {k: t(f"chart_{k}", lang) for k in ("empty", "limit", "well", "background", "below")},
    )
