"""Hostile and broken uploads are refused with a clear code before any parser trusts them (issue 4 §8)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from app.i18n import MESSAGES
from gis.formats.safety import FileRefused, Limits, open_zip, parse_xml, sniff
from tests.formats_util import codes, read, workbook, zipped

GOOD_XLSX = workbook({"井": [["名称", "经度", "纬度"], ["A", 101.7, 26.5]]})


def refused(filename: str, data: bytes, **kwargs) -> str:
    result = read(filename, data, **kwargs)
    assert not result.ok and result.features == []
    assert len(result.problems) == 1, result.problems
    assert result.problems[0].where.file == filename
    return result.problems[0].code


def test_a_good_workbook_passes():
    assert sniff("a.xlsx", GOOD_XLSX) == "xlsx"
    assert read("a.xlsx", GOOD_XLSX).ok


@pytest.mark.parametrize(
    ("filename", "data", "code"),
    [
        ("empty.xlsx", b"", "file_empty"),
        ("fake.xlsx", "名称,经度\nA,101".encode(), "file_type_mismatch"),
        ("fake.zip", b"just text, not an archive", "file_type_mismatch"),
        ("fake.gpkg", b"id,name\n1,a\n", "file_type_mismatch"),
        ("fake.gpkg", GOOD_XLSX, "file_type_mismatch"),
        ("fake.kml", b'{"type": "FeatureCollection"}', "file_type_mismatch"),
        ("fake.geojson", b"<kml></kml>", "file_type_mismatch"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "file_type_mismatch"),
        ("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "file_xls_legacy"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "file_xls_legacy"),
        ("virus.exe", b"MZ\x90\x00", "file_type_unsupported"),
        ("noext", b"a,b\n", "file_type_unsupported"),
    ],
)
def test_wrong_types_behind_right_extensions_are_refused(filename, data, code):
    assert refused(filename, data) == code


def test_size_limit():
    result = read("a.xlsx", GOOD_XLSX, limits=Limits(max_bytes=1000))
    assert codes(result) == ["file_too_large"]
    assert result.problems[0].params["limit_mb"] == 0.0


def test_truncated_files_are_corrupt_not_crashes(tmp_path: Path):
    assert refused("half.xlsx", GOOD_XLSX[: len(GOOD_XLSX) // 2]) == "file_corrupt"
    import geopandas as gpd
    from shapely.geometry import Point

    gdf = gpd.GeoDataFrame({"n": [1]}, geometry=[Point(101.7, 26.5)], crs=4490)
    gdf.to_file(tmp_path / "a.gpkg")
    data = (tmp_path / "a.gpkg").read_bytes()
    result = read("half.gpkg", data[:2048])
    assert not result.ok and result.features == []


def test_zip_bomb_is_refused_from_headers():
    bomb = zipped({"a.shp": b"\x00" * (30 * 1024 * 1024)})
    assert len(bomb) < 100_000
    assert refused("bomb.zip", bomb) == "zip_bomb"


def test_zip_limits_on_members_and_total_size():
    many = zipped({f"f{i}.txt": b"x" for i in range(10)})
    assert refused("many.zip", many, limits=Limits(max_members=5)) == "zip_too_many_members"
    big = zipped({"a.dbf": b"y" * 5000, "b.dbf": b"z" * 5000})
    assert refused("big.zip", big, limits=Limits(max_uncompressed=8000)) == "zip_too_large"


@pytest.mark.parametrize("name", ["../evil.shp", "a/../../evil.shp", "/etc/evil.shp", "C:/evil.shp", "..\\evil.shp"])
def test_paths_escaping_the_archive_are_refused(name):
    assert refused("escape.zip", zipped({name: b"x", "a.shp": b"x"})) == "zip_unsafe_path"


def test_symlinks_nested_archives_and_encryption_are_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        info = zipfile.ZipInfo("a.shp")
        info.external_attr = (0o120777 << 16) | 0
        zf.writestr(info, "/etc/passwd")
    assert refused("link.zip", out.getvalue()) == "zip_symlink"
    assert refused("nested.zip", zipped({"inner.zip": zipped({"a.shp": b"x"})})) == "zip_nested"
    # an archive hidden under another name is found by its bytes
    hidden = zipped({"a.shp": zipped({"x.shp": b"x"}), "a.shx": b"x", "a.dbf": b"x"})
    assert refused("hidden.zip", hidden) == "zip_nested"
    enc = bytearray(zipped({"a.shp": b"x"}, compression=zipfile.ZIP_STORED))
    enc[6] |= 0x1  # local header flag
    central = enc.rfind(b"PK\x01\x02")
    enc[central + 8] |= 0x1  # central directory flag
    assert refused("enc.zip", bytes(enc)) == "zip_encrypted"


def test_zip_without_a_shapefile():
    assert refused("notes.zip", zipped({"readme.txt": b"hello"})) == "zip_no_data"
    assert refused("empty.kmz", zipped({"readme.txt": b"hello"})) == "zip_no_data"


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&xxe;</name>
<Point><coordinates>101.7,26.5</coordinates></Point></Placemark></kml>"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&lol3;</name>
<Point><coordinates>101.7,26.5</coordinates></Point></Placemark></kml>"""


@pytest.mark.parametrize("doc", [XXE, LAUGHS])
def test_xml_entities_are_refused_in_kml_and_kmz(doc):
    assert refused("evil.kml", doc) == "xml_forbidden"
    assert refused("evil.kmz", zipped({"doc.kml": doc})) == "xml_forbidden"
    with pytest.raises(FileRefused) as exc:
        parse_xml(doc, "evil.kml")
    assert exc.value.code == "xml_forbidden"


def test_xml_entities_are_refused_inside_a_workbook():
    with zipfile.ZipFile(io.BytesIO(GOOD_XLSX)) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    sheet = next(n for n in members if n.startswith("xl/worksheets/sheet"))
    members[sheet] = re.sub(
        rb"^(<\?xml[^>]*\?>)?",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
        members[sheet],
        count=1,
    )
    assert refused("evil.xlsx", zipped(members)) == "xml_forbidden"


def test_open_zip_checks_headers_only_once_and_reads_within_bounds():
    zf = open_zip("ok.zip", zipped({"a.shp": b"abc"}))
    assert zf.read("a.shp") == b"abc"


def test_every_code_the_formats_package_can_emit_has_messages():
    """A static scan: string codes given to Problem / FileRefused / CoordinateError in gis/formats."""
    root = Path(__file__).resolve().parents[1] / "gis"
    pattern = re.compile(r'(?:Problem|FileRefused|CoordinateError)\((?:[^"]|\n){0,200}?"([a-z][a-z0-9_]+)"(?!\s*:)')
    found: set[str] = set()
    for path in sorted((root / "formats").glob("*.py")):
        found |= set(pattern.findall(path.read_text(encoding="utf-8")))
    assert {"file_empty", "zip_bomb", "crs_detected", "geometry_repaired", "vertex_duplicate"} <= found
    missing = sorted(c for c in found if c not in MESSAGES)
    assert not missing, missing


def test_damaged_files_of_every_format_give_messages_not_exceptions(tmp_path: Path):
    """Bytes flipped and files cut short, seeded: every result is a ReadResult whose problems have messages."""
    import random

    import ezdxf

    from gis.formats.read import read_upload
    from tests.formats_util import checked
    from tests.test_formats_write import layers

    doc = ezdxf.new()
    doc.modelspace().add_lwpolyline([(34500000, 2950000), (34500100, 2950000), (34500100, 2950100)], close=True)
    doc.saveas(tmp_path / "a.dxf")
    from gis.formats.write import write_layers

    files = {
        f"a.{ext}": write_layers(layers(), fmt)
        for fmt, ext in [
            ("gpkg", "gpkg"),
            ("shapefile", "zip"),
            ("geojson", "geojson"),
            ("kml", "kml"),
            ("xlsx", "xlsx"),
        ]
    }
    files["a.dxf"] = (tmp_path / "a.dxf").read_bytes()
    files["a.csv"] = "名称,经度,纬度\nA,101.7,26.5\n".encode()
    rng = random.Random(4)
    for name, data in files.items():
        for i in range(16):
            mutated = bytearray(data if i % 2 == 0 else data[: rng.randint(1, len(data) - 1)])
            for _ in range(5 if i % 2 == 0 else 0):
                mutated[rng.randrange(len(mutated))] = rng.randrange(256)
            checked(read_upload(name, bytes(mutated)))
