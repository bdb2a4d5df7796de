"""Generate the ILLUSTRATIVE sample data set (示例数据) of the 40 tailings ponds of Panzhihua.

Writes, relative to the repository root:

* ``layers/sample/enterprises.csv``            pond operators (real names only for the six named ponds)
* ``layers/sample/ponds.geojson``              40 pond boundaries with their registry attributes
* ``layers/sample/elements.geojson``           environmental supervision elements (the nine types of
                                               ``layers/catalogue/element_types.yaml``)
* ``layers/sample/sensitive_targets.geojson``  villages, schools, hospitals, water sources, farmland
* ``layers/reference/anning_illustrative.geojson``  a hand-drawn sketch of the Anning River (安宁河)

The counts follow the 2025 bulletin: 8 level-2 and 32 level-3 ponds; 11 in use, 12 stopped,
2 closing, 15 closed; one maps for 14 ponds, among them the four key ponds. The six ponds named in the
bulletin keep their names; every other pond, enterprise and sensitive target has a neutral name (示例…).
ALL GEOMETRY IS SYNTHETIC: valley-shaped boundaries placed by rule inside the district polygons and near the
river centrelines of ``layers/reference``; they do not show where any real pond is.
A few mapped ponds carry deliberate defects (see ``DEFECTS``) so the compliance rules have something to find.

Determinism: every random choice comes from one ``random.Random(2025)`` stream consumed in a fixed order;
nothing depends on time, dict/set iteration of unordered data or the environment. Output geometry is built
with plain arithmetic in EPSG:4543 metres and converted to lon/lat with pyproj; shapely is used only for
predicates and measurements, never to construct output coordinates, so library versions do not change the
files. Running the script twice gives byte-identical files; ``--check`` regenerates in memory and exits 1 when
the files on disk differ.

Usage (from the repository root)::

    python scripts/generate_sample.py           # write the files and print a summary
    python scripts/generate_sample.py --check   # exit 1 if the files on disk are not up to date
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import random
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import shapely
import yaml
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon, shape
from shapely.prepared import prep

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_DIR = ROOT / "layers" / "reference"
SAMPLE_DIR = ROOT / "layers" / "sample"
CATALOGUE_PATH = ROOT / "layers" / "catalogue" / "element_types.yaml"

SEED = 2025
REFERENCE_DATE = date(2026, 11, 22)  # "today" for the closure-deadline split of stopped ponds
BULLETIN_DATE = date(2025, 4, 24)  # the bulletin's counts hold on this day: no pond stops after it
DECIMALS = 7  # ~1 cm
NOTE = "示例数据，几何为合成，仅供演示 / Illustrative sample data: synthetic geometry, for demonstration only"

# CGCS2000 3-degree Gauss-Kruger, CM 102°E. WGS84 lon/lat is treated as CGCS2000 (they differ by centimetres).
_TO_METRES = Transformer.from_crs("EPSG:4490", "EPSG:4543", always_xy=True)

XY = tuple[float, float]

# ---------------------------------------------------------------------------------------------------------
# The pond table: every count of the bulletin is fixed here, not left to chance.
# ---------------------------------------------------------------------------------------------------------

DONG, XI, RENHE, MIYI, YANBIAN = 510402, 510403, 510411, 510421, 510422
COUNTY_ORDER = (DONG, XI, RENHE, MIYI, YANBIAN)

# zone: "jinsha" = within 3 km of the Jinsha; "yalong" / "anning" = within 1 km of that river;
#       "far" = 3-25 km from every river.
# (number, county, zone, status, supervision level, one_map)
POND_TABLE: tuple[tuple[int, int, str, str, int, bool], ...] = (
    (1, DONG, "jinsha", "closing", 3, False),
    (2, DONG, "jinsha", "in_use", 3, True),
    (3, DONG, "jinsha", "closed", 3, False),
    (4, DONG, "jinsha", "stopped", 3, False),
    (5, XI, "jinsha", "in_use", 2, True),
    (6, XI, "jinsha", "stopped", 3, True),
    (7, XI, "jinsha", "closed", 3, False),
    (8, XI, "far", "closed", 3, False),
    (9, DONG, "jinsha", "closing", 2, True),  # 东区: 《攀枝花市东区国家生态文明建设示范区创建规划》
    (10, RENHE, "far", "in_use", 2, True),
    (11, RENHE, "jinsha", "in_use", 2, True),
    (12, RENHE, "jinsha", "stopped", 3, False),
    (13, RENHE, "far", "in_use", 3, True),
    (14, RENHE, "far", "stopped", 3, False),
    (15, RENHE, "far", "stopped", 3, False),
    (16, RENHE, "far", "closed", 3, False),
    (17, RENHE, "far", "closed", 3, False),
    (18, RENHE, "far", "closed", 3, False),
    (19, RENHE, "far", "stopped", 3, False),
    (20, RENHE, "far", "in_use", 3, False),
    (21, MIYI, "far", "in_use", 2, True),
    (22, MIYI, "anning", "in_use", 2, True),
    (23, MIYI, "anning", "stopped", 2, True),
    (24, MIYI, "yalong", "in_use", 3, True),
    (25, MIYI, "anning", "closed", 3, False),
    (26, MIYI, "far", "stopped", 3, True),
    (27, MIYI, "far", "closed", 3, False),
    (28, MIYI, "far", "closed", 3, False),
    (29, MIYI, "far", "stopped", 3, False),
    (30, MIYI, "far", "closed", 3, False),
    (31, YANBIAN, "jinsha", "in_use", 2, True),
    (32, YANBIAN, "jinsha", "closed", 3, False),
    (33, YANBIAN, "yalong", "stopped", 3, True),
    (34, YANBIAN, "yalong", "closed", 3, False),
    (35, YANBIAN, "far", "in_use", 3, False),
    (36, YANBIAN, "far", "closed", 3, False),
    (37, YANBIAN, "far", "closed", 3, False),
    (38, YANBIAN, "far", "stopped", 3, False),
    (39, YANBIAN, "far", "closed", 3, False),
    (40, YANBIAN, "far", "stopped", 3, False),
)

# The six ponds named in the city's 2025 bulletin (简报2025年第2期): number -> (name, name_en, enterprise code).
NAMED_PONDS: dict[int, tuple[str, str, str]] = {
    1: ("攀枝花鑫帝矿业磨刀沟尾矿库", "Xindi Mining Modaogou Tailings Pond", "E06"),
    5: ("龙佰矿冶牛望田尾矿库", "Longbai Kuangye Niuwangtian Tailings Pond", "E02"),
    9: ("攀钢马家田尾矿库", "Pangang Majiatian Tailings Pond", "E05"),
    10: ("龙佰丰源牛场坪尾矿库", "Longbai Fengyuan Niuchangping Tailings Pond", "E01"),
    21: ("攀钢新白马矿业万年沟尾矿库", "Pangang Xinbaima Mining Wanniangou Tailings Pond", "E03"),
    22: ("安宁铁钛烂坝山尾矿库", "Anning Iron & Titanium Lanbashan Tailings Pond", "E04"),
}
KEY_PONDS = (5, 10, 21, 22)  # mapped first as templates; complete and compliant

NAMED_ENTERPRISES: tuple[tuple[str, str], ...] = (
    ("E01", "攀枝花龙佰丰源矿业有限公司"),
    ("E02", "攀枝花龙佰矿冶有限公司"),
    ("E03", "攀钢集团新白马矿业有限责任公司"),
    ("E04", "攀枝花安宁铁钛股份有限公司"),
    ("E05", "攀钢集团矿业有限公司"),
    ("E06", "攀枝花鑫帝矿业有限公司"),
)

# Deliberate defects, all on mapped ponds with neutral names and neutral operators.
DEFECTS: dict[int, str] = {
    6: "liner_hdpe_1mm",  # liner HDPE 1.0 mm < 1.5 mm (class II liner rule)
    13: "emergency_pool_unlined",  # emergency pool lined: false
    24: "leachate_pipe_short",  # one leachate pipe ends 40 m short of any pool
    26: "no_diffusion_well",  # groundwater wells without the diffusion well
    33: "flood_30_year",  # flood discharge designed for a 30-year return period (< 50)
}
OVERDUE_STOPPED = (4, 12, 15, 26, 29, 38)  # stopped > 2 years before REFERENCE_DATE: closure overdue
OWNERLESS = (16, 36)
NO_ELEMENTS = (16, 19, 37)

# Ores whose beneficiation leaves tailings (coal gangue is mining waste, not tailings); the tuple keeps its length
# so the random stream is consumed as before.
ORE_TYPES = ("钒钛磁铁矿",) * 16 + ("铁矿",) * 3 + ("铜矿", "铅锌矿", "石墨矿", "石墨矿", "钛铁矿", "铁矿")
DAM_TYPES = ("upstream",) * 13 + ("centerline",) * 2 + ("downstream",) * 2 + ("one_time",) * 3

# Zone distances in metres (pond boundary to river line), with margins inside the 1 km / 3 km rule limits.
ZONE_LIMITS = {"jinsha": (600.0, 2600.0), "yalong": (450.0, 850.0), "anning": (450.0, 850.0)}
JINSHA_ZONE_MIN_OTHER = 1300.0  # Jinsha-zone ponds keep this far from the Yalong and the Anning
NEAR_ZONE_MIN_JINSHA = 3300.0  # Yalong/Anning-zone ponds keep this far from the Jinsha
FAR_MIN, FAR_MAX = 3300.0, 24000.0
RIVER_CLEARANCE = 450.0  # no pond closer than this to any river line
DISTRICT_MARGIN = 350.0  # boundary at least this far inside its district (rule: 300 m)
CITY_MARGIN = 900.0  # room for wells and outlets around the pond, inside the city
POND_SEPARATION = 1800.0  # rule: >= 500 m; more keeps each pond's elements clear of its neighbours
ELEMENT_REACH = 300.0  # elements other than wells and outlets lie within this distance of the boundary
OUTLYING_KINDS = ("monitoring_well", "outlet")  # may lie up to 3 km away

# ---------------------------------------------------------------------------------------------------------
# Illustrative Anning River sketch (安宁河): hand-drawn, NOT survey data.
# ---------------------------------------------------------------------------------------------------------

ANNING_SKETCH: tuple[XY, ...] = (
    (102.158, 27.215),
    (102.156, 27.19),
    (102.15, 27.165),
    (102.143, 27.14),
    (102.146, 27.115),
    (102.138, 27.09),
    (102.131, 27.062),
    (102.133, 27.035),
    (102.126, 27.008),
    (102.121, 26.98),
    (102.116, 26.952),
    (102.112, 26.925),
    (102.106, 26.9),
    (102.092, 26.878),
    (102.07, 26.862),
    (102.046, 26.851),
    (102.02, 26.842),
    (101.995, 26.829),
    (101.968, 26.815),
    (101.942, 26.8),
    (101.915, 26.785),
    (101.89, 26.77),
    (101.872, 26.759),
)
# The mouth: a point on the Yalong between these two rivers.geojson vertices (fraction from the first).
ANNING_MOUTH_SEGMENT = ((101.865245, 26.742947), (101.836436, 26.763454), 0.35)
ANNING_PROPERTIES = {
    "name_zh": "安宁河",
    "name_en": "Anning River",
    "code": "anning",
    "illustrative": True,
    "source": (
        "Illustrative sketch drawn for the sample data set; not survey data. Replace with official hydrography."
    ),
}


def anning_coordinates() -> list[XY]:
    (x0, y0), (x1, y1), f = ANNING_MOUTH_SEGMENT
    mouth = (round(x0 + (x1 - x0) * f, 6), round(y0 + (y1 - y0) * f, 6))
    return [*ANNING_SKETCH, mouth]


# ---------------------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------------------


def to_lonlat(x: float, y: float) -> XY:
    lon, lat = _TO_METRES.transform(x, y, direction="INVERSE")
    return (round(lon, DECIMALS), round(lat, DECIMALS))


def project_geometry(geom: Any) -> Any:
    """A lon/lat shapely geometry in EPSG:4543 metres (for predicates and measurements only)."""
    return shapely.transform(geom, lambda a: list(zip(*_TO_METRES.transform(a[:, 0], a[:, 1]), strict=True)))


def rand_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def clamp(v: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, v))


def shoelace_area(ring: Sequence[XY]) -> float:
    """Signed area (positive = counter-clockwise) of an open ring."""
    n = len(ring)
    return 0.5 * sum(ring[i][0] * ring[(i + 1) % n][1] - ring[(i + 1) % n][0] * ring[i][1] for i in range(n))


def dedupe(points: Iterable[XY]) -> list[XY]:
    out: list[XY] = []
    for p in points:
        if not out or p != out[-1]:
            out.append(p)
    return out


def safety_grade(volume_10k_m3: float, dam_height_m: float) -> int:
    """Safety grade (等别) of a pond by the rule and thresholds of ``layers/records.yaml`` (GB 50863-2013
    §3.2.1): the same code the service uses, so the sample's grades are the ones the system computes."""
    sys.path.insert(0, str(ROOT))
    from app.records.config import load

    grade = load(ROOT / "layers" / "records.yaml").safety_grades.grade(volume_10k_m3, dam_height_m)
    assert grade is not None
    return grade


def credit_code(rng: random.Random, adcode: int) -> str:
    """A synthetic unified social credit code (GB 32100-2015) with valid check characters."""
    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    # organisation code check (GB 11714): weights on the 8 body characters, mod 11
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in body]
    r = 11 - sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    org = body + ("X" if r == 10 else "0" if r == 11 else str(r))
    code = f"91{adcode}{org}"
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [pow(3, i, 31) for i in range(17)]
    check = (31 - sum(alphabet.index(c) * w for c, w in zip(code, weights, strict=True)) % 31) % 31
    return code + alphabet[check]


# ---------------------------------------------------------------------------------------------------------
# Reference layers
# ---------------------------------------------------------------------------------------------------------


@dataclass
class Reference:
    districts: dict[int, Any]  # adcode -> polygon in metres
    district_names: dict[int, str]
    city: Any  # metres
    rivers: dict[str, Any]  # "jinsha" | "yalong" | "anning" -> line in metres
    river_names: dict[str, str]

    def __post_init__(self) -> None:
        self.prepared = {k: prep(g) for k, g in self.districts.items()}
        self.district_edges = {k: g.boundary for k, g in self.districts.items()}
        self.city_prepared = prep(self.city)
        self.city_edge = self.city.boundary

    def river_distances(self, geom: Any) -> dict[str, float]:
        return {name: line.distance(geom) for name, line in self.rivers.items()}


def load_reference() -> Reference:
    def features(name: str) -> list[dict[str, Any]]:
        return json.loads((REFERENCE_DIR / name).read_text(encoding="utf-8"))["features"]

    districts = {
        f["properties"]["adcode"]: project_geometry(shape(f["geometry"]))
        for f in features("panzhihua_districts.geojson")
    }
    names = {f["properties"]["adcode"]: f["properties"]["name"] for f in features("panzhihua_districts.geojson")}
    city = project_geometry(shape(features("panzhihua_city.geojson")[0]["geometry"]))
    rivers: dict[str, Any] = {}
    river_names: dict[str, str] = {}
    for f in features("rivers.geojson"):
        key = "jinsha" if f["properties"]["name_zh"] == "金沙江" else "yalong"
        rivers[key] = project_geometry(shape(f["geometry"]))
        river_names[key] = f["properties"]["name_zh"]
    rivers["anning"] = project_geometry(LineString(anning_coordinates()))
    river_names["anning"] = ANNING_PROPERTIES["name_zh"]
    return Reference(districts, names, city, rivers, river_names)


# ---------------------------------------------------------------------------------------------------------
# Valley geometry in a local frame: s along the valley axis (0 at the dam crest, L at the head, negative
# downstream of the dam), t across it (positive on the left looking upstream).
# ---------------------------------------------------------------------------------------------------------


@dataclass
class Valley:
    origin: XY  # dam centre, EPSG:4543 metres
    axis: XY  # unit vector pointing upstream (away from the river)
    length: float
    right: list[XY]  # (s, t) right edge from the dam end to the head, s ascending
    left: list[XY]  # (s, t) left edge from the dam end to the head, s ascending
    dam_mid: XY  # (s, t) middle vertex of the dam crest (s <= 0)

    def xy(self, s: float, t: float) -> XY:
        (ox, oy), (ux, uy) = self.origin, self.axis
        return (ox + s * ux - t * uy, oy + s * uy + t * ux)

    def lonlat(self, s: float, t: float) -> XY:
        return to_lonlat(*self.xy(s, t))

    @property
    def head(self) -> XY:
        return self.right[-1]

    @property
    def dam_half(self) -> float:
        return (self.left[0][1] - self.right[0][1]) / 2

    def edges(self, s: float) -> tuple[float, float]:
        """Right and left t of the boundary at s (0 <= s <= length)."""
        return _interp(self.right, s), _interp(self.left, s)

    def centre(self, s: float) -> float:
        right, left = self.edges(s)
        return (right + left) / 2

    def across(self, s: float, f: float) -> XY:
        """The point at fraction f across the valley at s: -1 right edge, 0 centre, +1 left edge."""
        right, left = self.edges(s)
        return (s, (right + left) / 2 + f * (left - right) / 2)

    def ring(self) -> list[XY]:
        """Counter-clockwise boundary ring (open): right edge upstream, head, left edge downstream, dam."""
        return [*self.right, *reversed(self.left[:-1]), self.dam_mid]

    def dam_crest(self) -> list[XY]:
        return [self.left[0], self.dam_mid, self.right[0]]

    def inner(self, s_from: float, s_to: float, shrink: float) -> list[XY]:
        """Counter-clockwise ring of the basin between s_from and s_to, narrowed towards the centre line.

        Between two consecutive stations the boundary edges are straight, so the narrowed ring lies inside
        the boundary. When s_to reaches the head the ring ends in a point on the centre line.
        """
        stations = [s for s, _ in self.right[1:-1] if s_from < s < s_to]
        apex = s_to >= self.length - 1.0
        ss = [s_from, *stations] + ([] if apex else [s_to])
        right = [self.across(s, -shrink) for s in ss]
        left = [self.across(s, shrink) for s in ss]
        tip = [(self.length - 3.0, self.centre(self.length - 3.0))] if apex else []
        return [*right, *tip, *reversed(left)]


def _interp(edge: Sequence[XY], s: float) -> float:
    if s <= edge[0][0]:
        return edge[0][1]
    for (s0, t0), (s1, t1) in zip(edge, edge[1:], strict=False):
        if s <= s1:
            return t0 + (t1 - t0) * (s - s0) / (s1 - s0)
    return edge[-1][1]


def build_valley(rng: random.Random, origin: XY, axis: XY, area_ha: float) -> Valley:
    """A teardrop valley: widest at the dam, narrowing to the head, with a gentle bend and uneven sides."""
    ratio = rng.uniform(0.3, 0.55)  # dam width / length
    bluntness = rng.uniform(0.45, 0.8)
    bulge = rng.uniform(0.0, 0.3)
    bend, bend_freq = rng.uniform(-0.22, 0.22), rng.uniform(0.5, 1.3)
    k = int(clamp(round(3 + area_ha**0.45), 4, 12))

    def profile(r: float) -> float:
        return (1 + bulge * math.sin(math.pi * r)) * (1 - r) ** bluntness

    integral = sum(profile((i + 0.5) / 400) for i in range(400)) / 400
    length = math.sqrt(area_ha * 1e4 / (ratio * integral))
    width = ratio * length
    rs = [0.0] + [clamp((i + rng.uniform(-0.25, 0.25)) / k, 0.02, 0.97) for i in range(1, k)]
    right: list[XY] = []
    left: list[XY] = []
    for r in rs:
        c = bend * width * math.sin(math.pi * bend_freq * r)
        half = width / 2 * profile(r)
        right.append((r * length, c - half * rng.uniform(0.92, 1.08)))
        left.append((r * length, c + half * rng.uniform(0.92, 1.08)))
    head = (length, bend * width * math.sin(math.pi * bend_freq))
    right.append(head)
    left.append(head)
    dam_mid = (
        -rng.uniform(0.005, 0.03) * width,
        (right[0][1] + left[0][1]) / 2 + rng.uniform(-0.05, 0.05) * width,
    )
    return Valley(origin, axis, length, right, left, dam_mid)


# ---------------------------------------------------------------------------------------------------------
# Ponds
# ---------------------------------------------------------------------------------------------------------


@dataclass
class Pond:
    num: int
    county: int
    zone: str
    status: str
    level: int
    one_map: bool
    valley: Valley | None = None
    polygon: Any = None  # metres
    river: str = ""  # nearest river (receiving water)
    river_room: float = 0.0  # dam centre to that river, metres
    props: dict[str, Any] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return f"PZH-TP-{self.num:03d}"

    @property
    def area_ha(self) -> float:
        return self.polygon.area / 1e4


def target_area(rng: random.Random, pond: Pond) -> float:
    if pond.num == 9:  # 马家田 is the largest (grade 2)
        return rng.uniform(138, 146)
    if pond.num in KEY_PONDS:
        return rng.uniform(60, 125)
    if pond.level == 2:
        return rng.uniform(35, 100)
    if pond.status == "closed":
        return math.exp(rng.uniform(math.log(6), math.log(40)))
    return math.exp(rng.uniform(math.log(7), math.log(75)))


def zone_ok(ref: Reference, pond: Pond, geom: Any) -> bool:
    d = ref.river_distances(geom)
    if min(d.values()) < RIVER_CLEARANCE:
        return False
    if pond.zone == "jinsha":
        lo, hi = ZONE_LIMITS["jinsha"]
        return lo <= d["jinsha"] <= hi and min(d["yalong"], d["anning"]) >= JINSHA_ZONE_MIN_OTHER
    if pond.zone in ("yalong", "anning"):
        lo, hi = ZONE_LIMITS[pond.zone]
        return lo <= d[pond.zone] <= hi and d["jinsha"] >= NEAR_ZONE_MIN_JINSHA
    return FAR_MIN <= min(d.values()) <= FAR_MAX


def place_pond(rng: random.Random, ref: Reference, pond: Pond, placed: list[Pond]) -> None:
    """Rejection sampling of a dam point and a valley until every siting rule holds."""
    district = ref.districts[pond.county]
    minx, miny, maxx, maxy = district.bounds
    area = target_area(rng, pond)
    for _ in range(200_000):
        d = (rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        point = Point(d)
        if not ref.prepared[pond.county].contains(point):
            continue
        distances = ref.river_distances(point)
        river = pond.zone if pond.zone != "far" else min(distances, key=lambda k: distances[k])
        if pond.zone == "far" and not FAR_MIN <= distances[river] <= FAR_MAX:
            continue
        if pond.zone != "far" and not ZONE_LIMITS[pond.zone][0] <= distances[river] <= ZONE_LIMITS[pond.zone][1]:
            continue
        line = ref.rivers[river]
        q = line.interpolate(line.project(point))
        angle = math.atan2(d[1] - q.y, d[0] - q.x) + math.radians(rng.uniform(-25, 25))
        valley = build_valley(rng, d, (math.cos(angle), math.sin(angle)), area)
        polygon = Polygon([valley.xy(s, t) for s, t in valley.ring()])
        if not (5.5 <= polygon.area / 1e4 <= 148 and polygon.is_valid):
            continue
        if not ref.prepared[pond.county].contains(polygon):
            continue
        if ref.district_edges[pond.county].distance(polygon) < DISTRICT_MARGIN:
            continue
        if not ref.city_prepared.contains(polygon) or ref.city_edge.distance(polygon) < CITY_MARGIN:
            continue
        if not zone_ok(ref, pond, polygon):
            continue
        if any(other.polygon.distance(polygon) < POND_SEPARATION for other in placed):
            continue
        pond.valley, pond.polygon, pond.river, pond.river_room = valley, polygon, river, distances[river]
        return
    raise RuntimeError(f"could not place {pond.code}")


def pond_attributes(rng: random.Random, pond: Pond, enterprise_code: str) -> dict[str, Any]:
    named = NAMED_PONDS.get(pond.num)
    area = pond.area_ha
    height = clamp((8 + 8 * math.sqrt(area)) * rng.uniform(0.75, 1.25), 12, 130)
    if pond.num == 9:
        height = rng.uniform(118, 128)
    depth_factor = rng.uniform(0.25, 0.45) if pond.num != 9 else 0.62
    design = area * height * depth_factor
    fill = {"in_use": (0.4, 0.9), "stopped": (0.6, 0.98), "closing": (0.85, 1.0), "closed": (0.88, 1.0)}[pond.status]
    current = design * rng.uniform(*fill)
    stopped_since: str | None = None
    if pond.status == "stopped":
        if pond.num in OVERDUE_STOPPED:
            stopped_since = rand_date(rng, date(2018, 1, 1), date(2024, 6, 30)).isoformat()
        else:
            # stopped within two years of REFERENCE_DATE, but by the bulletin date (the counts are the bulletin's)
            stopped_since = rand_date(rng, date(2024, 12, 1), BULLETIN_DATE).isoformat()
    elif pond.status == "closing":
        stopped_since = rand_date(rng, date(2019, 1, 1), date(2022, 12, 31)).isoformat()
    elif pond.status == "closed":
        stopped_since = rand_date(rng, date(2004, 1, 1), date(2020, 12, 31)).isoformat()
    if named:
        dam_type, storage, ore = "upstream", "wet", "钒钛磁铁矿"
    else:
        dam_type = rng.choice(DAM_TYPES)
        storage = "dry" if dam_type == "one_time" and rng.random() < 0.5 else "wet"
        ore = rng.choice(ORE_TYPES)
    design, current, height = round(design, 1), round(min(current, design), 1), round(height, 1)
    v = pond.valley
    assert v is not None
    return {
        "code": pond.code,
        "name": named[0] if named else f"示例尾矿库{pond.num:02d}",
        "name_en": named[1] if named else f"Sample Pond {pond.num:02d}",
        "enterprise_code": enterprise_code,
        "county_adcode": pond.county,
        "supervision_level": pond.level,
        "status": pond.status,
        "stopped_since": stopped_since,
        "ownerless": pond.num in OWNERLESS,
        "dam_type": dam_type,
        "storage": storage,
        "ore_type": ore,
        "design_volume_10k_m3": design,
        "current_volume_10k_m3": current,
        "dam_height_m": height,
        "safety_grade": safety_grade(design, height),
        "one_map": pond.one_map,
        "location": list(v.lonlat(*v.across(0.5 * v.length, 0.0))),
        "dam_crest": {"type": "LineString", "coordinates": [list(v.lonlat(s, t)) for s, t in v.dam_crest()]},
        "illustrative": True,
        "note": NOTE,
    }


def pond_feature(pond: Pond) -> dict[str, Any]:
    v = pond.valley
    assert v is not None
    ring = dedupe(v.lonlat(s, t) for s, t in v.ring())
    coords = [list(p) for p in [*ring, ring[0]]]
    return {
        "type": "Feature",
        "properties": pond.props,
        "geometry": {"type": "Polygon", "coordinates": [coords]},
    }


# ---------------------------------------------------------------------------------------------------------
# Enterprises
# ---------------------------------------------------------------------------------------------------------


@dataclass
class Enterprise:
    code: str
    name: str
    county: int
    credit_code: str = ""


def assign_enterprises(rng: random.Random, ponds: list[Pond]) -> tuple[list[Enterprise], dict[int, str]]:
    """Named ponds get their operators; neutral ponds get neutral operators, some owning two ponds."""
    by_pond: dict[int, str] = {}
    enterprises: dict[str, Enterprise] = {}
    for code, name in NAMED_ENTERPRISES:
        pond_num = next(n for n, (_, _, e) in NAMED_PONDS.items() if e == code)
        county = next(p.county for p in ponds if p.num == pond_num)
        enterprises[code] = Enterprise(code, name, county)
        by_pond[pond_num] = code
    number = len(NAMED_ENTERPRISES)
    previous: Enterprise | None = None
    owned = Counter[str]()
    for pond in ponds:
        if pond.num in NAMED_PONDS:
            continue
        ownerless = pond.num in OWNERLESS
        share = previous is not None and previous.county == pond.county and owned[previous.code] < 2
        if share and not ownerless and rng.random() < 0.4:
            assert previous is not None
            by_pond[pond.num] = previous.code
        else:
            number += 1
            # an ownerless pond keeps its former, deregistered operator, which owns nothing else
            suffix = "（已注销）" if ownerless else ""
            current = Enterprise(f"E{number:02d}", f"示例矿业有限公司{number:02d}{suffix}", pond.county)
            enterprises[current.code] = current
            by_pond[pond.num] = current.code
            previous = None if ownerless else current
        owned[by_pond[pond.num]] += 1
    ordered = sorted(enterprises.values(), key=lambda e: int(e.code[1:]))
    for e in ordered:
        e.credit_code = credit_code(rng, e.county)
    return ordered, by_pond


def enterprises_csv(enterprises: list[Enterprise], ref: Reference) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["code", "name", "credit_code", "county_adcode", "address"])
    for e in enterprises:
        address = f"四川省攀枝花市{ref.district_names[e.county]}示例路{int(e.code[1:])}号（示例地址）"
        writer.writerow([e.code, e.name, e.credit_code, e.county, address])
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------------------
# Elements
# ---------------------------------------------------------------------------------------------------------

ACCURACY = {
    "field": (0.05, 0.5),
    "drone": (0.1, 1.0),
    "enterprise": (0.5, 5.0),
    "digitised": (1.0, 10.0),
    "satellite": (1.0, 10.0),
}
TYPE_ORDER = (
    "dust_control",
    "leachate",
    "emergency",
    "groundwater",
    "seepage_prevention",
    "rain_sewage_diversion",
    "flood_discharge",
    "return_water",
    "discharge_outlet",
)
AQUIFERS = ("第四系松散岩类孔隙水", "基岩裂隙水", "碳酸盐岩类裂隙岩溶水")


@dataclass
class Element:
    type: str
    kind: str
    name: str
    geometry: tuple[str, Any]  # ("Point", (s, t)) | ("LineString", [(s, t), ...]) | ("Polygon", [(s, t), ...])
    attributes: dict[str, Any]
    source: str


@dataclass
class Survey:
    """Capture dates and review habits of one pond's elements."""

    dates: dict[str, date]
    verified_share: float
    states: tuple[str, ...]

    def review_state(self, rng: random.Random) -> str:
        return "verified" if rng.random() < self.verified_share else rng.choice(self.states)


def make_survey(rng: random.Random, mapped: bool) -> Survey:
    drone = rand_date(rng, date(2023, 4, 1), date(2025, 6, 30))
    dates = {
        "satellite": drone - timedelta(days=rng.randint(20, 90)),
        "drone": drone,
        "field": drone + timedelta(days=rng.randint(15, 150)),
        "enterprise": drone - timedelta(days=rng.randint(0, 80)),
        "digitised": drone + timedelta(days=rng.randint(5, 60)),
    }
    if mapped:
        return Survey(dates, 0.85, ("submitted",))
    return Survey(dates, 0.15, ("draft", "draft", "submitted", "submitted", "returned"))


class ElementBuilder:
    """Places the elements of one pond in the valley's local frame."""

    def __init__(self, rng: random.Random, pond: Pond, credit: str, river_name: str) -> None:
        assert pond.valley is not None
        self.rng, self.pond, self.v, self.credit, self.river_name = rng, pond, pond.valley, credit, river_name
        self.h = self.v.dam_half
        height = pond.props["dam_height_m"]
        self.toe = -clamp(1.6 * height, 30, 110)  # downstream toe of the dam
        # wells stay on this side of the river
        self.room = clamp(pond.river_room - 150, 150, 600)
        self.defect = DEFECTS.get(pond.num)
        self.closed = pond.status in ("closed", "closing")
        self.named = pond.num in NAMED_PONDS  # real operators: no findings of any kind are invented for them
        self.out: list[Element] = []

    def add(
        self,
        type_: str,
        kind: str,
        name: str,
        geometry: tuple[str, Any],
        attributes: dict[str, Any],
        source: str,
    ) -> None:
        self.out.append(Element(type_, kind, name, geometry, attributes, source))

    # -- 1 dust control ---------------------------------------------------------------------------------
    def dust_control(self, full: bool) -> None:
        rng, v = self.rng, self.v
        if self.closed:
            ring = v.inner(6.0, v.length, 0.93)
            measure, name = "greening", "库面覆土绿化区"
        else:
            beach = clamp(0.25 * v.length, 80, 400)
            ring = v.inner(6.0, beach, 0.9)
            measure, name = rng.choice(("cover", "cover", "spraying")), "干滩覆盖区"
        area = round(shoelace_area(ring), 1)
        self.add(
            "dust_control",
            "dust_cover",
            name,
            ("Polygon", ring),
            {"measure": measure, "area_m2": area, "coverage_ratio": round(rng.uniform(70, 100), 1)},
            "drone",
        )
        if not full:
            return
        beach_mid = clamp(0.12 * v.length, 40, 200)
        spots = (-0.55, 0.55) if rng.random() < 0.7 else (-0.6, 0.0, 0.6)
        for i, f in enumerate(spots, start=1):
            self.add(
                "dust_control",
                "sprinkler",
                f"{i}#喷淋装置",
                ("Point", v.across(beach_mid, f)),
                {
                    "coverage_radius_m": float(rng.choice((20, 25, 30, 40))),
                    "working": self.named or rng.random() < 0.9,
                },
                "field",
            )
        self.add(
            "dust_control",
            "tsp_monitor",
            "TSP监测点 T-1",
            ("Point", (-15.0, v.right[0][1] - 70)),
            {"sampling_frequency": rng.choice(("quarterly", "quarterly", "online"))},
            "field",
        )

    # -- 2 leachate -------------------------------------------------------------------------------------
    def leachate(self, full: bool) -> None:
        rng, h = self.rng, self.h
        pool = (self.toe - 45, -0.3 * h)
        short = self.defect == "leachate_pipe_short"
        as_polygon = rng.random() < 0.5 and not short
        b = 0.0  # pool width across the valley (polygon pools)
        if as_polygon:
            a, b = rng.uniform(20, 30), rng.uniform(14, 22)
            (ps, pt) = pool
            ring = [
                (ps - a / 2, pt - b / 2),
                (ps + a / 2, pt - b / 2),
                (ps + a / 2, pt + b / 2),
                (ps - a / 2, pt + b / 2),
            ]
            geometry: tuple[str, Any] = ("Polygon", ring)
            entry_s = ps + a / 2 - 2.0  # pipes end 2 m inside the pool's upstream wall
        else:
            geometry, entry_s = ("Point", pool), pool[0]
        self.add(
            "leachate",
            "leachate_pool",
            "1#渗滤液收集池",
            geometry,
            {
                "volume_m3": float(rng.choice((300, 500, 800, 1000, 1500, 2000))),
                "lined": True,
                "anti_overflow": self.named or rng.random() < 0.85,
            },
            "field",
        )
        n_pipes = rng.choice((1, 1, 2, 2, 3)) if full else 1
        spreads = {1: (0.0,), 2: (-0.35, 0.35), 3: (-0.45, 0.0, 0.45)}[n_pipes]
        for i, f in enumerate(spreads, start=1):
            start = (15.0, f * h)
            bend = (self.toe + 5, f * h * 0.6 + pool[1] * 0.4)
            end: XY = (entry_s, pool[1] + f * b / 3)
            points = [start, bend, end]
            if short and i == 1:
                # the defect: the pipe stops 40 m before the pool
                (s0, t0), (s1, t1) = bend, pool
                d = math.hypot(s1 - s0, t1 - t0)
                points = [start, bend, (s1 - (s1 - s0) * 40 / d, t1 - (t1 - t0) * 40 / d)]
            self.add(
                "leachate",
                "leachate_pipe",
                f"{i}#渗滤液收集管",
                ("LineString", points),
                {
                    "diameter_mm": float(rng.choice((200, 250, 300, 400))),
                    "material": rng.choice(("hdpe", "hdpe", "gravel_drain", "pvc")),
                },
                "enterprise",
            )
        if full:
            self.add(
                "leachate",
                "leachate_pump",
                "渗滤液回抽泵",
                ("Point", (pool[0], pool[1] - 14)),
                {"capacity_m3_h": float(rng.choice((20, 30, 50, 80)))},
                "field",
            )

    # -- 3 emergency ------------------------------------------------------------------------------------
    def emergency(self, full: bool) -> None:
        rng, h = self.rng, self.h
        centre = (self.toe - 55, 0.3 * h)
        volume = float(rng.choice((1000, 1500, 2000, 3000, 5000, 8000)))
        if rng.random() < 0.5:
            a, b = rng.uniform(30, 45), rng.uniform(18, 28)
            (cs, ct) = centre
            geometry: tuple[str, Any] = (
                "Polygon",
                [
                    (cs - a / 2, ct - b / 2),
                    (cs + a / 2, ct - b / 2),
                    (cs + a / 2, ct + b / 2),
                    (cs - a / 2, ct + b / 2),
                ],
            )
        else:
            geometry = ("Point", centre)
        self.add(
            "emergency",
            "emergency_pool",
            "事故应急池",
            geometry,
            {
                "volume_m3": volume,
                "lined": self.defect != "emergency_pool_unlined",
                "free_volume_m3": float(round(volume * rng.uniform(0.6, 1.0))),
            },
            "field",
        )
        if full and rng.random() < 0.5:
            s = max(self.toe - 140, -240.0)
            self.add(
                "emergency",
                "interception_dam",
                "下游拦截坝",
                ("LineString", [(s, -0.55 * h), (s - 4, 0.0), (s, 0.55 * h)]),
                {"height_m": float(rng.choice((3, 4, 5, 6, 8)))},
                "drone",
            )
        if full and rng.random() < 0.4:
            self.add(
                "emergency",
                "emergency_depot",
                "应急物资库",
                ("Point", (self.toe - 95, 0.75 * h)),
                {"inventory": "沙袋、潜水泵、吸附材料、应急照明、防护服"},
                "field",
            )

    # -- 4 groundwater ----------------------------------------------------------------------------------
    def _well(self, name: str, role: str, at: XY) -> None:
        rng = self.rng
        frequency = "half_yearly" if self.closed else "quarterly"
        self.add(
            "groundwater",
            "monitoring_well",
            name,
            ("Point", at),
            {
                "role": role,
                "depth_m": round(rng.uniform(20, 80) * 2) / 2,
                "aquifer": rng.choice(AQUIFERS),
                "sampling_frequency": frequency,
            },
            "field",
        )

    def groundwater(self, full: bool, drain_end: XY | None = None) -> None:
        rng, v, h = self.rng, self.v, self.h
        head_s, head_t = v.head
        self._well("本底井 BG-1", "background", (head_s + rng.uniform(250, 650), head_t + rng.uniform(-60, 60)))
        n_monitoring = rng.randint(1, 2) if full else 1
        for i in range(1, n_monitoring + 1):
            s = -min(self.room, rng.uniform(120, 250) + 150 * (i - 1))
            self._well(f"下游监控井 MW-{i}", "monitoring", (s, rng.uniform(-0.2, 0.2) * h))
        if full and self.defect != "no_diffusion_well":
            side = rng.choice((-1, 1))
            self._well(
                "扩散井 DF-1",
                "diffusion",
                (self.toe - rng.uniform(60, 180), side * (h + rng.uniform(150, 300))),
            )
        if drain_end is not None:
            self._well("导排口监测井 DO-1", "drain_outlet", (drain_end[0] - 8, drain_end[1] + 10))

    # -- 5 seepage prevention ---------------------------------------------------------------------------
    def seepage(self, with_drain: bool) -> XY | None:
        rng, v = self.rng, self.v
        hdpe = 1.0 if self.defect == "liner_hdpe_1mm" else rng.choice((1.5, 2.0, 2.0))
        self.add(
            "seepage_prevention",
            "liner",
            "库区防渗层",
            ("Polygon", v.inner(3.0, v.length, 0.97)),
            {
                "site_class": "II",
                "hdpe_mm": hdpe,
                "clay_m": rng.choice((0.75, 1.0)),
                "permeability_cm_s": rng.choice((1e-7, 5e-8, 1e-8)),
                "integrity_report": f"防渗层完整性检测报告（示例）{rng.randint(2019, 2024)}",
            },
            "enterprise",
        )
        if not with_drain:
            return None
        end = (self.toe - 15, self.v.centre(0.0) + 0.05 * self.h)
        path = [v.across(0.75 * v.length, 0.0), v.across(0.4 * v.length, 0.05), v.across(0.0, 0.0), end]
        self.add(
            "seepage_prevention",
            "groundwater_drain",
            "地下水导排管",
            ("LineString", path),
            {"diameter_mm": float(rng.choice((300, 400, 500, 600)))},
            "enterprise",
        )
        return end

    # -- 6 rain-sewage diversion ------------------------------------------------------------------------
    def diversion(self, full: bool) -> None:
        rng, v = self.rng, self.v
        offset = rng.uniform(30, 45)
        section = rng.choice(("0.8m×0.8m", "1.0m×1.0m", "1.2m×1.5m", "1.5m×1.8m"))
        lining = rng.choice(("concrete", "concrete", "masonry"))
        head_s, head_t = v.head
        sides = (("左岸截洪沟", v.left, 1.0), ("右岸截洪沟", v.right, -1.0)) if full else (("左岸截洪沟", v.left, 1.0),)
        end: XY = (0.0, 0.0)
        for name, edge, sign in sides:
            points = [(head_s + 15, head_t + sign * 0.8 * offset)]
            points += [(s, t + sign * offset) for s, t in reversed(edge[:-1])]
            end = (self.toe - 20, edge[0][1] + sign * offset * 1.2)
            points.append(end)
            self.add(
                "rain_sewage_diversion",
                "interception_ditch",
                name,
                ("LineString", points),
                {"section": section, "lining": lining},
                "drone",
            )
        self.add(
            "rain_sewage_diversion",
            "diversion_outlet",
            "雨水排口",
            ("Point", (end[0] - 6, end[1])),
            {},
            "field",
        )

    # -- 7 flood discharge ------------------------------------------------------------------------------
    def flood(self, full: bool) -> None:
        v, h = self.v, self.h
        period = (
            30 if self.defect == "flood_30_year" else {2: 1000, 3: 500, 4: 200, 5: 100}[self.pond.props["safety_grade"]]
        )
        attrs = {"design_return_period_years": period}
        tower = v.across(0.4 * v.length, 0.0)
        left0 = v.left[0][1]
        outlet = (self.toe - 25, 0.8 * h)
        tunnel = [tower, v.across(0.12 * v.length, 0.75), (0.0, left0 + 12), outlet]
        self.add("flood_discharge", "spillway_tower", "1#溢洪塔", ("Point", tower), dict(attrs), "drone")
        self.add("flood_discharge", "flood_tunnel", "排洪洞", ("LineString", tunnel), dict(attrs), "digitised")
        if full or self.rng.random() < 0.5:
            self.add("flood_discharge", "flood_tunnel_outlet", "排洪洞出口", ("Point", outlet), {}, "field")

    # -- 8 return water ---------------------------------------------------------------------------------
    def return_water(self, full: bool) -> None:
        rng, v, h = self.rng, self.v, self.h
        intake = v.across(0.65 * v.length, 0.0)
        bank_s = 0.5 * v.length
        tank = (bank_s, v.edges(bank_s)[0] - rng.uniform(80, 140))
        self.add(
            "return_water",
            "floating_intake",
            "浮船取水泵站",
            ("Point", intake),
            {"capacity_m3_h": float(rng.choice((200, 300, 500, 800)))},
            "drone",
        )
        self.add(
            "return_water",
            "high_level_tank",
            "高位水池",
            ("Point", tank),
            {"capacity_m3": float(rng.choice((500, 1000, 2000, 3000)))},
            "field",
        )
        if full:
            self.add(
                "return_water",
                "treatment_station",
                "废水处理站",
                ("Point", (self.toe - 85, -0.7 * h)),
                {
                    "capacity_m3_d": float(rng.choice((500, 1000, 2000, 5000))),
                    "process": "混凝沉淀＋过滤＋回用",
                },
                "field",
            )
            bend = v.across(0.55 * v.length, -0.6)
            self.add(
                "return_water",
                "return_pipe",
                "回水管",
                ("LineString", [intake, bend, (bank_s, v.edges(bank_s)[0] - 10), tank]),
                {"diameter_mm": float(rng.choice((200, 300, 400)))},
                "enterprise",
            )

    # -- 9 discharge outlet -----------------------------------------------------------------------------
    def discharge(self, full: bool) -> None:
        rng, h = self.rng, self.h
        s = max(self.toe - 140, -240.0) - 25
        outlet = (s, -0.15 * h)
        self.add(
            "discharge_outlet",
            "outlet",
            "废水排放口 DW001",
            ("Point", outlet),
            {
                "permit_no": f"{self.credit}001P",
                "receiving_water": self.river_name,
                "has_sign": True,
                "has_flow_meter": self.named or full or rng.random() < 0.85,
                "has_video": full,
            },
            "field",
        )
        if full:
            self.add(
                "discharge_outlet",
                "online_monitor",
                "在线监测站",
                ("Point", (s + 8, outlet[1] - 12)),
                {"parameters": "pH、化学需氧量、氨氮、悬浮物、总铁、流量"},
                "field",
            )
            self.add(
                "discharge_outlet",
                "video_monitor",
                "排放口视频监控",
                ("Point", (s + 5, outlet[1] + 14)),
                {},
                "field",
            )


def build_elements(rng: random.Random, pond: Pond, credit: str, ref: Reference) -> list[Element]:
    """All nine types for a mapped pond; a partial set (or nothing) for the others."""
    if pond.num in NO_ELEMENTS:
        return []
    river = ref.river_names[pond.river]
    receiving = river if pond.zone != "far" else f"示例溪沟（汇入{river}）"
    b = ElementBuilder(rng, pond, credit, receiving)
    if pond.one_map:
        with_drain = rng.random() < 0.5
        b.dust_control(True)
        b.leachate(True)
        b.emergency(True)
        drain_end = b.seepage(with_drain)
        b.groundwater(True, drain_end)
        b.diversion(True)
        b.flood(True)
        b.return_water(True)
        b.discharge(True)
        return sorted(b.out, key=lambda e: TYPE_ORDER.index(e.type))
    if pond.status == "closed":
        optional = ["dust_control", "flood_discharge", "rain_sewage_diversion"]
    else:
        optional = [
            "emergency",
            "leachate",
            "flood_discharge",
            "discharge_outlet",
            "dust_control",
            "return_water",
            "rain_sewage_diversion",
            "seepage_prevention",
        ]
    rng.shuffle(optional)
    n_types = rng.randint(1, 3 if pond.status == "closed" else 6)
    chosen = {"groundwater", *optional[: n_types - 1]}
    steps: dict[str, Callable[[], Any]] = {
        "dust_control": lambda: b.dust_control(False),
        "leachate": lambda: b.leachate(False),
        "emergency": lambda: b.emergency(False),
        "groundwater": lambda: b.groundwater(False),
        "seepage_prevention": lambda: b.seepage(False),
        "rain_sewage_diversion": lambda: b.diversion(False),
        "flood_discharge": lambda: b.flood(False),
        "return_water": lambda: b.return_water(False),
        "discharge_outlet": lambda: b.discharge(False),
    }
    for type_ in TYPE_ORDER:
        if type_ in chosen:
            steps[type_]()
    return b.out


def element_feature(rng: random.Random, pond: Pond, element: Element, survey: Survey) -> dict[str, Any]:
    v = pond.valley
    assert v is not None
    kind, data = element.geometry
    if kind == "Point":
        geometry = {"type": "Point", "coordinates": list(v.lonlat(*data))}
    elif kind == "LineString":
        geometry = {
            "type": "LineString",
            "coordinates": [list(p) for p in dedupe(v.lonlat(s, t) for s, t in data)],
        }
    else:
        ring = dedupe(v.lonlat(s, t) for s, t in data)
        geometry = {"type": "Polygon", "coordinates": [[list(p) for p in [*ring, ring[0]]]]}
    lo, hi = ACCURACY[element.source]
    return {
        "type": "Feature",
        "properties": {
            "pond_code": pond.code,
            "type": element.type,
            "kind": element.kind,
            "name": element.name,
            "attributes": element.attributes,
            "source": element.source,
            "captured_at": min(survey.dates[element.source], date(2025, 12, 31)).isoformat(),
            "accuracy_m": round(rng.uniform(lo, hi), 2),
            "review_state": survey.review_state(rng),
        },
        "geometry": geometry,
    }


# ---------------------------------------------------------------------------------------------------------
# Catalogue validation
# ---------------------------------------------------------------------------------------------------------


def load_catalogue() -> dict[str, dict[str, dict[str, Any]]]:
    """type code -> kind code -> kind spec."""
    data = yaml.safe_load(CATALOGUE_PATH.read_text(encoding="utf-8"))
    return {t["code"]: {k["code"]: k for k in t["kinds"]} for t in data["types"]}


def element_problems(
    props: dict[str, Any], geometry_type: str, catalogue: dict[str, dict[str, dict[str, Any]]]
) -> list[str]:
    kinds = catalogue.get(props["type"])
    if kinds is None:
        return [f"unknown type {props['type']}"]
    spec = kinds.get(props["kind"])
    if spec is None:
        return [f"kind {props['kind']} not in type {props['type']}"]
    problems = []
    if geometry_type not in spec["geometry"]:
        problems.append(f"{props['kind']}: geometry {geometry_type} not in {spec['geometry']}")
    attributes = props["attributes"]
    specs = {a["name"]: a for a in spec.get("attributes") or []}
    problems += [f"{props['kind']}: unknown attribute {n}" for n in attributes if n not in specs]
    for name, a in specs.items():
        if name not in attributes:
            if a.get("required"):
                problems.append(f"{props['kind']}: missing required {name}")
            continue
        value, kind = attributes[name], a["type"]
        is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
        ok = {
            "number": is_number,
            "integer": isinstance(value, int) and not isinstance(value, bool),
            "boolean": isinstance(value, bool),
            "string": isinstance(value, str),
            "enum": value in (a.get("values") or []),
            "date": isinstance(value, str) and _is_iso_date(value),
        }[kind]
        if not ok:
            problems.append(f"{props['kind']}: {name}={value!r} is not a valid {kind}")
        elif (
            is_number
            and kind in ("number", "integer")
            and (("min" in a and value < a["min"]) or ("max" in a and value > a["max"]))
        ):
            problems.append(f"{props['kind']}: {name}={value} outside [{a.get('min')}, {a.get('max')}]")
    return problems


def _is_iso_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------------------------------------------------
# Sensitive targets
# ---------------------------------------------------------------------------------------------------------

TARGET_KINDS = ("village",) * 9 + ("farmland",) * 5 + ("school",) * 2 + ("drinking_water_source",) * 2 + ("hospital",)
TARGET_NAMES = {
    "village": ("示例村", "Sample Village"),
    "farmland": ("示例农田", "Sample Farmland"),
    "school": ("示例小学", "Sample School"),
    "drinking_water_source": ("示例饮用水水源地", "Sample Drinking-water Source"),
    "hospital": ("示例卫生院", "Sample Health Centre"),
}


def build_targets(rng: random.Random, ponds: list[Pond], ref: Reference) -> list[dict[str, Any]]:
    """Villages, schools and the like 0.5-5 km from the ponds, mostly downstream."""
    placed: list[Any] = []
    numbers = Counter[str]()
    features = []
    for pond in ponds:
        v = pond.valley
        assert v is not None
        for _ in range(1 + (rng.random() < 0.2)):
            kind = rng.choice(TARGET_KINDS)
            for _attempt in range(300):
                angle = math.atan2(-v.axis[1], -v.axis[0]) + math.radians(rng.uniform(-100, 100))
                dist = rng.uniform(900, 4000)
                cx, cy = v.origin[0] + dist * math.cos(angle), v.origin[1] + dist * math.sin(angle)
                if kind == "farmland":
                    radius, n = rng.uniform(150, 320), rng.randint(6, 8)
                    ring_xy = [
                        (
                            cx + radius * rng.uniform(0.7, 1.0) * math.cos(a),
                            cy + radius * rng.uniform(0.7, 1.0) * math.sin(a),
                        )
                        for a in (2 * math.pi * (i + rng.uniform(-0.2, 0.2)) / n for i in range(n))
                    ]
                    geom = Polygon(ring_xy)
                else:
                    geom = Point(cx, cy)
                if not (ref.city_prepared.contains(geom) and ref.city_edge.distance(geom) >= 100):
                    continue
                pond_distances = [p.polygon.distance(geom) for p in ponds]
                if min(pond_distances) < 550 or min(pond_distances) > 4800:
                    continue
                if min(ref.river_distances(geom).values()) < 120 or any(g.distance(geom) < 400 for g in placed):
                    continue
                placed.append(geom)
                numbers[kind] += 1
                zh, en = TARGET_NAMES[kind]
                if kind == "farmland":
                    ring = dedupe(to_lonlat(x, y) for x, y in ring_xy)
                    geometry = {"type": "Polygon", "coordinates": [[list(p) for p in [*ring, ring[0]]]]}
                else:
                    geometry = {"type": "Point", "coordinates": list(to_lonlat(cx, cy))}
                features.append(
                    {
                        "type": "Feature",
                        "properties": {
                            "kind": kind,
                            "name": f"{zh}{numbers[kind]:02d}",
                            "name_en": f"{en} {numbers[kind]:02d}",
                            "illustrative": True,
                        },
                        "geometry": geometry,
                    }
                )
                break
    return features


# ---------------------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------------------


def feature_collection(features: list[dict[str, Any]], name: str | None = None) -> str:
    head = '{"type":"FeatureCollection",' + (f'"name":{json.dumps(name)},' if name else "") + '"features":[\n'
    body = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    return head + body + "\n]}\n"


@dataclass
class Result:
    files: dict[str, str]  # path relative to ROOT -> text
    ponds: list[Pond]
    elements: list[dict[str, Any]]
    targets: list[dict[str, Any]]
    enterprises: list[Enterprise]


def generate() -> Result:
    rng = random.Random(SEED)
    ref = load_reference()
    ponds = [Pond(*row) for row in POND_TABLE]
    # the big named ponds first, so they find room; then the table order
    placed: list[Pond] = []
    for pond in sorted(ponds, key=lambda p: (p.num not in NAMED_PONDS, p.level, p.num)):
        place_pond(rng, ref, pond, placed)
        placed.append(pond)
    enterprises, enterprise_of = assign_enterprises(rng, ponds)
    credit_of = {e.code: e.credit_code for e in enterprises}
    for pond in ponds:
        pond.props = pond_attributes(rng, pond, enterprise_of[pond.num])
    elements: list[dict[str, Any]] = []
    for pond in ponds:
        survey = make_survey(rng, pond.one_map)
        for element in build_elements(rng, pond, credit_of[enterprise_of[pond.num]], ref):
            elements.append(element_feature(rng, pond, element, survey))
    targets = build_targets(rng, ponds, ref)
    anning = {
        "type": "Feature",
        "properties": ANNING_PROPERTIES,
        "geometry": {"type": "MultiLineString", "coordinates": [[list(p) for p in anning_coordinates()]]},
    }
    files = {
        "layers/sample/enterprises.csv": enterprises_csv(enterprises, ref),
        "layers/sample/ponds.geojson": feature_collection([pond_feature(p) for p in ponds]),
        "layers/sample/elements.geojson": feature_collection(elements),
        "layers/sample/sensitive_targets.geojson": feature_collection(targets),
        "layers/reference/anning_illustrative.geojson": feature_collection([anning], "anning_illustrative"),
        "layers/sample/records.json": json.dumps(build_records(ponds), ensure_ascii=False, indent=1) + "\n",
        "layers/sample/monitoring.csv": build_monitoring(ponds, elements),
    }
    result = Result(files, ponds, elements, targets, enterprises)
    verify(result, ref)
    return result


# ---------------------------------------------------------------------------------------------------------
# Pond records (一库一档) and groundwater monitoring: illustrative, from their own random stream so that the
# geometry above does not change when these do.
# ---------------------------------------------------------------------------------------------------------

RECORDS_SEED = SEED + 6
EXPIRING_PERMITS = (2, 13)  # discharge permit expires within 90 days of REFERENCE_DATE
EXPIRED_PERMITS = (20,)
LEDGER_NOT_REPORTED = (12, 14, 35)  # the 2025 annual report not filed by 31 January 2026
FACILITY_ABNORMAL = (6, 24)
# mapped ponds whose downstream wells exceed Class III for these parameters (and how far, as a factor)
EXCEEDANCES: dict[int, tuple[tuple[str, float], ...]] = {
    2: (("mn", 2.4), ("v", 1.6)),
    11: (("fe", 1.8),),
    24: (("sulfate", 1.3), ("mn", 1.5)),
    33: (("cd", 2.0),),
}
SAMPLING_GAP = (26,)  # two rounds skipped: sampling-frequency non-compliance
MONITORED = ("ph", "mn", "fe", "sulfate", "fluoride", "nh3n", "cd", "pb", "as", "v")
LIMITS = {
    "ph": (6.5, 8.5),
    "mn": 0.10,
    "fe": 0.3,
    "sulfate": 250,
    "fluoride": 1.0,
    "nh3n": 0.5,
    "cd": 0.005,
    "pb": 0.01,
    "as": 0.01,
    "cr6": 0.05,
    "v": 0.05,
    "ti": 0.1,
}
LAB_NAMES = {
    "ph": "pH",
    "mn": "锰",
    "fe": "铁",
    "sulfate": "硫酸盐",
    "fluoride": "氟化物",
    "nh3n": "氨氮",
    "cd": "镉",
    "pb": "铅",
    "as": "砷",
    "cr6": "六价铬",
    "v": "钒",
    "ti": "钛",
}


def build_records(ponds: list[Pond]) -> dict[str, Any]:
    """Permits, ledger, projects and facilities of every pond (illustrative numbers and document numbers)."""
    rng = random.Random(RECORDS_SEED)
    out: dict[str, Any] = {}
    for pond in ponds:
        props = pond.props
        status, level = props["status"], props["supervision_level"]
        built = rng.randint(1998, 2012)
        permits: dict[str, Any] = {
            "eia_approval_no": f"示例环审〔{built}〕{rng.randint(1, 199)}号",
            "eia_approval_date": rand_date(rng, date(built, 1, 1), date(built, 12, 28)).isoformat(),
            "acceptance_no": f"示例环验〔{built + 2}〕{rng.randint(1, 99)}号",
            "acceptance_date": rand_date(rng, date(built + 2, 1, 1), date(built + 2, 12, 28)).isoformat(),
        }
        # the filing number carries the year of filing: number and date agree
        filed_year = rng.randint(2021, 2025)
        grade_letter = "M" if level == 2 else "L"
        permits["emergency_plan_filing_no"] = f"510400-{filed_year}-{rng.randint(1, 150):03d}-{grade_letter}"
        filed_on = rand_date(rng, date(filed_year, 1, 1), date(filed_year, 12, 28))
        permits["emergency_plan_filed_on"] = filed_on.isoformat()
        permits |= {
            "risk_grade": "larger" if level == 2 else "general",
        }
        if status != "closed":
            if pond.num in EXPIRING_PERMITS:
                expiry = REFERENCE_DATE + timedelta(days=rng.randint(20, 80))
            elif pond.num in EXPIRED_PERMITS:
                expiry = REFERENCE_DATE - timedelta(days=rng.randint(30, 200))
            else:
                expiry = rand_date(rng, date(2027, 6, 1), date(2030, 12, 31))
            permits["discharge_permit_no"] = f"示例{rng.randint(10**13, 10**14 - 1)}001V"
            permits["discharge_permit_expiry"] = expiry.isoformat()
        ledger = []
        if status in ("in_use", "stopped", "closing"):
            for year in range(2022, 2026):
                produced = round(rng.uniform(8, 90) * 10000, -2) if status == "in_use" else 0.0
                reused = round(produced * rng.uniform(0.05, 0.3), -2)
                other = round(produced * rng.uniform(0, 0.05), -2)
                reported = (
                    None
                    if (year == 2025 and pond.num in LEDGER_NOT_REPORTED)
                    else rand_date(rng, date(year + 1, 1, 5), date(year + 1, 1, 30)).isoformat()
                )
                ledger.append(
                    {
                        "year": year,
                        "produced_t": produced,
                        "stored_t": round(produced - reused - other, -2),
                        "reused_t": reused,
                        "other_disposal_t": other,
                        "reported_on": reported,
                    }
                )
        projects = [
            {
                "name": "尾矿库初期坝及排洪系统建设",
                "kind": "construction",
                "status": "completed",
                "approval_no": permits["eia_approval_no"],
                "started_on": f"{built}-03-01",
                "completed_on": f"{built + 2}-06-30",
            }
        ]
        if status == "closing":
            projects.append(
                {
                    "name": "闭库治理工程",
                    "kind": "closure",
                    "status": "under_way",
                    "approval_no": f"示例安监闭〔{props['stopped_since'][:4]}〕{rng.randint(1, 40)}号",
                    "started_on": props["stopped_since"],
                    "completed_on": None,
                }
            )
        elif status == "in_use" and rng.random() < 0.4:
            projects.append(
                {
                    "name": "坝体加高扩容工程",
                    "kind": "expansion",
                    "status": "under_way",
                    "approval_no": None,
                    "started_on": rand_date(rng, date(2024, 1, 1), date(2026, 6, 30)).isoformat(),
                    "completed_on": None,
                }
            )
        facilities = [
            {
                "name": "渗滤液收集回用系统",
                "kind": "leachate_treatment",
                "operating_status": "abnormal" if pond.num in FACILITY_ABNORMAL else "normal",
            }
        ]
        if status != "closed":
            facilities.append(
                {
                    "name": "干滩喷淋抑尘系统",
                    "kind": "dust_suppression",
                    "operating_status": "normal" if status == "in_use" else "stopped",
                }
            )
        if level == 2:
            facilities.append({"name": "排放口在线监测", "kind": "online_monitoring", "operating_status": "normal"})
        for f in facilities:
            f["last_checked_on"] = rand_date(rng, date(2026, 3, 1), date(2026, 10, 31)).isoformat()
        out[pond.code] = {"permits": permits, "ledger": ledger, "projects": projects, "facilities": facilities}
    return {"note": NOTE, "ponds": out}


def build_monitoring(ponds: list[Pond], elements: list[dict[str, Any]]) -> str:
    """Laboratory results of the mapped ponds' wells, in the import format (CSV): quarterly in operation,
    half-yearly after closure; some downstream exceedances (EXCEEDANCES) and one pond with skipped rounds."""
    rng = random.Random(RECORDS_SEED + 1)
    rows = ["pond_code,well,date,parameter,value,unit"]
    wells: dict[str, list[tuple[str, str]]] = {}
    for f in elements:
        p = f["properties"]
        if p["kind"] == "monitoring_well":
            wells.setdefault(p["pond_code"], []).append((p["name"].split()[-1], p["attributes"]["role"]))
    for pond in ponds:
        if not pond.one_map:
            continue
        closed = pond.props["status"] == "closed"
        months = (3, 9) if closed else (2, 5, 8, 11)
        rounds = [date(y, m, 10) for y in (2025, 2026) for m in months if date(y, m, 10) < REFERENCE_DATE]
        if pond.num in SAMPLING_GAP:
            rounds = rounds[:2] + rounds[4:]
        base = {par: rng.uniform(0.15, 0.45) for par in MONITORED}
        for day in rounds:
            day = day + timedelta(days=rng.randint(0, 8))
            for well, role in wells.get(pond.code, []):
                for par in MONITORED:
                    if par == "ph":
                        value, unit = f"{rng.uniform(7.0, 8.1):.2f}", "无量纲"
                    else:
                        limit = LIMITS[par]
                        assert isinstance(limit, float | int)
                        factor = base[par] * (1.0 if role == "background" else rng.uniform(1.1, 1.8))
                        for over_par, over in EXCEEDANCES.get(pond.num, ()):
                            if par == over_par and role == "monitoring" and rng.random() < 0.6:
                                factor = over * rng.uniform(0.9, 1.2)
                        v = limit * factor * rng.uniform(0.85, 1.15)
                        if par in ("cd", "pb", "as") and rng.random() < 0.35:
                            value, unit = f"<{limit / 10:g}", "mg/L"  # below the detection limit
                        elif par in ("cd", "pb", "as"):
                            value, unit = f"{v * 1000:.2f}", "μg/L"  # laboratories report trace metals in μg/L
                        else:
                            value, unit = f"{v:.4g}", "mg/L"
                    rows.append(f"{pond.code},{well},{day.isoformat()},{LAB_NAMES[par]},{value},{unit}")
    return "\n".join(rows) + "\n"


# ---------------------------------------------------------------------------------------------------------
# Verification: fail loudly before anything is written
# ---------------------------------------------------------------------------------------------------------


def verify(result: Result, ref: Reference) -> None:
    problems: list[str] = []

    def check(ok: bool, message: str) -> None:
        if not ok:
            problems.append(message)

    ponds = json.loads(result.files["layers/sample/ponds.geojson"])["features"]
    props = [f["properties"] for f in ponds]
    check(len(ponds) == 40, "40 ponds")
    check(Counter(p["supervision_level"] for p in props) == Counter({3: 32, 2: 8}), "levels 8 x 2, 32 x 3")
    check(
        Counter(p["status"] for p in props) == Counter({"in_use": 11, "stopped": 12, "closing": 2, "closed": 15}),
        "status counts",
    )
    check(sum(p["one_map"] for p in props) == 14, "14 one-map ponds")
    names = {p["name"] for p in props}
    check(all(n in names for n, _, _ in NAMED_PONDS.values()), "named ponds present")

    # pond geometry
    metric: dict[str, Any] = {}
    for f, p in zip(ponds, props, strict=True):
        code = p["code"]
        lonlat = shape(f["geometry"])
        check(lonlat.is_valid and lonlat.exterior.is_ccw, f"{code}: valid, counter-clockwise")
        coords = f["geometry"]["coordinates"][0]
        check(8 <= len(coords) - 1 <= 30, f"{code}: 8-30 vertices")
        check(all(a != b for a, b in zip(coords, coords[1:], strict=False)), f"{code}: no duplicate vertices")
        g = project_geometry(lonlat)
        metric[code] = g
        check(5 <= g.area / 1e4 <= 150, f"{code}: area {g.area / 1e4:.1f} ha")
        district = ref.districts[p["county_adcode"]]
        check(
            district.contains(g) and district.boundary.distance(g) >= 300,
            f"{code}: 300 m inside its district",
        )
        check(g.contains(project_geometry(Point(p["location"]))), f"{code}: location inside")
        crest = project_geometry(shape(p["dam_crest"]))
        check(
            all(g.boundary.distance(Point(c)) <= 5 for c in crest.coords),
            f"{code}: dam crest on the boundary",
        )
        volume, height = p["design_volume_10k_m3"], p["dam_height_m"]
        check(
            p["current_volume_10k_m3"] <= volume and p["safety_grade"] == safety_grade(volume, height),
            f"{code}: volumes, grade",
        )
        check((p["stopped_since"] is None) == (p["status"] == "in_use"), f"{code}: stopped_since")
    codes = sorted(metric)
    for i, a in enumerate(codes):
        for b in codes[i + 1 :]:
            check(metric[a].distance(metric[b]) >= 500, f"{a} and {b} at least 500 m apart")

    # elements
    catalogue = load_catalogue()
    by_pond: dict[str, list[tuple[dict[str, Any], Any]]] = {}
    for f in result.elements:
        prop = f["properties"]
        for problem in element_problems(prop, f["geometry"]["type"], catalogue):
            problems.append(f"{prop['pond_code']} {prop['name']}: {problem}")
        geom = shape(f["geometry"])
        check(geom.is_valid, f"{prop['pond_code']} {prop['name']}: valid geometry")
        if f["geometry"]["type"] == "Polygon":
            check(geom.exterior.is_ccw, f"{prop['pond_code']} {prop['name']}: counter-clockwise")
        check(
            "2023-01-01" <= prop["captured_at"] <= "2025-12-31",
            f"{prop['pond_code']} {prop['name']}: captured_at",
        )
        by_pond.setdefault(prop["pond_code"], []).append((prop, project_geometry(geom)))
    for p in props:
        code, items = p["code"], by_pond.get(p["code"], [])
        pond = metric[code]
        for prop, g in items:
            reach = 3000.0 if prop["kind"] in OUTLYING_KINDS else ELEMENT_REACH
            check(
                pond.distance(g) <= reach,
                f"{code} {prop['name']}: {pond.distance(g):.0f} m from the boundary",
            )
            check(ref.city.contains(g), f"{code} {prop['name']}: inside the city")
            check(
                not any(metric[o].intersects(g) for o in codes if o != code),
                f"{code} {prop['name']}: in another pond",
            )
            if prop["kind"] in ("dust_cover", "liner", "spillway_tower", "floating_intake"):
                check(pond.contains(g), f"{code} {prop['name']}: inside the boundary")
            if prop["kind"] in ("interception_ditch",):
                check(not pond.intersects(g), f"{code} {prop['name']}: ditch outside the basin")
        if p["one_map"]:
            types = {prop["type"] for prop, _ in items}
            check(
                types == set(TYPE_ORDER),
                f"{code}: all nine types ({sorted(set(TYPE_ORDER) - types)} missing)",
            )
        roles = Counter(prop["attributes"]["role"] for prop, _ in items if prop["kind"] == "monitoring_well")
        if p["one_map"]:
            want_diffusion = DEFECTS.get(int(code[-3:])) != "no_diffusion_well"
            check(
                roles["background"] == 1 and roles["monitoring"] >= 1 and (roles["diffusion"] >= 1) == want_diffusion,
                f"{code}: wells {dict(roles)}",
            )
        pools = [g for prop, g in items if prop["kind"] in ("leachate_pool", "emergency_pool")]
        for prop, g in items:
            if prop["kind"] != "leachate_pipe":
                continue
            end = Point(g.coords[-1])
            gap = min(pool.distance(end) for pool in pools)
            if DEFECTS.get(int(code[-3:])) == "leachate_pipe_short" and prop["name"].startswith("1#"):
                check(39 <= gap <= 41, f"{code} {prop['name']}: the short pipe ends {gap:.1f} m from a pool")
            else:
                check(gap <= 3, f"{code} {prop['name']}: pipe ends {gap:.1f} m from a pool")

    # sensitive targets
    check(30 <= len(result.targets) <= 60, f"{len(result.targets)} sensitive targets")
    for f in result.targets:
        g = project_geometry(shape(f["geometry"]))
        nearest = min(m.distance(g) for m in metric.values())
        check(
            ref.city.contains(g) and 500 <= nearest <= 5000,
            f"{f['properties']['name']}: inside the city, 0.5-5 km",
        )

    # the Anning sketch meets the Yalong
    mouth = project_geometry(Point(anning_coordinates()[-1]))
    check(ref.rivers["yalong"].distance(mouth) <= 100, "Anning mouth on the Yalong")

    if problems:
        raise SystemExit("sample data failed verification:\n  " + "\n  ".join(problems))


# ---------------------------------------------------------------------------------------------------------
# Summary and entry point
# ---------------------------------------------------------------------------------------------------------


def summary(result: Result, ref: Reference) -> str:
    props = [p.props for p in result.ponds]
    areas = [p.area_ha for p in result.ponds]
    lines = [
        f"ponds: {len(props)}   enterprises: {len(result.enterprises)}   elements: {len(result.elements)}   "
        f"sensitive targets: {len(result.targets)}",
        "supervision level: "
        + ", ".join(f"{k}: {v}" for k, v in sorted(Counter(p["supervision_level"] for p in props).items())),
        "status: "
        + ", ".join(
            f"{s}: {Counter(p['status'] for p in props)[s]}" for s in ("in_use", "stopped", "closing", "closed")
        ),
        "county: "
        + ", ".join(
            f"{ref.district_names[c]} {c}: {Counter(p['county_adcode'] for p in props)[c]}" for c in COUNTY_ORDER
        ),
        f"one_map: {sum(p['one_map'] for p in props)}",
        f"area: {min(areas):.1f}-{max(areas):.1f} ha",
        "safety grade: " + ", ".join(f"{k}: {v}" for k, v in sorted(Counter(p["safety_grade"] for p in props).items())),
        "elements per type:",
    ]
    per_type = Counter(f["properties"]["type"] for f in result.elements)
    lines += [f"  {t:<22} {per_type[t]}" for t in TYPE_ORDER]
    lines.append("river zones (boundary to river, m):")
    for pond in result.ponds:
        d = ref.river_distances(pond.polygon)
        zone = (
            "Jinsha 3 km"
            if d["jinsha"] <= 3000
            else "Yalong 1 km"
            if d["yalong"] <= 1000
            else "Anning 1 km"
            if d["anning"] <= 1000
            else ""
        )
        if zone:
            lines.append(
                f"  {pond.code} {pond.props['name']:<16} {zone:<12} Jinsha {d['jinsha']:6.0f}  "
                f"Yalong {d['yalong']:6.0f}  Anning {d['anning']:6.0f}"
            )
    lines.append("deliberate defects: " + ", ".join(f"PZH-TP-{n:03d} {d}" for n, d in sorted(DEFECTS.items())))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the files on disk differ from a fresh run")
    args = parser.parse_args(argv)
    result = generate()
    if args.check:
        stale = [
            p
            for p, text in result.files.items()
            if not (ROOT / p).is_file() or (ROOT / p).read_bytes() != text.encode("utf-8")
        ]
        for p in stale:
            print(f"out of date: {p}", file=sys.stderr)
        if stale:
            print("run: python scripts/generate_sample.py", file=sys.stderr)
            return 1
        print("sample data up to date")
        return 0
    for p, text in result.files.items():
        (ROOT / p).parent.mkdir(parents=True, exist_ok=True)
        (ROOT / p).write_bytes(text.encode("utf-8"))
    print(summary(result, load_reference()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
