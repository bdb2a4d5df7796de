"""The file store: every uploaded file (photo, document, import, image) kept once, named by its SHA-256.

Files are written to a temporary name and renamed into place, so a crash never leaves half a file under a
real name; storing the same bytes twice stores them once. Rows in the database refer to files by hash; the
store itself knows nothing of who may read them (the referring row's endpoint decides).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from app.config import get_settings
from app.errors import Invalid, NotFound

_HASH = re.compile(r"^[0-9a-f]{64}$")


def root() -> Path:
    return get_settings().files_dir


def check_size(data: bytes, filename: str | None = None) -> None:
    """Refuse data larger than the configured upload limit (TAILINGS_UPLOAD_MAX_MB)."""
    limit_mb = get_settings().upload_max_mb
    if len(data) > limit_mb * 1024 * 1024:
        raise Invalid("upload_too_large", {"file": filename or "", "limit_mb": limit_mb})


async def read_bounded(upload: Any) -> bytes:
    """An uploaded file's bytes (a FastAPI UploadFile): at most the upload limit is read into memory, and a
    larger file is refused with the limit named."""
    limit = int(get_settings().upload_max_mb * 1024 * 1024)
    data: bytes = await upload.read(limit + 1)
    check_size(data, getattr(upload, "filename", None))
    return data


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """A Content-Disposition header value (RFC 6266/5987): an ASCII fallback and the real (often Chinese) name."""
    fallback = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def path_of(sha256: str) -> Path:
    if not _HASH.match(sha256):
        raise NotFound("not_found", {"what_code": "file", "id": sha256[:64]})
    return root() / sha256[:2] / sha256


def put(data: bytes) -> str:
    """Store the bytes (once) and return their SHA-256 hex digest."""
    digest = hashlib.sha256(data).hexdigest()
    target = path_of(digest)
    if target.exists():
        return digest
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return digest


def get(sha256: str) -> bytes:
    path = path_of(sha256)
    if not path.exists():
        raise NotFound("not_found", {"what_code": "file", "id": sha256})
    return path.read_bytes()


def put_path(source: Path) -> str:
    """Store a file (once) by streaming it, without reading it into memory; returns its SHA-256.

    For files too large to hold in memory (images); `source` is left where it is.
    """
    digest = sha256_of(source)
    target = path_of(digest)
    if target.exists():
        return digest
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as f:
            while chunk := f.read(1 << 20):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return digest


def sha256_of(source: Path) -> str:
    h = hashlib.sha256()
    with source.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()
