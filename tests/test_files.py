"""The file store keeps each content once, by hash, and refuses what is too large."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from app import files
from app.config import get_settings
from app.errors import Invalid, NotFound


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(get_settings(), "files_dir", tmp_path)
    return tmp_path


def test_put_is_content_addressed_and_idempotent(store: Path) -> None:
    data = "尾矿库 photo".encode()
    digest = files.put(data)
    assert digest == hashlib.sha256(data).hexdigest()
    assert files.put(data) == digest
    assert [p.name for p in store.rglob("*") if p.is_file()] == [digest]
    assert files.get(digest) == data


def test_unknown_or_malformed_hashes_are_not_found(store: Path) -> None:
    with pytest.raises(NotFound):
        files.get("0" * 64)
    with pytest.raises(NotFound):
        files.path_of("../../etc/passwd")


def test_size_limit(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "upload_max_mb", 0.001)
    files.check_size(b"x" * 1000)
    with pytest.raises(Invalid) as caught:
        files.check_size(b"x" * 2000, "big.xlsx")
    assert caught.value.params["file"] == "big.xlsx"


def test_content_disposition_keeps_the_chinese_name_with_an_ascii_fallback() -> None:
    value = files.content_disposition('尾矿库"名录".xlsx', "inline")
    assert value == (
        "inline; filename=\"_______.xlsx\"; filename*=UTF-8''%E5%B0%BE%E7%9F%BF%E5%BA%93%22%E5%90%8D%E5%BD%95%22.xlsx"
    )
