"""The README's first command, run for real: set-up, migrate, seed and serve; then the API answers."""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import time
import zipfile

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
    proc = subprocess.Popen(
        [str(ROOT / "dev"), "start"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        up = False
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and proc.poll() is None and not up:
            try:
                up = httpx.get(f"{base}/healthz", timeout=5).status_code == 200
            except httpx.TransportError:
                time.sleep(0.5)
        assert up, f"the service did not come up:\n{proc.stdout.read() if proc.poll() is not None else ''}"
        assert httpx.get(f"{base}/api/ponds").status_code == 401  # nothing without signing in
        # the sign-in page works over the plain HTTP the start command serves: the cookie is not HTTPS-only
        page = httpx.get(f"{base}/login")
        assert "Secure" not in page.headers["set-cookie"] and "HttpOnly" in page.headers["set-cookie"]
        token = httpx.post(
            f"{base}/api/auth/token", data={"username": "demo-city", "password": "Tailings-city-2025"}
        ).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        body = httpx.get(f"{base}/api/ponds", headers=auth).json()
        assert body["total"] == 40
        assert body["summary"]["by_level"] == {"2": 8, "3": 32}
        assert body["summary"]["one_map_complete"] == 14
        pond = body["items"][0]["id"]
        fc = httpx.get(f"{base}/api/ponds/{pond}/elements", headers=auth).json()
        assert fc["type"] == "FeatureCollection"
        # the dossier needs the CJK font, which the start command installs (not only the test command)
        dossier = httpx.get(f"{base}/api/ponds/{pond}/dossier.zip", headers=auth, timeout=120)
        assert dossier.status_code == 200, dossier.text[:500]
        with zipfile.ZipFile(io.BytesIO(dossier.content)) as z:
            pdfs = [n for n in z.namelist() if n.endswith(".pdf")]
            assert pdfs and z.read(pdfs[0]).startswith(b"%PDF")
        # a worker for background jobs (imagery) runs beside the server, in the same process group
        group = subprocess.run(
            ["ps", "-o", "args=", "-g", str(os.getpgid(proc.pid))], capture_output=True, text=True
        ).stdout
        assert "tailings worker" in group, group
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        migrate.drop_database(url)
    output = proc.stdout.read()
    assert "demo-county" in output and "Tailings-county-2025" in output  # the start command prints them
