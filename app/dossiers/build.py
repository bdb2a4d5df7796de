"""The per-pond dossier (一库一档, issue 6 item 3): one ZIP with everything the bureau files about a pond.

Contents, under a folder named by the pond's code: the printable report in Chinese (PDF, subset CJK font
embedded), the records workbook (permits, ledger, elements, monitoring) and the hazards workbook, the elements
as GeoPackage and KML, an offline HTML map (Leaflet and the data inlined: it opens without a network), and the
pond's photos and documents. The report's map is drawn from the geometries themselves (no tiles).

The same data gives the same bytes: entries sorted, every timestamp (ZIP entries, PDF and workbook metadata,
GeoPackage contents) set from the data's latest change, never from the clock. Rule results and overdue flags
depend on the day they are checked, which the report states.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import json
import math
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import text
from sqlalchemy.orm import Session

from app import files, registry
from app.clock import CHINA
from app.compliance.service import check_pond
from app.dossiers.workbooks import _EPOCH, _stable, pond_workbook
from app.errors import NotFound
from app.hazards.exports import hazards_xlsx
from app.i18n import Lang, label, t
from app.imports.exports import pond_export
from app.inspections import service as inspections
from app.monitoring import service as monitoring
from app.records.service import pond_file
from app.reports.pdf import FAMILY, Document
from gis.formats.text import printable

VENDOR = Path(__file__).resolve().parent.parent / "static" / "vendor" / "leaflet"
MAX_CHARTS = 12
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


@dataclass(frozen=True)
class Element:
    id: int
    type: str
    kind: str
    name: str | None
    geom: BaseGeometry
    review_state: str
    captured_at: dt.date | None


def _hex(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _when(value: dt.datetime | None) -> str:
    return value.astimezone(CHINA).strftime("%Y-%m-%d %H:%M") if value else "—"


def _s(value: Any) -> str:
    return "—" if value is None or value == "" else str(value)


def latest_change(session: Session, pond_id: int) -> dt.datetime:
    """When the pond's data last changed (records, elements, monitoring, inspections, hazards, documents)."""
    latest = session.execute(
        text("""SELECT max(x) FROM (
                  SELECT updated_at AS x FROM ponds WHERE id = :p
                  UNION ALL SELECT max(changed_at) FROM record_revisions WHERE pond_id = :p
                  UNION ALL SELECT max(changed_at) FROM element_revisions WHERE pond_id = :p
                  UNION ALL SELECT max(imported_at) FROM monitoring_imports WHERE pond_id = :p
                  UNION ALL SELECT max(coalesce(submitted_at, started_at)) FROM inspections WHERE pond_id = :p
                  UNION ALL SELECT max(updated_at) FROM hazards WHERE pond_id = :p
                  UNION ALL SELECT max(uploaded_at) FROM photos WHERE pond_id = :p) s"""),
        {"p": pond_id},
    ).scalar()
    return latest.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0) if latest else _EPOCH


def _elements(session: Session, pond_id: int) -> list[Element]:
    rows = session.execute(
        text("""SELECT id, type, kind, name, ST_AsBinary(geom) AS wkb, review_state, captured_at
                FROM elements WHERE pond_id = :p ORDER BY type, kind, id"""),
        {"p": pond_id},
    ).all()
    return [
        Element(r.id, r.type, r.kind, r.name, shapely.from_wkb(bytes(r.wkb)), r.review_state, r.captured_at)
        for r in rows
    ]


# --- the map drawn on the page -------------------------------------------------------------------------------


def _draw_map(doc: Document, elements: list[Element], lang: Lang, height_mm: float = 120) -> None:
    """The pond's elements drawn to scale in a frame, styled from the catalogue, with a legend and a scale bar."""
    kinds = registry.catalogue().kinds
    x0, y0 = doc.l_margin, doc.get_y() + 2
    width = doc.w - doc.l_margin - doc.r_margin
    if doc.will_page_break(height_mm + 30):
        doc.add_page()
        y0 = doc.get_y() + 2
    doc.set_draw_color(120, 120, 120)
    doc.set_line_width(0.2)
    doc.rect(x0, y0, width, height_mm)
    if not elements:
        doc.set_xy(x0, y0 + height_mm / 2)
        doc.cell(width, 6, t("dossier_no_elements", lang), align="C")
        doc.set_y(y0 + height_mm + 4)
        return
    minx, miny, maxx, maxy = shapely.total_bounds([e.geom for e in elements])
    lat0 = math.radians((miny + maxy) / 2)
    kx = math.cos(lat0)  # a degree of longitude is shorter than one of latitude
    span_x = max((maxx - minx) * kx, 1e-5)
    span_y = max(maxy - miny, 1e-5)
    pad = 6.0
    scale = min((width - 2 * pad) / span_x, (height_mm - 2 * pad) / span_y)  # mm per degree of latitude
    ox = x0 + (width - span_x * scale) / 2
    oy = y0 + (height_mm + span_y * scale) / 2

    def pt(x: float, y: float) -> tuple[float, float]:
        return ox + (x - minx) * kx * scale, oy - (y - miny) * scale

    order = {"Polygon": 0, "MultiPolygon": 0, "LineString": 1, "MultiLineString": 1}
    for e in sorted(elements, key=lambda e: (order.get(e.geom.geom_type, 2), e.id)):
        style = kinds[e.kind].style if e.kind in kinds else None
        colour = _hex(style.color) if style else (80, 80, 80)
        doc.set_draw_color(*colour)
        for part in getattr(e.geom, "geoms", [e.geom]):
            if part.geom_type == "Polygon":
                fill = _hex(style.fill) if style and style.fill else colour
                doc.set_fill_color(*fill)
                doc.set_line_width(0.4)
                with doc.local_context(fill_opacity=(style.fill_opacity if style and style.fill_opacity else 0.3)):
                    doc.polygon([pt(x, y) for x, y in part.exterior.coords], style="DF")
            elif part.geom_type == "LineString":
                doc.set_line_width(max(0.3, (style.weight or 2) * 0.2) if style else 0.4)
                doc.polyline([pt(x, y) for x, y in part.coords])
            else:
                doc.set_fill_color(*colour)
                doc.set_line_width(0.2)
                x, y = pt(part.x, part.y)
                doc.circle(x, y, 1.0, style="DF")
    # scale bar: a round number of metres near a fifth of the frame
    metres_per_mm = 111_320 / scale
    target = metres_per_mm * width / 5
    bar_m = next(m for m in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 1e9) if m >= target / 2)
    bar_mm = bar_m / metres_per_mm
    doc.set_draw_color(0, 0, 0)
    doc.set_line_width(0.5)
    bx, by = x0 + 4, y0 + height_mm - 4
    doc.line(bx, by, bx + bar_mm, by)
    doc.set_font(FAMILY, size=7)
    doc.text(bx, by - 1.2, f"{bar_m:g} m")
    doc.text(x0 + width - 6, y0 + 6, "N ↑")
    doc.set_y(y0 + height_mm + 2)
    counts = Counter(e.kind for e in elements)
    legend = []
    for code in sorted(counts, key=lambda c: list(kinds).index(c) if c in kinds else 999):
        legend.append(f"■ {label(kinds[code].label, lang) if code in kinds else code} {counts[code]}")
    x = x0
    for item, code in zip(
        legend, sorted(counts, key=lambda c: list(kinds).index(c) if c in kinds else 999), strict=True
    ):
        w = doc.get_string_width(item) + 4
        if x + w > x0 + width:
            x = x0
            doc.ln(4.5)
        doc.set_x(x)
        doc.set_text_color(*(_hex(kinds[code].style.color) if code in kinds else (0, 0, 0)))
        doc.cell(w, 4.5, item)
        x += w
    doc.set_text_color(0, 0, 0)
    doc.set_fill_color(255, 255, 255)
    doc.set_draw_color(0, 0, 0)
    doc.set_line_width(0.2)
    doc.ln(6)


# --- the report ----------------------------------------------------------------------------------------------


def _chart_svg(session: Session, pond_id: int, well: dict[str, Any], lang: Lang) -> bytes | None:
    if not well["chart_parameter"]:
        return None
    body = monitoring.chart_svg(session, pond_id, well["id"], well["chart_parameter"], lang)
    # fpdf2 draws SVG text with the document's fonts: the embedded CJK face (which has no bold)
    body = body.replace('font-family="sans-serif"', f'font-family="{FAMILY}"')
    return body.replace(' font-weight="bold"', "").encode()


def _zh(code: str, /, **params: Any) -> str:
    # the printed report is for the bureau's files: Chinese whatever the requester's language
    return t(code, "zh", **params)


def _headings(*codes: str) -> list[str]:
    return [_zh(f"dossier_col_{c}") for c in codes]


def _cover(doc: Document, info: Any, when: dt.datetime, today: dt.date) -> None:
    doc.ln(30)
    doc.set_font(FAMILY, size=22)
    doc.multi_cell(0, 12, info.name, align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_font(FAMILY, size=14)
    doc.multi_cell(0, 9, _zh("dossier_cover_code", pond_code=info.code), align="C", new_x="LMARGIN", new_y="NEXT")
    doc.ln(20)
    doc.facts(
        [
            (_zh("dossier_f_county"), _s(info.county)),
            (_zh("dossier_f_enterprise"), _s(info.enterprise)),
            (_zh("dossier_f_level"), _zh("level_n", n=info.supervision_level)),
            (_zh("dossier_f_status"), _zh(f"status_{info.status}")),
            (_zh("dossier_f_data_as_of"), when.replace(tzinfo=dt.UTC).astimezone(CHINA).strftime("%Y-%m-%d %H:%M")),
            (_zh("dossier_f_checked_on"), today.isoformat()),
        ]
    )


def _basic_information(doc: Document, info: Any, file: dict[str, Any]) -> None:
    pond = file["pond"]
    doc.add_page()
    doc.heading(_zh("dossier_h_basic"))
    position = f"{info.lon:.6f}, {info.lat:.6f}" if info.lon is not None else "—"
    doc.facts(
        [
            (_zh("dossier_f_name_code"), _zh("dossier_name_code", name=info.name, pond_code=info.code)),
            (_zh("dossier_f_position"), position),
            (_zh("dossier_f_safety_grade"), _s(pond["safety_grade"])),
            (_zh("dossier_f_dam_storage"), f"{_s(pond['dam_type'])} / {_s(pond['storage'])}"),
            (_zh("dossier_f_ore"), _s(pond["ore_type"])),
            (
                _zh("dossier_f_volumes"),
                f"{_s(pond['design_volume_10k_m3'])} / {_s(pond['current_volume_10k_m3'])}",
            ),
            (_zh("dossier_f_dam_height"), _s(pond["dam_height_m"])),
        ]
    )
    permit = file["permits"] or {}
    doc.heading(_zh("dossier_h_permits"))
    g = permit.get
    doc.facts(
        [
            (
                _zh("dossier_f_eia"),
                _zh("dossier_no_date", no=_s(g("eia_approval_no")), date=_s(g("eia_approval_date"))),
            ),
            (
                _zh("dossier_f_acceptance"),
                _zh("dossier_no_date", no=_s(g("acceptance_no")), date=_s(g("acceptance_date"))),
            ),
            (
                _zh("dossier_f_discharge_permit"),
                _zh("dossier_no_expiry", no=_s(g("discharge_permit_no")), date=_s(g("discharge_permit_expiry"))),
            ),
            (
                _zh("dossier_f_emergency_plan"),
                _zh("dossier_no_date", no=_s(g("emergency_plan_filing_no")), date=_s(g("emergency_plan_filed_on"))),
            ),
            (_zh("dossier_f_risk_grade"), _s(permit.get("risk_grade"))),
        ]
    )
    doc.heading(_zh("dossier_h_ledger"))
    ledger = [_headings("year", "produced", "stored", "reused", "other_disposal", "reported_on")]
    for r in sorted(file["ledger"], key=lambda r: r["year"]):
        ledger.append(
            [r["year"], r["produced_t"], r["stored_t"], r["reused_t"], r["other_disposal_t"], _s(r["reported_on"])]
        )
    if file["ledger_missing_years"]:
        doc.paragraph(
            _zh(
                "dossier_ledger_missing",
                years=_zh("dossier_enum_sep").join(str(y) for y in file["ledger_missing_years"]),
            )
        )
    doc.table(ledger if len(ledger) > 1 else ledger + [["—"] * 6])


def _elements_section(doc: Document, elements: list[Element]) -> None:
    cat = registry.catalogue()
    kinds, types = cat.kinds, {ty.code: ty for ty in cat.types}
    doc.add_page()
    doc.heading(_zh("dossier_h_map"))
    _draw_map(doc, elements, "zh")
    doc.heading(_zh("dossier_h_elements"))
    counts = Counter(e.kind for e in elements)
    by_type = Counter(e.type for e in elements)
    rows = [_headings("element_type", "element_kind", "count")]
    for ty in cat.types:
        for k in ty.kinds:
            if counts.get(k.code):
                rows.append([label(ty.label, "zh"), label(k.label, "zh"), str(counts[k.code])])
    rows.append([_zh("dossier_total"), "", str(len(elements))])
    doc.table(rows, widths=(50, 90, 40))
    doc.paragraph(
        _zh(
            "dossier_by_type",
            items=_zh("list_sep").join(
                _zh("dossier_type_count", type=label(types[c].label, "zh"), n=n)
                for c, n in sorted(by_type.items())
                if c in types
            ),
        )
    )
    listing = [_headings("id", "kind", "name", "review_state", "captured_at")]
    for e in elements:
        listing.append(
            [
                str(e.id),
                label(kinds[e.kind].label, "zh") if e.kind in kinds else e.kind,
                _s(e.name),
                _zh(f"review_{e.review_state}"),
                _s(e.captured_at),
            ]
        )
    if len(listing) > 1:
        doc.table(listing, widths=(18, 42, 70, 25, 25))


def _rules_section(doc: Document, session: Session, pond_id: int, today: dt.date) -> None:
    checked = check_pond(session, pond_id, "zh", today)
    doc.heading(_zh("dossier_h_rules"))
    s = checked["summary"]
    doc.paragraph(
        _zh(
            "dossier_rules_summary",
            on=checked["checked_on"],
            passed=s["pass"],
            failed=s["fail"],
            na=s["not_applicable"],
        )
    )
    rules = [_headings("rule", "result", "reason", "source")]
    for r in checked["results"]:
        rules.append([r["label"], _zh(r["status"]), r["reason"], r["source"]])
    doc.table(rules, widths=(40, 16, 84, 40))


def _monitoring_section(doc: Document, mon: dict[str, Any]) -> None:
    doc.heading(_zh("dossier_h_monitoring"))
    ms = mon["summary"]
    doc.paragraph(
        _zh(
            "dossier_monitoring_summary",
            results=ms["results"],
            exceed=ms["exceed_limit"],
            above=ms["above_background"],
        )
    )
    wells = [_headings("well", "role", "results", "last_sampled", "exceedances", "frequency")]
    for w in mon["wells"]:
        wells.append(
            [
                w["name"],
                _s(w["role_label"]),
                str(w["results"]),
                _s(w["last_sampled"]),
                str(w["exceedances"]),
                _zh(f"freq_{w['frequency']['state']}"),
            ]
        )
    if len(wells) > 1:
        doc.table(wells, widths=(40, 28, 18, 28, 18, 48))


def _inspections_section(doc: Document, session: Session, pond_id: int) -> None:
    doc.heading(_zh("dossier_h_inspections"))
    ins = [_headings("started_at", "inspection_kind", "state", "inspector", "organisation", "items", "problems")]
    for i in inspections.list_for_pond(session, pond_id):
        ins.append(
            [
                _when(i["started_at"]),
                _zh(f"kind_{i['kind']}"),
                _zh("dossier_submitted" if i["state"] == "submitted" else "dossier_draft"),
                i["inspector_name"],
                i["organisation_name"],
                str(i["answers"]),
                str(i["problems"]),
            ]
        )
    doc.table(ins if len(ins) > 1 else ins + [["—"] * 7], widths=(28, 24, 16, 28, 44, 20, 20))


def _hazards_section(doc: Document, session: Session, pond_id: int) -> None:
    doc.heading(_zh("dossier_h_hazards"))
    hazards = session.execute(
        text("""SELECT h.id, h.source, h.severity, h.description, h.state, h.found_at, h.deadline, h.responsible,
                       h.plan, h.closed_at, e.name AS element_name
                FROM hazards h LEFT JOIN elements e ON e.id = h.element_id WHERE h.pond_id = :p ORDER BY h.id"""),
        {"p": pond_id},
    ).all()
    if not hazards:
        doc.paragraph(_zh("dossier_no_hazards"))
    for h in hazards:
        doc.paragraph(
            _zh(
                "dossier_hazard_title",
                id=h.id,
                severity=_zh(f"sev_{h.severity}"),
                source=_zh(f"src_{h.source}"),
                description=h.description,
            ),
            size=10,
        )
        doc.facts(
            [
                (_zh("dossier_f_status"), _zh(f"hz_{h.state}")),
                (_zh("dossier_f_element"), _s(h.element_name)),
                (_zh("dossier_f_found_at"), _when(h.found_at)),
                (_zh("dossier_f_plan_responsible"), f"{_s(h.plan)} / {_s(h.responsible)}"),
                (_zh("dossier_f_deadline_closed"), f"{_s(h.deadline)} / {_when(h.closed_at)}"),
            ]
        )
        steps = session.execute(
            text("""SELECT at, action, to_state, display_name, organisation_name, level, note, reason
                    FROM hazard_steps WHERE hazard_id = :h ORDER BY id"""),
            {"h": h.id},
        ).all()
        trail = [_headings("at", "action", "to_state", "person", "level", "note")]
        for st in steps:
            trail.append(
                [
                    _when(st.at),
                    _zh(f"hz_act_{st.action}"),
                    _zh(f"hz_{st.to_state}"),
                    _zh("dossier_person", name=st.display_name, organisation=st.organisation_name),
                    _zh(f"role_{st.level}"),
                    " ".join(x for x in (st.note, st.reason) if x),
                ]
            )
        if len(trail) > 1:
            doc.table(trail, widths=(26, 22, 22, 50, 20, 40))


def _documents_section(doc: Document, file: dict[str, Any]) -> None:
    doc.heading(_zh("dossier_h_documents"))
    docs = [_headings("doc_type", "title", "filename", "version", "size_kb")]
    for d in file["documents"]:
        docs.append(
            [
                d.get("doc_type_label") or d["doc_type"],
                d["title"],
                d["filename"],
                str(d["version"]),
                f"{d['size_bytes'] / 1024:.0f}",
            ]
        )
    doc.table(docs if len(docs) > 1 else docs + [["—"] * 5], widths=(30, 60, 60, 12, 18))


def _charts(doc: Document, session: Session, pond_id: int, mon: dict[str, Any]) -> None:
    # last: text extractors (pypdf) lose track of fonts after fpdf2's SVG text, so nothing follows it
    if any(w["chart_parameter"] for w in mon["wells"]):
        doc.add_page()
        doc.heading(_zh("dossier_h_charts"))
    for w in mon["wells"][:MAX_CHARTS]:
        svg = _chart_svg(session, pond_id, w, "zh")
        if svg is None:
            continue
        if doc.will_page_break(70):
            doc.add_page()
        doc.image(io.BytesIO(svg), w=170)


def report_pdf(
    session: Session, pond_id: int, elements: list[Element], when: dt.datetime, today: dt.date, lang: Lang = "zh"
) -> bytes:
    """The printable report, in Chinese: a cover, then one section per part of the pond's file."""
    info = session.execute(
        text("""SELECT p.code, p.name, p.status, p.supervision_level, d.name AS county,
                       e.name AS enterprise, ST_X(p.location) AS lon,
                       ST_Y(p.location) AS lat
                FROM ponds p LEFT JOIN districts d ON d.adcode = p.county_adcode
                LEFT JOIN enterprises e ON e.id = p.enterprise_id WHERE p.id = :p"""),
        {"p": pond_id},
    ).one()
    file = pond_file(session, pond_id, lang, today)
    system = _zh("dossier_system")
    doc = Document(
        _zh("dossier_title", name=info.name), footer=_zh("dossier_footer", system=system, pond_code=info.code)
    )
    doc.set_creation_date(when.replace(tzinfo=dt.UTC))
    doc.set_author(system)
    doc.set_subject(f"{info.code} {info.name}")
    _cover(doc, info, when, today)
    _basic_information(doc, info, file)
    _elements_section(doc, elements)
    _rules_section(doc, session, pond_id, today)
    mon = monitoring.pond_monitoring(session, pond_id, "zh", today)
    _monitoring_section(doc, mon)
    _inspections_section(doc, session, pond_id)
    _hazards_section(doc, session, pond_id)
    _documents_section(doc, file)
    _charts(doc, session, pond_id, mon)
    return doc.bytes()


# --- the offline map -----------------------------------------------------------------------------------------


def offline_map_html(elements: list[Element], title: str, lang: Lang = "zh") -> str:
    """One HTML file with Leaflet and the elements inlined: no request leaves it (no tiles, no CDN)."""
    import folium

    kinds = registry.catalogue().kinds
    m = folium.Map(location=(26.58, 101.72), zoom_start=14, tiles=None, control_scale=True, max_zoom=22)
    m.default_js, m.default_css = [], []
    m._id = "dossier"
    by_kind: dict[str, list[Element]] = {}
    for e in elements:
        by_kind.setdefault(e.kind, []).append(e)
    for code, items in sorted(by_kind.items(), key=lambda kv: list(kinds).index(kv[0]) if kv[0] in kinds else 999):
        style = kinds[code].style if code in kinds else None
        name = label(kinds[code].label, lang) if code in kinds else code
        features = {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": e.id,
                    # user text escaped here: Leaflet's tooltips parse HTML
                    "properties": {"label": html.escape(printable(f"{name} · {e.name or '#' + str(e.id)}"))},
                    "geometry": shapely.geometry.mapping(e.geom),
                }
                for e in items
            ],
        }
        colour = style.color if style else "#555555"
        sty = {
            "color": colour,
            "weight": (style.weight or 2) if style else 2,
            "fillColor": (style.fill or colour) if style else colour,
            "fillOpacity": (style.fill_opacity or 0.3) if style else 0.3,
            "dashArray": style.dash if style and style.dash else None,
        }
        folium.GeoJson(
            json.loads(json.dumps(features)),
            name=html.escape(f"{name} ({len(items)})"),
            style_function=lambda _f, sty=sty: sty,
            marker=folium.CircleMarker(radius=5, fill=True, color=colour, fill_color=colour, fill_opacity=0.9),
            tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        ).add_to(m)
    if elements:
        minx, miny, maxx, maxy = shapely.total_bounds([e.geom for e in elements])
        m.fit_bounds([[miny, minx], [maxy, maxx]])
    folium.LayerControl(collapsed=False).add_to(m)
    page = m.get_root().render()
    # comments dropped: Leaflet's cite bug trackers' URLs
    css = re.sub(r"/\*.*?\*/", "", (VENDOR / "leaflet.css").read_text(encoding="utf-8"), flags=re.S)
    js = (VENDOR / "leaflet.js").read_text(encoding="utf-8").replace("</script", "<\\/script")
    inline = f"<title>{html.escape(printable(title))}</title>\n<style>{css}</style>\n<script>{js}</script>\n"
    page = page.replace("<head>", "<head>\n" + inline, 1)
    # folium numbers its elements with random ids: number them in order, so the file is the same every time
    ids: dict[str, str] = {}
    page = re.sub(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])", lambda mo: ids.setdefault(mo.group(0), str(len(ids))), page)
    return page


# --- the archive ---------------------------------------------------------------------------------------------


def _entry(when: dt.datetime, name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=max(when, dt.datetime(1980, 1, 1)).timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _safe(name: str) -> str:
    return _UNSAFE.sub("_", name).strip(". ") or "file"


def _gpkg_at(session: Session, pond_id: int, when: dt.datetime, lang: Lang) -> bytes:
    import pyogrio

    # GDAL writes the current date into gpkg_contents: pin it to the data's date
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": when.strftime("%Y-%m-%dT%H:%M:%S.000Z")})
    try:
        return pond_export(session, pond_id, "gpkg", lang)[1]
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})


def dossier_entries(
    session: Session, pond_id: int, lang: Lang = "zh", today: dt.date | None = None
) -> tuple[dt.datetime, list[tuple[str, bytes]]]:
    """The dossier's files (path, bytes) in order, and the data's date that stamps them."""
    code = session.execute(text("SELECT code FROM ponds WHERE id = :p"), {"p": pond_id}).scalar()
    if code is None:
        raise NotFound("not_found", {"what_code": "pond", "id": pond_id})
    today = today or dt.date.today()
    when = latest_change(session, pond_id)
    elements = _elements(session, pond_id)
    folder = _safe(code)
    out: list[tuple[str, bytes]] = [
        (f"{folder}/{folder}-report.pdf", report_pdf(session, pond_id, elements, when, today, lang)),
        (f"{folder}/{folder}-records.xlsx", pond_workbook(session, pond_id, lang)),
        (f"{folder}/{folder}-hazards.xlsx", _stable(hazards_xlsx(session, None, pond_id=pond_id), when)),
        (f"{folder}/{folder}-map.html", offline_map_html(elements, code, lang).encode()),
    ]
    if elements:
        out.append((f"{folder}/{folder}-elements.gpkg", _gpkg_at(session, pond_id, when, lang)))
        out.append((f"{folder}/{folder}-elements.kml", pond_export(session, pond_id, "kml", lang)[1]))
    for p in session.execute(
        text("SELECT id, sha256, content_type FROM photos WHERE pond_id = :p ORDER BY id"), {"p": pond_id}
    ):
        ext = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}.get(p.content_type, "bin")
        out.append((f"{folder}/photos/{p.id}.{ext}", files.get(p.sha256)))
    for d in session.execute(
        text("SELECT id, version, filename, sha256 FROM pond_documents WHERE pond_id = :p ORDER BY id"),
        {"p": pond_id},
    ):
        out.append((f"{folder}/documents/{d.id}-v{d.version}-{_safe(d.filename)}", files.get(d.sha256)))
    return when, sorted(out)


def write_zip(entries: list[tuple[dt.datetime, str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for when, name, body in sorted(entries, key=lambda e: e[1]):
            z.writestr(_entry(when, name), body)
    return buf.getvalue()


def build_dossier(session: Session, pond_id: int, lang: Lang = "zh", today: dt.date | None = None) -> bytes:
    """The pond's dossier as one ZIP; the same data (checked on the same day) gives the same bytes."""
    when, entries = dossier_entries(session, pond_id, lang, today)
    return write_zip([(when, name, body) for name, body in entries])


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
