"""Water extraction on a large four-band image: ours (gis.raster, block by block) against GDAL's own pipeline.

    python bench/imagery_vs_gdal.py [--sizes 10000,20000] [--rounds 1] [--dir /var/tmp/tailings-bench]

For each size, a 4-band uint16 GeoTIFF (tiled 512, DEFLATE, EPSG:4543, about 8 % water in blobs of a
few hectares, sensor noise) is generated once into --dir (never into git), then on the same file:

- `gdal`: `gdal_calc.py` (NDWI > 0 as green > NIR, with GDAL_CACHEMAX=64) writing a Byte mask, then
  `gdal_polygonize.py` to a GeoPackage (Debian's gdal-bin / python3-gdal);
- `ours-raw`: `gis.raster.extract_water` with the same rule and no clean-up (every water pixel polygon);
- `ours`: `gis.raster.extract_water` with its defaults (majority filter, min area, hole filling, simplify).

Each pipeline runs as a child process; its wall time and peak memory (RSS of the process and its children,
sampled every 20 ms with psutil) are printed, the median over --rounds, with the ratio to GDAL.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def generate(path: Path, size: int) -> None:
    """Write the test image block by block (bounded memory), deterministic."""
    import rasterio
    from rasterio.windows import Window

    if path.exists():
        return
    tmp = path.with_suffix(".part")
    profile = dict(
        driver="GTiff", width=size, height=size, count=4, dtype="uint16", crs="EPSG:4543",
        transform=rasterio.transform.from_origin(470_000, 2_950_000 + size * 10, 10, 10),
        tiled=True, blockxsize=512, blockysize=512, compress="deflate", BIGTIFF="YES",
    )  # fmt: skip
    land = np.array([700, 1000, 1300, 2600], dtype=np.float32)[:, None, None]
    water = np.array([900, 1150, 700, 350], dtype=np.float32)[:, None, None]
    step = 1024
    with rasterio.Env(GDAL_CACHEMAX=64), rasterio.open(tmp, "w", **profile) as dst:
        for r in range(0, size, step):
            for c in range(0, size, step):
                h, w = min(step, size - r), min(step, size - c)
                yy, xx = np.mgrid[r : r + h, c : c + w].astype(np.float32)
                field = np.sin(xx / 37) * np.cos(yy / 53) + 0.6 * np.sin((xx + 2 * yy) / 91)
                wet = field > 1.05
                rng = np.random.default_rng(r * size + c)
                img = np.where(wet, water, land) + rng.normal(0, 120, (4, h, w)).astype(np.float32)
                dst.write(np.clip(img, 1, 65535).astype("uint16"), window=Window(c, r, w, h))
    tmp.rename(path)


def measure(cmds: list[list[str]], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run commands one after the other; wall seconds (sum) and peak RSS in MiB (max) over process trees."""
    total, peak = 0.0, 0
    for cmd in cmds:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL)
        ps = psutil.Process(proc.pid)
        while proc.poll() is None:
            try:
                rss = sum(p.memory_info().rss for p in [ps, *ps.children(recursive=True)])
                peak = max(peak, rss)
            except psutil.Error:
                pass
            time.sleep(0.02)
        total += time.perf_counter() - start
        if proc.returncode:
            raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    return total, peak / 2**20


OURS = """
import sys, time
from gis.raster import WaterParams, extract_water
raw = sys.argv[2] == "raw"
params = WaterParams(smooth=False, min_area_m2=0, fill_holes_m2=0, simplify=False) if raw else WaterParams()
r = extract_water(sys.argv[1], {"green": 2, "nir": 4}, params)
print(len(r.bodies), r.water_pixels, file=sys.stderr)
"""


def run(image: Path, work: Path) -> dict[str, tuple[float, float]]:
    mask, gpkg = work / "mask.tif", work / "water.gpkg"
    for f in (mask, gpkg):
        f.unlink(missing_ok=True)
    gdal = measure(
        [
            ["gdal_calc.py", "--quiet", "-A", str(image), "--A_band=2", "-B", str(image), "--B_band=4",
             "--calc=A>B", "--type=Byte", "--NoDataValue=0", f"--outfile={mask}",
             "--co=TILED=YES", "--co=COMPRESS=DEFLATE"],
            ["gdal_polygonize.py", "-q", str(mask), "-f", "GPKG", str(gpkg)],
        ],
        env={"GDAL_CACHEMAX": "64"},
    )  # fmt: skip
    env = {"PYTHONPATH": str(ROOT)}
    raw = measure([[PY, "-c", OURS, str(image), "raw"]], env)
    ours = measure([[PY, "-c", OURS, str(image), "clean"]], env)
    return {"gdal": gdal, "ours-raw": raw, "ours": ours}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,20000")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--dir", type=Path, default=Path("/var/tmp/tailings-bench"))
    args = ap.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (shared: figures under load)")
    for size in [int(s) for s in args.sizes.split(",")]:
        image = args.dir / f"scene_{size}.tif"
        t0 = time.perf_counter()
        generate(image, size)
        print(f"\n{size:,} x {size:,} x 4 uint16 ({image.stat().st_size / 2**20:,.0f} MiB on disk; "
              f"generated/found in {time.perf_counter() - t0:.0f} s)")  # fmt: skip
        rounds: dict[str, list[tuple[float, float]]] = {}
        with tempfile.TemporaryDirectory(dir=args.dir) as work:
            for _ in range(args.rounds):
                for name, figures in run(image, Path(work)).items():
                    rounds.setdefault(name, []).append(figures)
        base_t = statistics.median(t for t, _ in rounds["gdal"])
        print(f"{'pipeline':<10} {'wall s':>8} {'peak MiB':>9} {'time / gdal':>12}")
        for name, values in rounds.items():
            t = statistics.median(v[0] for v in values)
            m = statistics.median(v[1] for v in values)
            print(f"{name:<10} {t:>8.1f} {m:>9.0f} {t / base_t:>12.2f}")
        print(f"load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
