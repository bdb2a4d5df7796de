"""Count the import arrows of app/ that run against its layering, and print them as a table.

    python scripts/import_arrows.py [ROOT] [--list]

ROOT is a checkout (default: this one); `--list` prints every arrow counted, not only the table.
Imports are read with `ast` from every module under app/, including imports inside functions, and module
paths written as strings (`"app.imagery.jobs"`, loaded with importlib) count as imports too.

The layering, bottom to top (a module may import its own layer and the layers below it):

0. base: `config`, `db`, `errors`, `i18n`, `enums`, `clock`, `files`, `registry`, `text` (the free-text
   rule), the readers of layer data (`ruleset`, `checklists`, `vocabulary`) and `reports` (shared PDF and
   spreadsheet helpers; each report's builder belongs to its domain): no domain, no HTTP.
1. identity and reference: `accounts`, `catalogue`, `reference`.
2. the pond register and the job runner: `ponds`, `jobs`.
3. facts about a pond: `elements`, `compliance`, `monitoring`, `records`, `imagery`, `inspections`,
   `hazards`, `imports`, `tiles`, `photos`.
4. views across those facts: `map`, `dossiers`, `dashboard`, `bureau`, `ogc`, `audit`.
5. the web edge: `deps`, `handlers`, `middleware`, `web`, `responses` (the declared response bodies), and
   the request dependencies of `accounts` (`accounts.deps`, `accounts.lean`).
6. composition: `main`, `cli`, `seed`, `models`, `migrate`, `ops`, `job_kinds`.

Between two domains of the same layer only the arrows in `SIDEWAYS` are allowed (an inspection's problems
open hazards; both keep their photos with `photos`; a pond's file shows its monitoring; an upload makes
elements; a job may belong to a pond); the base modules,
the web edge and composition may import each other freely.

Within every domain the data flows router -> service -> models, never back. So three more kinds of arrow
run upward whatever the layers say:
- any import of a route module (`router`, `pages`, `accounts.chiefs`) except by composition (`main`);
- an import of the web edge, `fastapi` or `starlette` by a module that is not HTTP (HTTP modules are the
  route modules, the web edge and composition): a service that needs them does the router's work;
- (not counted here, guarded by tests/test_walls.py) `gis/` importing app/, web frameworks or databases.

A private arrow is a name with a leading underscore taken from another package: `from app.map.router
import _page`, or `monitoring._results(...)` on an imported module. Inside one package (`app.imports.*`)
private names are that package's own business.
"""

from __future__ import annotations

import ast
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

LAYERS: list[tuple[str, set[str]]] = [
    (
        "base",
        {"config", "db", "errors", "i18n", "enums", "clock", "files", "registry", "text", "layer_files"}
        | {"ruleset", "checklists", "vocabulary"}  # readers of layers/ data, once they move to the bottom
        | {"reports"},  # the shared PDF and spreadsheet helpers (each report's builder lives in its domain)
    ),
    ("identity and reference", {"accounts", "catalogue", "reference"}),
    ("pond register, jobs", {"ponds", "jobs"}),
    (
        "facts about a pond",
        {"elements", "compliance", "monitoring", "records", "imagery", "inspections", "hazards", "imports", "tiles"}
        | {"photos"},
    ),
    ("views across facts", {"map", "dossiers", "dashboard", "bureau", "ogc", "audit"}),
    ("web edge", {"deps", "handlers", "middleware", "web", "responses"}),
    ("composition", {"main", "cli", "seed", "models", "migrate", "ops", "job_kinds"}),
]
# Modules that sit in another layer than their package.
MODULE_LAYER = {"app.accounts.deps": "web edge", "app.accounts.lean": "web edge"}
SIDEWAYS = {
    ("inspections", "hazards"),
    ("inspections", "photos"),
    ("hazards", "photos"),
    ("records", "monitoring"),
    ("imports", "elements"),
    ("jobs", "ponds"),
}
WEB_FRAMEWORKS = {"fastapi", "starlette"}
ROUTE_MODULES = {"router", "pages"}
EXTRA_ROUTE_MODULES = {"app.accounts.chiefs"}
FREE_WITHIN = {"base", "web edge", "composition"}
LAYER_RANK = {name: i for i, (name, _) in enumerate(LAYERS)}
PACKAGE_LAYER = {package: name for name, packages in LAYERS for package in packages}


@dataclass(frozen=True)
class Arrow:
    source: str  # importing module, dotted
    target: str  # imported module, dotted
    name: str | None  # the name taken from it, when `from target import name` or `target.name`
    line: int
    kind: str  # "import", "string" or "attribute"


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package(module: str) -> str:
    """The domain package (or base module) of `app.<package>...`; the top package of anything else."""
    if not module.startswith("app."):
        return module.split(".")[0]
    return module.split(".")[1]


def is_module(root: Path, dotted: str) -> bool:
    path = root.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def arrows_of(root: Path, path: Path) -> list[Arrow]:
    """Every import of an app module in one file, with the names taken from it."""
    source = module_name(root, path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[Arrow] = []
    aliases: dict[str, str] = {}  # local name -> app module it is bound to
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] in WEB_FRAMEWORKS:
                    out.append(Arrow(source, a.name, None, node.lineno, "import"))
                elif a.name.startswith("app.") or a.name == "app":
                    out.append(Arrow(source, a.name, None, node.lineno, "import"))
                    if a.asname:
                        aliases[a.asname] = a.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] in WEB_FRAMEWORKS:
                out.append(Arrow(source, node.module, None, node.lineno, "import"))
                continue
            if not (node.module == "app" or node.module.startswith("app.")):
                continue
            for a in node.names:
                full = f"{node.module}.{a.name}"
                if is_module(root, full):  # `from app.monitoring import service as monitoring`
                    out.append(Arrow(source, full, None, node.lineno, "import"))
                    aliases[a.asname or a.name] = full
                else:
                    out.append(Arrow(source, node.module, a.name, node.lineno, "import"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            value = node.value
            dotted = value.startswith("app.") and value.replace(".", "").replace("_", "").isalnum()
            if dotted and is_module(root, value):
                out.append(Arrow(source, value, None, node.lineno, "string"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            out.append(Arrow(source, aliases[node.value.id], node.attr, node.lineno, "attribute"))
    return out


def all_arrows(root: Path) -> list[Arrow]:
    return [a for path in sorted((root / "app").rglob("*.py")) for a in arrows_of(root, path)]


def layer_of(module: str) -> str:
    for prefix, layer in MODULE_LAYER.items():
        if module == prefix or module.startswith(prefix + "."):
            return layer
    return PACKAGE_LAYER.get(package(module), "composition")


def is_route_module(module: str) -> bool:
    return module.rsplit(".", 1)[-1] in ROUTE_MODULES or module in EXTRA_ROUTE_MODULES


def is_http(module: str) -> bool:
    return is_route_module(module) or layer_of(module) in ("web edge", "composition")


def is_private(name: str | None) -> bool:
    return bool(name) and name.startswith("_") and not name.startswith("__")  # type: ignore[union-attr]


def private_arrow(a: Arrow) -> bool:
    """A name with a leading underscore (or a private module) taken from another package."""
    if package(a.source) == package(a.target) or not a.target.startswith("app."):
        return False
    return is_private(a.name) or any(is_private(part) for part in a.target.split("."))


def upward_reason(a: Arrow) -> str | None:
    """Why an arrow runs against the layering, or None."""
    if a.target.split(".")[0] in WEB_FRAMEWORKS:
        return None if is_http(a.source) else "non-HTTP module imports the web framework"
    if a.target == "app":
        return None
    src_pkg, dst_pkg = package(a.source), package(a.target)
    if is_route_module(a.target) and a.source != a.target and layer_of(a.source) != "composition":
        return "imports a route module"
    if layer_of(a.target) == "web edge":
        return None if is_http(a.source) else "non-HTTP module imports the web edge"
    if src_pkg == dst_pkg:
        return None
    src, dst = LAYER_RANK[layer_of(a.source)], LAYER_RANK[layer_of(a.target)]
    if dst > src:
        return "to a higher layer"
    if dst == src and (src_pkg, dst_pkg) not in SIDEWAYS and layer_of(a.source) not in FREE_WITHIN:
        return "sideways, not allowed"
    return None


def report(root: Path) -> tuple[Counter[tuple[str, str, str]], list[tuple[Arrow, str]]]:
    """Arrows against the layering, counted by (importing package, imported package, reason)."""
    counted: Counter[tuple[str, str, str]] = Counter()
    listed: list[tuple[Arrow, str]] = []
    seen: set[tuple[str, str, str | None, str]] = set()
    for a in all_arrows(root):
        reasons = []
        if (why := upward_reason(a)) is not None:
            reasons.append(why)
        if private_arrow(a):
            reasons.append("private name")
        for why in reasons:
            key = (a.source, a.target, a.name if why == "private name" else None, why)
            if key in seen:  # one arrow per module pair and reason (and per private name)
                continue
            seen.add(key)
            counted[(package(a.source), package(a.target), why)] += 1
            listed.append((a, why))
    return counted, listed


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    root = Path(args[0]).resolve() if args else Path(__file__).resolve().parents[1]
    counted, listed = report(root)
    width = max([len(f"{s} -> {d}") for s, d, _ in counted] + [12])
    print(f"{'arrow':<{width}}  {'n':>3}  reason")
    for (s, d, why), n in sorted(counted.items(), key=lambda kv: (kv[0][2], kv[0][0], kv[0][1])):
        print(f"{s + ' -> ' + d:<{width}}  {n:>3}  {why}")
    totals = Counter(why for (_, _, why) in counted.elements())
    print()
    for why, n in sorted(totals.items()):
        print(f"{why}: {n}")
    print(f"total: {sum(totals.values())} arrows (module pairs) in {len(counted)} package pairs")
    if "--list" in argv:
        print()
        for a, why in listed:
            name = f" ({a.name})" if a.name and why == "private name" else ""
            print(f"{a.source}:{a.line} -> {a.target}{name}  [{why}, {a.kind}]")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
