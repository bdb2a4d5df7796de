"""Storing a checked photo under its client id, and finding a pond's photos."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app import files
from app.errors import Conflict, Invalid, NotFound
from app.photos.checks import inspect_photo

_POINT = "CASE WHEN CAST(:lon AS float8) IS NOT NULL THEN ST_SetSRID(ST_Point(:lon, :lat), 4490) END"


def photos_of(session: Session, pond_id: int, ids: list[uuid.UUID]) -> list[dict[str, Any]]:
    """The photo rows (with EXIF time and position) of `ids`, all of which must belong to the pond."""
    if not ids:
        return []
    rows = (
        session.execute(
            text("""SELECT id, sha256, content_type, width, height, taken_at, filename,
                       ST_X(location) AS lon, ST_Y(location) AS lat
                FROM photos WHERE pond_id = :pond AND id = ANY(:ids)"""),
            {"pond": pond_id, "ids": list(ids)},
        )
        .mappings()
        .all()
    )
    found = {r["id"]: dict(r) for r in rows}
    for i in ids:
        if i not in found:
            raise Invalid("photo_unknown", {"id": str(i)})
    return [found[i] for i in ids]


def store(
    session: Session, user_id: int, pond_id: int, photo_id: uuid.UUID, data: bytes, filename: str | None
) -> dict[str, Any]:
    """Check and store an uploaded photo under its client id (sending it again returns the stored one).
    Who may upload is the caller's to check."""
    files.check_size(data, filename)
    existing = session.execute(text("SELECT pond_id FROM photos WHERE id = :i"), {"i": photo_id}).scalar()
    if existing is not None and existing != pond_id:
        raise Conflict("inspection_other_pond", {"id": str(photo_id)})
    if existing is None:
        info = inspect_photo(data, filename)
        digest = files.put(data)
        session.execute(
            text(f"""
            INSERT INTO photos (id, pond_id, sha256, content_type, filename, size_bytes, width, height, taken_at,
                                location, uploaded_by)
            VALUES (:i, :p, :h, :ct, :fn, :size, :w, :hgt, :taken, {_POINT}, :u)
            ON CONFLICT (id) DO NOTHING"""),
            {
                "i": photo_id,
                "p": pond_id,
                "h": digest,
                "ct": info.content_type,
                "fn": (filename or "")[:200] or None,
                "size": len(data),
                "w": info.width,
                "hgt": info.height,
                "taken": info.taken_at,
                "lon": info.lon,
                "lat": info.lat,
                "acc": None,
                "u": user_id,
            },
        )
    return photo_json(session, pond_id, photo_id)


def photo_json(session: Session, pond_id: int, photo_id: uuid.UUID) -> dict[str, Any]:
    p = photos_of(session, pond_id, [photo_id])[0]
    return {
        "id": str(p["id"]),
        "url": f"/api/ponds/{pond_id}/photos/{p['id']}",
        "content_type": p["content_type"],
        "width": p["width"],
        "height": p["height"],
        "taken_at": p["taken_at"],
        "lon": p["lon"],
        "lat": p["lat"],
    }


def photo_bytes(session: Session, pond_id: int, photo_id: uuid.UUID) -> tuple[bytes, str]:
    row = session.execute(
        text("SELECT sha256, content_type FROM photos WHERE id = :i AND pond_id = :p"), {"i": photo_id, "p": pond_id}
    ).one_or_none()
    if row is None:
        raise NotFound("not_found", {"what_code": "photo", "id": str(photo_id)})
    return files.get(row.sha256), row.content_type


def photo_exists(session: Session, photo_id: uuid.UUID) -> bool:
    return session.execute(text("SELECT 1 FROM photos WHERE id = :i"), {"i": photo_id}).scalar() is not None
