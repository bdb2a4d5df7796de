"""Checks an uploaded file passes before any parser sees it: size, real type, archive and XML hazards.

A file is refused with a `FileRefused` whose `code` and `params` become the user's message: empty or over
the size limit; a type its extension does not hold (a renamed .xls, a text file called .gpkg); zip archives
with too many members, too much uncompressed data or a bomb's compression ratio, members escaping the archive
(`..`, absolute paths), symbolic links, nested archives or encryption; XML with a DTD or entities (XXE,
billion laughs: parsed only through defusedxml). openpyxl uses defusedxml as well once it is installed.
"""

from __future__ import annotations

import io
import posixpath
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What an upload may be; the defaults suit a pond's facilities and a city's registry."""

    max_bytes: int = 50 * MB
    max_members: int = 2000  # zip members (a shapefile zip holds 4-8 per layer; an xlsx a few dozen)
    max_uncompressed: int = 500 * MB  # sum of the members' sizes
    max_ratio: float = 200.0  # uncompressed / compressed of one member beyond `ratio_floor` bytes
    ratio_floor: int = 1 * MB  # tiny members may compress very well without harm
    max_rows: int = 50_000  # rows of one sheet / features of one layer (a pond has hundreds; 100,000 take ~10 s)


DEFAULT_LIMITS = Limits()


class FileRefused(Exception):
    """The file cannot be read safely or at all; nothing of it is used."""

    def __init__(self, code: str, **params: Any):
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params = params


FORMATS = ("xlsx", "csv", "geojson", "shapefile", "gpkg", "kml", "kmz", "dxf")
EXTENSIONS = {
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".csv": "csv",
    ".txt": "csv",
    ".geojson": "geojson",
    ".json": "geojson",
    ".zip": "shapefile",
    ".gpkg": "gpkg",
    ".kml": "kml",
    ".kmz": "kmz",
    ".dxf": "dxf",
}
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc: legacy Office
_SQLITE_MAGIC = b"SQLite format 3\x00"
_DXF_BINARY = b"AutoCAD Binary DXF"


def _found(data: bytes) -> str:
    """A short name of what the bytes are, for the mismatch message."""
    head = data[:64]
    if head.startswith(_ZIP_MAGIC):
        return "zip"
    if head.startswith(_OLE_MAGIC):
        return "xls/doc"
    if head.startswith(_SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head[:3] in (b"\xff\xd8\xff",) or head.startswith(b"\x89PNG"):
        return "image"
    if b"\x00" in data[:4096]:
        return "binary"
    return "text"


def _text_head(data: bytes) -> str:
    head = data[:4096]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return head.decode("utf-8", errors="ignore").lstrip().lower()


def sniff(filename: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> str:
    """The format of an upload (one of FORMATS), from its extension confirmed by its first bytes.

    Raises `FileRefused`: `file_empty`, `file_too_large`, `file_type_unsupported` (unknown extension),
    `file_xls_legacy` (an old .xls, or one renamed .xlsx), `file_type_mismatch` (the bytes are not what the
    extension says).
    """
    if not data:
        raise FileRefused("file_empty", file=filename)
    if len(data) > limits.max_bytes:
        raise FileRefused("file_too_large", file=filename, limit_mb=round(limits.max_bytes / MB, 1))
    ext = PurePosixPath(filename.replace("\\", "/").lower()).suffix
    if ext == ".xls" or (ext in (".xlsx", ".xlsm") and data.startswith(_OLE_MAGIC)):
        raise FileRefused("file_xls_legacy", file=filename)
    fmt = EXTENSIONS.get(ext)
    if fmt is None:
        raise FileRefused("file_type_unsupported", file=filename, ext=ext or "-")
    is_zip = data.startswith(_ZIP_MAGIC)
    text = _text_head(data) if _found(data) == "text" else None
    ok = {
        "xlsx": is_zip,
        "shapefile": is_zip,
        "kmz": is_zip,
        "gpkg": data.startswith(_SQLITE_MAGIC),
        "geojson": text is not None and text.startswith("{"),
        "kml": text is not None and text.startswith("<") and "<kml" in text,
        "dxf": data.startswith(_DXF_BINARY) or (text is not None and text.split()[:2] == ["0", "section"]),
        "csv": text is not None and not text.startswith(("<", "{")),
    }[fmt]
    if not ok:
        raise FileRefused("file_type_mismatch", file=filename, ext=ext, found=_found(data))
    return fmt


# --- zip archives ----------------------------------------------------------------------------------------


def _unsafe_name(name: str) -> bool:
    n = name.replace("\\", "/")
    if n.startswith("/") or (len(n) > 1 and n[1] == ":") or "\x00" in n:
        return True
    return any(part == ".." for part in n.split("/")) or posixpath.normpath(n).startswith("..")


def open_zip(filename: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> zipfile.ZipFile:
    """Open a zip upload after checking every member's header; reading members stays bounded by their
    declared sizes (zipfile stops at them and checks the CRC).

    Raises `FileRefused`: `file_corrupt`, `zip_too_many_members`, `zip_too_large`, `zip_bomb`,
    `zip_unsafe_path`, `zip_symlink`, `zip_nested`, `zip_encrypted`.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise FileRefused("file_corrupt", file=filename, reason=str(exc)[:120]) from exc
    if len(infos) > limits.max_members:
        raise FileRefused("zip_too_many_members", file=filename, count=len(infos), limit=limits.max_members)
    total = 0
    for info in infos:
        name = info.filename
        if _unsafe_name(name):
            raise FileRefused("zip_unsafe_path", file=filename, member=name[:120])
        if stat.S_ISLNK(info.external_attr >> 16):
            raise FileRefused("zip_symlink", file=filename, member=name[:120])
        if info.flag_bits & 0x1:
            raise FileRefused("zip_encrypted", file=filename)
        if name.lower().endswith((".zip", ".kmz", ".7z", ".rar", ".gz", ".tar")):
            raise FileRefused("zip_nested", file=filename, member=name[:120])
        total += info.file_size
        if total > limits.max_uncompressed:
            raise FileRefused("zip_too_large", file=filename, limit_mb=round(limits.max_uncompressed / MB, 1))
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            ratio = round(info.file_size / max(info.compress_size, 1))
            raise FileRefused("zip_bomb", file=filename, member=name[:120], ratio=ratio)
    return zf


def read_member(zf: zipfile.ZipFile, name: str, filename: str) -> bytes:
    """One member's bytes; a nested archive inside (whatever its name) or a corrupt member is refused."""
    try:
        with zf.open(name) as fh:
            content = fh.read()
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise FileRefused("file_corrupt", file=filename, reason=f"{name}: {str(exc)[:100]}") from exc
    if content.startswith(_ZIP_MAGIC) and not name.lower().endswith((".xlsx",)):
        raise FileRefused("zip_nested", file=filename, member=name[:120])
    return content


# --- XML -------------------------------------------------------------------------------------------------


def parse_xml(data: bytes, filename: str) -> Element:
    """Parse XML refusing DTDs, entity declarations and external references (`xml_forbidden`); malformed
    XML is `file_corrupt`."""
    try:
        return DET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise FileRefused("xml_forbidden", file=filename, reason=type(exc).__name__) from exc
    except DET.ParseError as exc:
        raise FileRefused("file_corrupt", file=filename, reason=str(exc)[:120]) from exc


def refuse_xml_declarations(zf: zipfile.ZipFile, filename: str) -> None:
    """`xml_forbidden` when an XML part of an Office archive declares a DTD or entities (its head is enough:
    declarations precede the root element)."""
    for info in zf.infolist():
        if info.filename.lower().endswith((".xml", ".rels", ".vml")):
            try:
                with zf.open(info) as fh:
                    head = fh.read(4096)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
                raise FileRefused("file_corrupt", file=filename, reason=f"{info.filename}: {str(exc)[:100]}") from exc
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise FileRefused("xml_forbidden", file=filename, reason=info.filename[:80])
