"""The layout our XLSX templates and the tabular reader share: reserved sheets, the CRS cells, how example
rows are marked, and the headers recognised in files made without a template."""

from __future__ import annotations

from gis.formats.model import ELEMENT_ID, NAME, VERTEX, X, Y

INSTRUCTIONS_SHEET = "填写说明"  # first sheet: instructions and the coordinate-system choice
LISTS_SHEET = "选项"  # hidden sheet holding the drop-down lists
RESERVED_SHEETS = {INSTRUCTIONS_SHEET, LISTS_SHEET, "设置", "说明"}

# The coordinate-system choice: a workbook-level defined name pointing at the drop-down cell, and the label in
# the cell to its left (found by label when the name was lost, e.g. after copying sheets into a new workbook).
CRS_NAME, CM_NAME = "tailings_crs", "tailings_cm"
CRS_LABEL, CM_LABEL = "坐标系", "中央子午线"
AUTO_LABEL = "自动识别"  # the default choice: detection from the values, reported as a warning

# Example rows: their name (or first filled cell) starts with this; the reader skips them.
EXAMPLE_PREFIX = "示例"
EXAMPLE_PREFIXES = (EXAMPLE_PREFIX, "例：", "例:", "example")

WKT = "wkt"  # a geometry written as WKT in one cell (multi-part geometries, polygons with holes)

YES, NO = "是", "否"
TRUE_WORDS = {"是", "有", "y", "yes", "true", "1", "√", "t"}
FALSE_WORDS = {"否", "无", "n", "no", "false", "0", "×", "f"}

DEFAULT_CRS_CHOICES: tuple[tuple[str, str], ...] = (
    ("cgcs2000", "CGCS2000 经纬度（国家2000）"),
    ("wgs84", "WGS84 经纬度（GPS）"),
    ("gk3:102", "CGCS2000 高斯-克吕格 3度带 中央子午线102°（不带带号）"),
    ("gk3:99", "CGCS2000 高斯-克吕格 3度带 中央子午线99°（不带带号）"),
    ("gk3:105", "CGCS2000 高斯-克吕格 3度带 中央子午线105°（不带带号）"),
    ("gk3_zoned", "CGCS2000 高斯-克吕格 3度带（带带号，如 34xxxxxx）"),
    ("gcj02", "GCJ-02（高德、腾讯地图）"),
    ("bd09", "BD-09（百度地图）"),
)

# Headers recognised for the reserved columns in every sheet, with or without a template (normalised: see
# tabular.normalise_header).
RESERVED_ALIASES: dict[str, tuple[str, ...]] = {
    X: ("x", "经度", "lon", "lng", "long", "longitude", "东坐标", "东经", "easting", "x坐标", "坐标x", "经度x"),
    Y: ("y", "纬度", "lat", "latitude", "北坐标", "北纬", "northing", "y坐标", "坐标y", "纬度y"),
    NAME: ("name", "名称", "要素名称", "设施名称", "点位名称", "点位", "点名", "名字"),
    VERTEX: ("vertex", "顶点序号", "顶点", "节点序号", "点序号", "点号", "序号"),
    ELEMENT_ID: ("element_id", "要素编号", "编号", "id"),
    WKT: ("wkt", "几何", "几何wkt", "geometry", "geom"),
}
