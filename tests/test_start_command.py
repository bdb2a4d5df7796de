"""The README's first command, run for real: set-up, migrate, seed and serve; then the API answers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time

import httpx
import pytest

from app import migrate
from app.config import ROOT
from tests.conftest import scratch_url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_dev_start_serves_the_40_sample_ponds(database_url) -> None:
    url, port = scratch_url("tailings_start"), _free_port()
    env = {**os.environ, "TAILINGS_DATABASE_URL": url, "TAILINGS_PORT": str(port)}
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen([str(ROOT / "dev"), "start"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    try:
        body = None
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/ponds", timeout=5)
                if r.status_code == 200:
                    body = r.json()
                    break
            except httpx.TransportError:
                time.sleep(0.5)
        assert body is not None, f"the service did not come up:\n{proc.stdout.read() if proc.poll() is not None else ''}"
        assert body["total"] == 40
        assert body["summary"]["by_level"] == {"2": 8, "3": 32}
        assert body["summary"]["one_map_complete"] == 14
        assert httpx.get(f"http://127.0.0.1:{port}/healthz").json()["status"] == "ok"
        pond = body["items"][0]["id"]
        fc = httpx.get(f"http://127.0.0.1:{port}/api/ponds/{pond}/elements").json()
        assert fc["type"] == "FeatureCollection"
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        migrate.drop_database(url)
    assert proc.returncode is not None
