"""Spreadsheets and CSV: rows to features, per a TemplateSpec or by recognising common headers.

The header row is searched among the first rows (templates have title rows); headers match a column's label,
aliases or code, ignoring a unit suffix (`井深(m)`), a required mark (`*`), spaces and case. Point sheets hold
one row per element; line and polygon sheets one row per vertex, grouped by `element_id` or `name` (a blank
name continues the element above) and ordered by `vertex` (row order when absent): a line's vertex order is
its flow direction; polygon rings are closed. Rows whose name starts with `示例` are the template's examples and
are skipped.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import shapely
from shapely.geometry import LineString, Point, Polygon

from gis.coords import CoordinateError, parse_angle
from gis.formats.finish import RawLayer
from gis.formats.georef import SourceCrs, parse_crs
from gis.formats.layout import (
    AUTO_LABEL,
    CM_LABEL,
    CM_NAME,
    CRS_LABEL,
    CRS_NAME,
    DEFAULT_CRS_CHOICES,
    EXAMPLE_PREFIXES,
    FALSE_WORDS,
    RESERVED_ALIASES,
    RESERVED_SHEETS,
    TRUE_WORDS,
    WKT,
)
from gis.formats.model import (
    ELEMENT_ID,
    NAME,
    VERTEX,
    ColumnSpec,
    Feature,
    Problem,
    Severity,
    SheetSpec,
    TemplateSpec,
    Where,
    X,
    Y,
)
from gis.formats.safety import FileRefused, Limits
from gis.formats.text import CELL_MAX, clean_cell, csv_unguard

HEADER_SEARCH_ROWS = 30
_UNIT = re.compile(r"[（(\[【][^()（）\[\]【】]*[)）\]】]$")


def normalise_header(text: Any) -> str:
    """`井深（m）*` -> `井深`: what headers are compared by."""
    s = str(text).strip().replace("\n", "").rstrip("*＊").strip()
    for _ in range(2):
        s = _UNIT.sub("", s).strip().rstrip("*＊").strip()
    s = s.rstrip(":：/").strip()
    return re.sub(r"\s+", "", s).lower()


def free_sheet(name: str = "") -> SheetSpec:
    """The sheet assumed for a file made without a template: points with whatever attributes it has."""
    return SheetSpec(name=name, key="", geometry="point", columns=())


@dataclass
class _Match:
    spec: SheetSpec
    header_row: int  # 1-based
    columns: dict[int, tuple[str, ColumnSpec | None, str]]  # index -> (code, spec column, header as written)
    score: int


def _header_map(spec: SheetSpec) -> dict[str, tuple[str, ColumnSpec | None]]:
    out: dict[str, tuple[str, ColumnSpec | None]] = {}
    # a file made without a template: only coordinates and the name are recognised, other headers stay as written
    reserved = RESERVED_ALIASES if spec.key else {k: v for k, v in RESERVED_ALIASES.items() if k in (X, Y, WKT, NAME)}
    for code, aliases in reserved.items():
        for a in aliases:
            out.setdefault(normalise_header(a), (code, None))
    for col in spec.columns:
        for h in (col.code, col.label, *col.aliases):
            out[normalise_header(h)] = (col.code, col)
    return out


def _match_header(spec: SheetSpec, rows: list[tuple[int, list[Any]]]) -> _Match | None:
    hmap = _header_map(spec)
    own = {normalise_header(h) for col in spec.columns for h in (col.code, col.label, *col.aliases)}
    best: _Match | None = None
    for number, cells in rows:
        columns: dict[int, tuple[str, ColumnSpec | None, str]] = {}
        score = 0
        for i, cell in enumerate(cells):
            if cell is None or str(cell).strip() == "":
                continue
            key = normalise_header(cell)
            if key in hmap:
                code, col = hmap[key]
                if code in {c for c, _, _ in columns.values()}:
                    continue
                columns[i] = (code, col, str(cell).strip())
                score += 2 if key in own else 1
            else:
                columns[i] = ("", None, str(cell).strip())
        codes = {c for c, _, _ in columns.values()}
        geometric = ({X, Y} <= codes or WKT in codes) if spec.geometry != "none" else True
        if geometric and score >= 2 and (best is None or score > best.score):
            best = _Match(spec, number, {i: (c or h, col, h) for i, (c, col, h) in columns.items()}, score)
    return best


def _is_blank(v: Any) -> bool:
    return v is None or v == "" or (v.__class__ is str and v.isspace())


def _is_example(values: dict[str, Any], cells: list[Any]) -> bool:
    first = values.get(NAME)
    if _is_blank(first):
        first = next((c for c in cells if not _is_blank(c)), None)
    return isinstance(first, str) and first.strip().lower().startswith(EXAMPLE_PREFIXES)


def convert_value(value: Any, col: ColumnSpec | None) -> Any:
    """A cell's value typed per its column where that is unambiguous; anything else is left as read."""
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None
    if isinstance(value, dt.datetime) and (col is None or col.kind == "date") and value.time() == dt.time():
        value = value.date()
    if col is None:
        # spreadsheets store every number as a float: 4.0 was written 4
        return int(value) if isinstance(value, float) and value.is_integer() else value
    text = str(value).strip()
    if col.kind == "enum":
        for code, label in col.choices:
            if text in (code, label):
                return code
    elif col.kind == "boolean":
        low = text.lower()
        if low in TRUE_WORDS:
            return True
        if low in FALSE_WORDS:
            return False
    elif col.kind in ("number", "integer") and not isinstance(value, bool):
        try:
            number = float(text.replace(",", "")) if isinstance(value, str) else float(value)
        except ValueError:
            return value
        if col.kind == "integer" and number.is_integer():
            return int(number)
        return number if col.kind == "number" else value
    elif col.kind == "date" and isinstance(value, str):
        try:
            return dt.date.fromisoformat(text.replace("/", "-").replace(".", "-"))
        except ValueError:
            return value
    elif col.kind == "text" and isinstance(value, float) and value.is_integer():
        return str(int(value))
    elif col.kind == "text" and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    headers: dict[str, str]  # code -> header as written
    problems: list[Problem] = field(default_factory=list)  # of its cells' text (gis.formats.text)


def _rows(match: _Match, rows: Iterable[tuple[int, list[Any]]], filename: str, sheet: str | None) -> Iterator[_Row]:
    for number, cells in rows:
        if number <= match.header_row or all(_is_blank(c) for c in cells):
            continue
        values: dict[str, Any] = {}
        problems: list[Problem] = []
        for i, (code, col, header) in match.columns.items():
            if i < len(cells) and not _is_blank(cells[i]):
                cell, found, params = clean_cell(cells[i], limit=None if code == WKT else CELL_MAX)
                if found:
                    severity: Severity = "warning" if found == "cell_chars_removed" else "error"
                    problems.append(Problem(Where(filename, sheet, number, header), found, params, severity))
                values[code] = cell if code in (X, Y, WKT) else convert_value(cell, col)
        if _is_example(values, cells):
            continue
        yield _Row(number, values, {code: h for code, _c, h in match.columns.values()}, problems)


def _coordinate(row: _Row, code: str, where: Where, problems: list[Problem]) -> float | None:
    column = row.headers.get(code)
    value = row.values.get(code)
    if _is_blank(value):
        problems.append(Problem(Where(where.file, where.sheet, row.number, column), "coordinate_missing"))
        return None
    try:
        return parse_angle(value)
    except CoordinateError:
        problems.append(
            Problem(
                Where(where.file, where.sheet, row.number, column), "coordinate_unreadable", {"value": str(value)[:40]}
            )
        )
        return None


def _properties(row: _Row) -> dict[str, Any]:
    return {k: v for k, v in row.values.items() if k not in (X, Y, WKT, VERTEX) and v is not None}


def _from_wkt(row: _Row, where: Where, f: Feature) -> None:
    try:
        f.geometry = shapely.from_wkt(str(row.values[WKT]))
    except shapely.errors.GEOSException as exc:
        f.problems.append(
            Problem(
                Where(where.file, where.sheet, row.number, row.headers.get(WKT)),
                "geometry_unreadable",
                {"reason": str(exc)[:120]},
            )
        )


def missing_columns(match: _Match, filename: str, sheet: str | None) -> list[Problem]:
    """`column_missing` for each required column of the sheet's spec absent from its header."""
    present = {code for code, _col, _h in match.columns.values()}
    return [
        Problem(Where(filename, sheet), "column_missing", {"sheet": sheet or match.spec.name, "column": col.label})
        for col in match.spec.columns
        if col.required and col.code not in present
    ]


def features_from_rows(
    match: _Match, rows: Iterable[tuple[int, list[Any]]], filename: str, sheet: str | None, layer: str | None
) -> list[Feature]:
    """Features of one sheet (geometry in source coordinates)."""
    spec = match.spec
    base = Where(filename, sheet)
    features: list[Feature] = []
    if spec.geometry in ("point", "none"):
        for row in _rows(match, rows, filename, sheet):
            f = Feature(Where(filename, sheet, row.number), layer, None, _properties(row), list(row.problems))
            if WKT in row.values:
                _from_wkt(row, base, f)
            elif spec.geometry == "point" or X in row.values or Y in row.values:
                x = _coordinate(row, X, base, f.problems)
                y = _coordinate(row, Y, base, f.problems)
                if x is not None and y is not None:
                    f.geometry = Point(x, y)
            features.append(f)
        return features
    # vertex sheets
    groups: dict[Any, list[_Row]] = {}
    current: Any = None
    for row in _rows(match, rows, filename, sheet):
        if WKT in row.values:
            f = Feature(Where(filename, sheet, row.number), layer, None, _properties(row), list(row.problems))
            _from_wkt(row, base, f)
            features.append(f)
            current = None
            continue
        # by name first: an export writes the system id on a feature's first vertex row only
        name = row.values.get(NAME)
        key = row.values.get(ELEMENT_ID) if _is_blank(name) else name
        if _is_blank(key):
            if current is None:
                features.append(
                    Feature(
                        Where(filename, sheet, row.number),
                        layer,
                        None,
                        _properties(row),
                        [Problem(Where(filename, sheet, row.number, row.headers.get(NAME)), "vertex_without_name")],
                    )
                )
                continue
            key = current
        current = key
        groups.setdefault(key, []).append(row)
    for _key, group in groups.items():
        first = group[0]
        props: dict[str, Any] = {}
        for r in group:
            for k, v in _properties(r).items():
                props.setdefault(k, v)
        f = Feature(Where(filename, sheet, first.number), layer, None, props, [p for r in group for p in r.problems])
        features.append(f)
        if any(VERTEX in r.values for r in group):
            order: list[tuple[float, _Row]] = []
            for r in group:
                try:
                    order.append((float(r.values[VERTEX]), r))
                except (KeyError, TypeError, ValueError):
                    f.problems.append(
                        Problem(
                            Where(filename, sheet, r.number, r.headers.get(VERTEX)),
                            "vertex_unreadable",
                            {"value": str(r.values.get(VERTEX, ""))[:20]},
                        )
                    )
            seen: dict[float, int] = {}
            for n, r in order:
                if n in seen:
                    f.problems.append(
                        Problem(
                            Where(filename, sheet, r.number, r.headers.get(VERTEX)),
                            "vertex_duplicate",
                            {"vertex": int(n) if n.is_integer() else n, "first_row": seen[n]},
                        )
                    )
                seen.setdefault(n, r.number)
            group = [r for _n, r in sorted(order, key=lambda t: t[0])]
        points: list[tuple[float, float]] = []
        for r in group:
            x = _coordinate(r, X, base, f.problems)
            y = _coordinate(r, Y, base, f.problems)
            if x is not None and y is not None:
                points.append((x, y))
        if any(p.severity == "error" for p in f.problems):
            continue
        needed = 2 if spec.geometry == "line" else 3
        distinct = len(set(points))
        if distinct < needed:
            f.problems.append(Problem(f.where, "geometry_too_few_points", {"count": distinct, "needed": needed}))
            continue
        if spec.geometry == "line":
            f.geometry = LineString(points)
        else:
            if points[0] != points[-1]:
                points.append(points[0])
            f.geometry = Polygon(points)
    return features


# --- CSV -------------------------------------------------------------------------------------------------


def decode_text(data: bytes, filename: str) -> str:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK, as Chinese Excel writes CSV)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRefused("text_encoding_unknown", file=filename)


def csv_rows(text: str) -> list[tuple[int, list[Any]]]:
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    out: list[tuple[int, list[Any]]] = []
    for number, cells in enumerate(reader, start=1):
        out.append((number, [csv_unguard(c) for c in cells]))  # our own exports guard formula-like text
    return out


def _choose(spec: TemplateSpec | None, sheet_name: str | None, head: list[tuple[int, list[Any]]]) -> _Match | None:
    candidates = list(spec.sheets) if spec else []
    if spec and sheet_name:
        named = [s for s in candidates if sheet_name.strip() in (s.name, s.key)]
        if named:
            return _match_header(named[0], head)
    matches = [m for s in candidates if (m := _match_header(s, head)) is not None]
    if matches:
        return max(matches, key=lambda m: m.score)
    return _match_header(free_sheet(sheet_name or ""), head)


def read_csv(
    filename: str, data: bytes, spec: TemplateSpec | None, limits: Limits
) -> tuple[list[RawLayer], list[Problem]]:
    rows = csv_rows(decode_text(data, filename))
    if len(rows) > limits.max_rows + HEADER_SEARCH_ROWS:
        raise FileRefused("too_many_rows", file=filename, sheet="", limit=limits.max_rows)
    match = _choose(spec, None, rows[:HEADER_SEARCH_ROWS])
    if match is None:
        return [], [Problem(Where(filename), "header_not_found", {"sheet": ""})]
    layer = match.spec.name or None
    return [RawLayer(layer, features_from_rows(match, rows, filename, None, layer))], missing_columns(
        match, filename, None
    )


# --- XLSX ------------------------------------------------------------------------------------------------


def _defined_names(data: bytes, filename: str) -> dict[str, tuple[str, int, int]]:
    """Workbook-level names pointing at one cell: name -> (sheet, row, column), 1-based."""
    import zipfile

    from openpyxl.utils.cell import coordinate_to_tuple

    from gis.formats.safety import parse_xml

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        if "xl/workbook.xml" not in zf.namelist():
            return {}
        root = parse_xml(zf.read("xl/workbook.xml"), filename)
    out: dict[str, tuple[str, int, int]] = {}
    for e in root.iter():
        if not str(e.tag).endswith("definedName") or not e.text or "!" not in e.text:
            continue
        sheet, _, ref = e.text.rpartition("!")
        if sheet.startswith("'") and sheet.endswith("'"):
            sheet = sheet[1:-1].replace("''", "'")
        with contextlib.suppress(ValueError, TypeError):
            row, col = coordinate_to_tuple(ref.replace("$", ""))
            out[str(e.get("name"))] = (sheet, row, col)
    return out


class _Book:
    """An XLSX read with calamine (Rust: ten times openpyxl's speed on large sheets); cells as Python values."""

    def __init__(self, filename: str, data: bytes, limits: Limits):
        from python_calamine import CalamineWorkbook

        self.filename, self.limits = filename, limits
        self.book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        self.names = _defined_names(data, filename)
        self.visible = {m.name: str(m.visible).endswith("Visible") for m in self.book.sheets_metadata}
        self._rows: dict[str, list[tuple[int, list[Any]]]] = {}

    @property
    def sheetnames(self) -> list[str]:
        return list(self.book.sheet_names)

    def rows(self, title: str) -> list[tuple[int, list[Any]]]:
        if title not in self._rows:
            sheet = self.book.get_sheet_by_name(title)
            if sheet.total_height > self.limits.max_rows + HEADER_SEARCH_ROWS:
                raise FileRefused("too_many_rows", file=self.filename, sheet=title, limit=self.limits.max_rows)
            # from A1 whatever is empty, so that row numbers are Excel's
            rows = [(n, cells) for n, cells in enumerate(sheet.to_python(skip_empty_area=False), start=1)]
            while rows and all(_is_blank(c) for c in rows[-1][1]):
                rows.pop()
            self._rows[title] = rows
        return self._rows[title]

    def cell(self, title: str, row: int, col: int) -> Any:
        if title not in self.sheetnames:
            return None
        rows = self.rows(title)
        if row > len(rows) or col > len(rows[row - 1][1]):
            return None
        return rows[row - 1][1][col - 1]


def _crs_choice(book: _Book, spec: TemplateSpec | None, filename: str, problems: list[Problem]) -> SourceCrs | None:
    """The template's coordinate-system choice: the defined name, else the labelled cell of a reserved sheet."""
    crs_value: Any = None
    cm_value: Any = None
    if CRS_NAME in book.names:
        crs_value = book.cell(*book.names[CRS_NAME])
        if CM_NAME in book.names:
            cm_value = book.cell(*book.names[CM_NAME])
    else:
        for title in book.sheetnames:
            if title not in RESERVED_SHEETS:
                continue
            for _n, cells in book.rows(title)[:40]:
                label = normalise_header(cells[0]) if cells and not _is_blank(cells[0]) else ""
                if label == normalise_header(CRS_LABEL) and len(cells) > 1:
                    crs_value = cells[1]
                elif label == normalise_header(CM_LABEL) and len(cells) > 1:
                    cm_value = cells[1]
    if _is_blank(crs_value) or str(crs_value).strip() == AUTO_LABEL:
        return None
    text = str(crs_value).strip()
    choices = dict(DEFAULT_CRS_CHOICES) | (dict(spec.crs_choices) if spec else {})
    code = next((c for c, label in choices.items() if text in (label, c)), text)
    if code == "gk3" and not _is_blank(cm_value):
        with contextlib.suppress(ValueError):
            code = f"gk3:{int(float(str(cm_value).rstrip('°度 ')))}"
    try:
        return parse_crs(code)
    except CoordinateError as exc:
        problems.append(Problem(Where(filename, None, None, CRS_LABEL), exc.code, {"value": text[:60], **exc.params}))
        return None


def read_xlsx(
    filename: str, data: bytes, spec: TemplateSpec | None, limits: Limits
) -> tuple[list[RawLayer], list[Problem], SourceCrs | None]:
    try:
        return _read_workbook(filename, data, spec, limits)
    except FileRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - calamine's errors (zip, xml, password) all mean unreadable
        raise FileRefused("file_corrupt", file=filename, reason=str(exc)[:120]) from exc


def _read_workbook(
    filename: str, data: bytes, spec: TemplateSpec | None, limits: Limits
) -> tuple[list[RawLayer], list[Problem], SourceCrs | None]:
    problems: list[Problem] = []
    book = _Book(filename, data, limits)
    declared = _crs_choice(book, spec, filename, problems)
    layers: list[RawLayer] = []
    unmatched: list[str] = []
    spec_names = {s.name for s in spec.sheets} if spec else set()
    for title in book.sheetnames:
        if title in RESERVED_SHEETS or (not book.visible.get(title, True) and title not in spec_names):
            continue
        rows = book.rows(title)
        if not rows:
            continue
        match = _choose(spec, title, rows[:HEADER_SEARCH_ROWS])
        if match is None:
            if any(not _is_blank(c) for _n, cells in rows for c in cells):
                unmatched.append(title)
            continue
        layer = match.spec.name or title
        problems.extend(missing_columns(match, filename, title))
        layers.append(RawLayer(layer, features_from_rows(match, rows, filename, title, layer)))
    for title in unmatched:
        named = spec is not None and any(title in (s.name, s.key) for s in spec.sheets)
        if named or not layers:
            problems.append(Problem(Where(filename, title), "header_not_found", {"sheet": title}))
        else:
            problems.append(Problem(Where(filename, title), "sheet_unrecognised", {"sheet": title}, "warning"))
    return layers, problems, declared
