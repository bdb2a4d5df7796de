"""Vendor the browser assets the pages use (Leaflet and its plugins) into app/static/vendor/.

Government intranets and mine sites have no internet, so every asset is served by the app itself. This
script fetches each package at a pinned version from the npm registry (`npm pack`), keeps only the files
the pages load plus the licence, and writes app/static/vendor/VENDORED.md (name, version, licence,
SHA-256 of every file). Run it again to upgrade: change a version here, run, review, commit.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "app" / "static" / "vendor"

# package@version -> files to keep (paths inside the package), all copied flat under vendor/<name>/
PACKAGES: dict[str, list[str]] = {
    "leaflet@1.9.4": [
        "LICENSE",
        "dist/leaflet.js",
        "dist/leaflet.css",
        "dist/images/layers.png",
        "dist/images/layers-2x.png",
        "dist/images/marker-icon.png",
        "dist/images/marker-icon-2x.png",
        "dist/images/marker-shadow.png",
    ],
    "leaflet.locatecontrol@0.79.0": ["LICENSE", "dist/L.Control.Locate.min.js", "dist/L.Control.Locate.min.css"],
    "leaflet.fullscreen@3.0.2": ["LICENSE", "Control.FullScreen.js", "Control.FullScreen.css", "icon-fullscreen.svg"],
    # leaflet-measure (folium's MeasureControl) compiles templates with Function(), which our CSP forbids.
    "leaflet.polylinemeasure@3.0.0": ["LICENSE.txt", "Leaflet.PolylineMeasure.js", "Leaflet.PolylineMeasure.css"],
    "leaflet.vectorgrid@1.3.0": ["README.md", "dist/Leaflet.VectorGrid.bundled.min.js"],  # licence in README
    "leaflet-polylinedecorator@1.6.0": ["LICENSE", "dist/leaflet.polylineDecorator.js"],
    # swipe / side-by-side comparison of two image dates on the pond map (CommonJS only on npm: wrapped below)
    "leaflet-side-by-side@2.2.0": ["LICENSE", "index.js", "layout.css", "range.css", "range-icon.png"],
    "leaflet-mouse-position@1.2.0": [
        "MIT-LICENCE.txt",
        "src/L.Control.MousePosition.js",
        "src/L.Control.MousePosition.css",
    ],
}


# Packages published as CommonJS only: their entry file is wrapped for the browser as <name>.js, with
# `require('leaflet')` answered by the page's global L and the CSS requires left to <link> tags.
BROWSER_WRAP = {"leaflet-side-by-side": "index.js"}
_WRAP_HEAD = (
    "/* wrapped for the browser by scripts/vendor_assets.py */\n(function () {\nvar module = { exports: {} };\n"
    "var require = function (name) { return name === 'leaflet' ? window.L : {}; };\n"
)
_WRAP_TAIL = "\n})();\n"


def _keep_path(member: str) -> str:
    # dist/images/x.png -> images/x.png (Leaflet's CSS refers to images/ beside it); otherwise the base name
    inner = member.removeprefix("dist/")
    return inner if inner.startswith("images/") else Path(inner).name


def vendor(spec: str, files: list[str], tmp: Path) -> dict[str, object]:
    name, version = spec.rsplit("@", 1)
    out = subprocess.run(
        ["npm", "pack", spec, "--json", "--pack-destination", str(tmp)], check=True, capture_output=True, text=True
    )
    tarball = tmp / json.loads(out.stdout)[0]["filename"]
    target = VENDOR / name
    shutil.rmtree(target, ignore_errors=True)
    with tarfile.open(tarball) as tar:
        meta = json.load(tar.extractfile("package/package.json"))  # type: ignore[arg-type]
        for member in files:
            data = tar.extractfile(f"package/{member}")
            assert data is not None, f"{spec}: {member} missing"
            dest = target / _keep_path(member)
            dest.parent.mkdir(parents=True, exist_ok=True)
            content = data.read()
            if BROWSER_WRAP.get(name) == member:
                dest = target / f"{name}.js"
                content = (_WRAP_HEAD + content.decode("utf-8") + _WRAP_TAIL).encode("utf-8")
            dest.write_bytes(content)
    return {
        "name": name,
        "version": version,
        "license": meta.get("license", "see LICENSE"),
        "files": {
            str(p.relative_to(VENDOR)): hashlib.sha256(p.read_bytes()).hexdigest()[:16]
            for p in sorted(target.rglob("*"))
            if p.is_file()
        },
    }


def main() -> None:
    VENDOR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        entries = [vendor(spec, files, Path(tmp)) for spec, files in PACKAGES.items()]
    lines = [
        "# Vendored browser assets",
        "",
        "Served by the app from `/static/vendor/`; written by `scripts/vendor_assets.py` from the npm registry.",
        "",
        "| package | version | licence | files (SHA-256, first 16 hex) |",
        "|---|---|---|---|",
    ]
    for e in entries:
        files = "<br>".join(f"`{f}` {h}" for f, h in e["files"].items())  # type: ignore[union-attr]
        lines.append(f"| {e['name']} | {e['version']} | {e['license']} | {files} |")
    (VENDOR / "VENDORED.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"vendored {len(entries)} packages into {VENDOR}")


if __name__ == "__main__":
    main()
