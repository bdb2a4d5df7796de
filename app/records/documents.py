"""Documents and photos of a pond: checked by content (real PDFs, images, Office files), typed, versioned.

The bytes go to the content-addressed store (app.files); a row names the current version, earlier versions
stay in record_revisions (with their hash), so every version can still be opened.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app import files
from app.errors import Conflict, FieldProblem, Invalid, NotFound
from app.records.config import records_config
from app.text import Text, accept

# Media types shown in the browser rather than downloaded.
INLINE = {"application/pdf", "image/jpeg", "image/png", "image/webp"}
_OFFICE_ZIP = {
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/presentation.xml": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # DOC, XLS, PPT (Office 97-2003)
_OLE_TYPES = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}
_IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


@dataclass(frozen=True)
class Sniffed:
    kind: str  # pdf | image | office
    media_type: str


def sniff(data: bytes, filename: str) -> Sniffed | None:
    """What the bytes really are (never what their name says), or None for anything we do not accept."""
    if data.startswith(b"%PDF-") and b"%%EOF" in data[-2048:]:
        return Sniffed("pdf", "application/pdf")
    if data.startswith(_OLE):
        ext = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        return Sniffed("office", _OLE_TYPES[ext]) if ext in _OLE_TYPES else None
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        if "[Content_Types].xml" in names:
            for part, media_type in _OFFICE_ZIP.items():
                if part in names:
                    return Sniffed("office", media_type)
        return None
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as im:
            fmt = im.format or ""
            im.verify()  # a truncated or corrupt image fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    return Sniffed("image", _IMAGE_TYPES[fmt]) if fmt in _IMAGE_TYPES else None


def _checked(doc_type: str, filename: str, data: bytes) -> Sniffed:
    cfg = records_config()
    files.check_size(data, filename)
    if doc_type not in cfg.document_types:
        raise Invalid(
            "validation_failed",
            problems=[FieldProblem("doc_type", "literal_error", {"expected": ", ".join(cfg.document_types)})],
        )
    if not data:
        raise Invalid("upload_empty", {"file": filename})
    found = sniff(data, filename)
    accepts = cfg.document_types[doc_type].accepts
    if found is None or found.kind not in accepts:
        raise Invalid(
            "upload_type_refused",
            {"file": filename, "accepts_code": "accepts_" + "_".join(sorted(accepts))},
        )
    return found


DOCUMENT_TITLE = Text("field_title", 300, single_line=True)


def _clean_name(filename: str | None) -> str:
    name = (filename or "file").replace("\\", "/").rsplit("/", 1)[-1].strip() or "file"
    return "".join(ch for ch in name if ch.isprintable())[:200]


def upload(session: Session, pond_id: int, doc_type: str, title: str, filename: str | None, data: bytes) -> dict:
    name = _clean_name(filename)
    title = accept(title, "title", DOCUMENT_TITLE)
    found = _checked(doc_type, name, data)
    digest = files.put(data)
    doc_id = session.execute(
        text("""INSERT INTO pond_documents (pond_id, doc_type, title, filename, media_type, size_bytes, sha256)
                VALUES (:p, :t, :title, :f, :m, :s, :h) RETURNING id"""),
        {
            "p": pond_id,
            "t": doc_type,
            "title": title or name,
            "f": name,
            "m": found.media_type,
            "s": len(data),
            "h": digest,
        },
    ).scalar_one()
    return get(session, pond_id, doc_id)


def new_version(
    session: Session, pond_id: int, doc_id: int, filename: str | None, data: bytes, expected: int
) -> dict[str, Any]:
    current = get(session, pond_id, doc_id)
    name = _clean_name(filename)
    found = _checked(current["doc_type"], name, data)
    digest = files.put(data)
    updated = session.execute(
        text("""UPDATE pond_documents SET filename = :f, media_type = :m, size_bytes = :s, sha256 = :h,
                       version = version + 1, updated_at = now()
                WHERE id = :id AND pond_id = :p AND version = :expected RETURNING id"""),
        {
            "f": name,
            "m": found.media_type,
            "s": len(data),
            "h": digest,
            "id": doc_id,
            "p": pond_id,
            "expected": expected,
        },
    ).scalar_one_or_none()
    if updated is None:
        raise Conflict("record_version_conflict", {"current": current["version"], "given": expected})
    return get(session, pond_id, doc_id)


def get(session: Session, pond_id: int, doc_id: int) -> dict[str, Any]:
    row = (
        session.execute(
            text("SELECT * FROM pond_documents WHERE id = :id AND pond_id = :p"), {"id": doc_id, "p": pond_id}
        )
        .mappings()
        .one_or_none()
    )
    if row is None:
        raise NotFound("not_found", {"what_code": "document", "id": doc_id})
    return dict(row)


def content(session: Session, pond_id: int, doc_id: int, version: int | None) -> tuple[bytes, str, str]:
    """The bytes, media type and file name of a document (its current version, or an earlier one)."""
    doc = get(session, pond_id, doc_id)
    if version is not None and version != doc["version"]:
        data = session.execute(
            text("""SELECT data FROM record_revisions WHERE table_name = 'pond_documents' AND record_id = :id
                    AND pond_id = :p AND version = :v AND op <> 'delete' ORDER BY id DESC LIMIT 1"""),
            {"id": doc_id, "p": pond_id, "v": version},
        ).scalar_one_or_none()
        if data is None:
            raise NotFound("not_found", {"what_code": "document", "id": f"{doc_id} v{version}"})
        doc = data
    return files.get(doc["sha256"]), doc["media_type"], doc["filename"]
