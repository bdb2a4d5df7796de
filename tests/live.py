"""Real servers for load and fault tests: a seeded database of the test's own, uvicorn (or `tailings serve`)
on a free loopback port, and a PostgreSQL instance of the test's own (pg_ctl) that a test may restart."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy.orm import Session

from app import migrate
from app.config import ROOT
from app.db import make_engine, set_actor
from tests.browser import free_port

PG_BIN = Path(os.environ.get("TAILINGS_PG_BIN", "/usr/lib/postgresql/15/bin"))


def seeded_database(url: str) -> None:
    """Create, migrate and seed (sample data, demo accounts) the database of `url`."""
    from app.seed import seed

    migrate.create_database(url)
    migrate.upgrade(url)
    engine = make_engine(url, 1)
    try:
        with Session(engine) as session:
            set_actor(session, "test")
            seed(session, ROOT / "layers", demo=True)
            session.commit()
    finally:
        engine.dispose()


@dataclass
class LiveServer:
    base: str
    proc: subprocess.Popen[str]
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def wait_until(check, timeout: float, interval: float = 0.2) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return True
        except httpx.TransportError:
            pass
        time.sleep(interval)
    return False


@contextmanager
def serve(
    database_url: str, command: list[str] | None = None, tmp: Path | None = None, **settings: str
) -> Iterator[LiveServer]:
    """The app served on a free loopback port (default: uvicorn with tests.fault_app, the app plus test-only
    routes); stopped (SIGTERM, then SIGKILL) at the end unless the test already stopped it."""
    port = free_port()
    env = {
        **os.environ,
        "TAILINGS_DATABASE_URL": database_url,
        "TAILINGS_DEMO": "true",
        "TAILINGS_COOKIE_SECURE": "false",
        "TAILINGS_PORT": str(port),
        **{f"TAILINGS_{k.upper()}": v for k, v in settings.items()},
    }
    env.pop("DATABASE_URL", None)
    cmd = command or [
        sys.executable, "-m", "uvicorn", "tests.fault_app:app", "--port", str(port), "--log-level", "warning",
        "--timeout-graceful-shutdown", "20",
    ]  # fmt: skip
    folder = Path(tmp or tempfile.mkdtemp(prefix="tailings-live-"))
    log_path = folder / f"server-{port}.log"
    log = log_path.open("w", encoding="utf-8")
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, text=True)
    server = LiveServer(f"http://127.0.0.1:{port}", proc, log_path, env)
    try:
        up = wait_until(
            lambda: proc.poll() is None and httpx.get(f"{server.base}/readyz", timeout=5).status_code == 200, 60
        )
        assert up, f"the server did not start:\n{server.log()[-3000:]}"
        yield server
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()


def token(base: str, username: str = "demo-admin", role: str = "admin") -> str:
    r = httpx.post(f"{base}/api/auth/token", data={"username": username, "password": f"Tailings-{role}-2025"})
    r.raise_for_status()
    return r.json()["access_token"]


@dataclass
class OwnPostgres:
    """A PostgreSQL server of the test's own (run as user postgres when the tests run as root), on a free
    port, data in a temporary folder; never the shared development server."""

    data: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/tailings"

    def _run(self, *args: str) -> None:
        cmd = [str(PG_BIN / "pg_ctl"), "-D", str(self.data), *args]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        self._run("-l", str(self.data / "server.log"), "-o", f"-p {self.port}", "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("-m", mode, "-w", "-t", "60", "stop")

    def restart(self) -> None:
        log = str(self.data / "server.log")
        self._run("-l", log, "-o", f"-p {self.port}", "-m", "fast", "-w", "-t", "60", "restart")


@contextmanager
def own_postgres() -> Iterator[OwnPostgres]:
    if not (PG_BIN / "initdb").exists():
        raise RuntimeError(f"no PostgreSQL server binaries in {PG_BIN} (set TAILINGS_PG_BIN)")
    folder = Path(tempfile.mkdtemp(prefix="tailings-ownpg-"))
    data = folder / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        shutil.chown(data, "postgres")
    data.chmod(0o700)
    init = [str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"]
    if os.geteuid() == 0:
        init = ["runuser", "-u", "postgres", "--", *init]
    subprocess.run(init, check=True, capture_output=True, timeout=120)
    with (data / "postgresql.conf").open("a") as conf:
        conf.write(f"listen_addresses = '127.0.0.1'\nunix_socket_directories = '{data}'\njit = off\nfsync = off\n")
    pg = OwnPostgres(data, free_port())
    pg.start()
    try:
        yield pg
    finally:
        try:
            pg.stop("immediate")
        finally:
            shutil.rmtree(folder, ignore_errors=True)
