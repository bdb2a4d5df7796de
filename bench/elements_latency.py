"""Latency of GET /api/ponds/{id}/elements for a mapped pond, against a real uvicorn server.

Run with `./dev bench` (it sets up, migrates and seeds first). Prints medians and p95 over repeated
runs; the figures quoted in closing notes come from here.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "500"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def _sequential(client: httpx.Client, path: str, n: int) -> list[float]:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        r = client.get(path)
        times.append((time.perf_counter() - t0) * 1000)
        r.raise_for_status()
    return times


def _concurrent(base: str, path: str, n: int, workers: int, headers: dict[str, str]) -> float:
    def worker(count: int) -> None:
        with httpx.Client(base_url=base, headers=headers) as c:
            for _ in range(count):
                c.get(path).raise_for_status()

    t0 = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(worker, [n // workers] * workers))
    return (n // workers * workers) / (time.perf_counter() - t0)


def main() -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.main:app", "--port", str(port), "--log-level", "warning"],
        env=os.environ.copy(),
    )
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        token = httpx.post(
            f"{base}/api/auth/token", data={"username": "demo-admin", "password": "Tailings-admin-2025"}
        ).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        ponds = httpx.get(f"{base}/api/ponds", params={"one_map": "true", "limit": 1000}, headers=auth).json()["items"]
        pond = max(ponds, key=lambda p: p["bbox"] is not None)
        path = f"/api/ponds/{pond['id']}/elements"
        with httpx.Client(base_url=base, headers=auth) as client:
            body = client.get(path)
            features = len(body.json()["features"])
            _sequential(client, path, 50)  # warm-up
            medians, p95s = [], []
            for _ in range(ROUNDS):
                times = _sequential(client, path, REQUESTS)
                medians.append(statistics.median(times))
                p95s.append(_percentile(times, 0.95))
        throughputs = [_concurrent(base, path, REQUESTS, CONCURRENCY, auth) for _ in range(ROUNDS)]
        print(f"GET {path}  ({pond['code']} {pond['name']}: {features} features, {len(body.content) / 1024:.1f} KiB)")
        print(f"{'measure':<44}{'median of rounds':>18}{'rounds':>30}")
        print(
            f"{'latency, 1 client, median (ms)':<44}{statistics.median(medians):>18.2f}"
            f"{'  '.join(f'{m:.2f}' for m in medians):>30}"
        )
        print(
            f"{'latency, 1 client, p95 (ms)':<44}{statistics.median(p95s):>18.2f}"
            f"{'  '.join(f'{m:.2f}' for m in p95s):>30}"
        )
        print(
            f"{f'throughput, {CONCURRENCY} clients (req/s)':<44}{statistics.median(throughputs):>18.0f}"
            f"{'  '.join(f'{m:.0f}' for m in throughputs):>30}"
        )
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
