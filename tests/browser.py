"""Headless Chromium (Debian's) against a real server, with every request off this machine refused."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
from playwright.sync_api import Browser, Page

CHROMIUM = os.environ.get("TAILINGS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
]
LOCAL = {"127.0.0.1", "localhost"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def live_server(database_url: str, **settings: str) -> Iterator[str]:
    """uvicorn serving the app on a free loopback port; yields its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "TAILINGS_DATABASE_URL": database_url,
        "TAILINGS_DEMO": "true",
        "TAILINGS_COOKIE_SECURE": "false",
        **{f"TAILINGS_{k.upper()}": v for k, v in settings.items()},
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.main:app", "--port", str(port), "--log-level", "warning"], env=env
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            raise RuntimeError("the server did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@dataclass
class Watched:
    """A page and what it did: console errors, uncaught errors, dialogs, refused outside requests."""

    page: Page
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)


def open_page(browser: Browser, width: int = 1280, height: int = 800) -> Watched:
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="zh-CN",
        geolocation={"latitude": 26.58, "longitude": 101.72},
        permissions=["geolocation"],
    )
    page = context.new_page()
    w = Watched(page)

    def route(r):  # type: ignore[no-untyped-def]
        host = urlsplit(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host in LOCAL:
            r.continue_()
        else:
            w.outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.on("console", lambda m: w.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: w.errors.append(str(e)))
    page.on("dialog", lambda d: (w.dialogs.append(d.message), d.dismiss()))
    return w


def sign_in(w: Watched, base: str, username: str, password: str) -> None:
    w.page.goto(f"{base}/login")
    w.page.fill("input[name=username]", username)
    w.page.fill("input[name=password]", password)
    w.page.click("button[type=submit]")
    w.page.wait_for_load_state("networkidle")
