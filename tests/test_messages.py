"""The message catalogue: every code the code names exists in both languages; no user text outside it.

Static scans of app/ and gis/ (the AST, not regular expressions), so a code typed in a new module is checked
without a test reaching the line that raises it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from string import Formatter

import pytest

from app.i18n import LANGS, MESSAGES, CatalogueError, load_catalogue, t

ROOT = Path(__file__).resolve().parents[1]
CODE = re.compile(r"^[a-z][a-z0-9_]*$")
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

# Calls whose first argument is a message code, and those whose second is.
FIRST = {"t", "DomainError", "NotFound", "Invalid", "Conflict", "PreconditionRequired", "Unauthorized", "Forbidden"}
FIRST |= {"FileRefused", "CoordinateError", "GeometryError"}
SECOND = {"Problem", "FieldProblem"}

# Modules of app/ that may hold Chinese literals, and why.
CHINESE_ALLOWED = {
    # sample data: the demonstration city's names (enterprises, people, places) are Chinese proper names
    "app/seed.py": "sample data",
    "app/ops/synth.py": "synthetic sample names",
    # patterns that read what people type (2026年5月10日, full-width signs); not shown to anyone
    "app/imports/validate.py": "input syntax",
    "app/monitoring/service.py": "input syntax",
    "app/bureau/pond_registry.py": "input syntax (dates, and its own stricter yes/no words)",
    # the operator's terminal: bilingual titles, never a page
    "app/cli.py": "operator console",
}
# Keyword arguments that document the API or the command line (English, naming a document by its Chinese
# title) or give OpenAPI example bodies: not user messages.
DOC_KEYWORDS = {"summary", "description", "help", "examples"}


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _sources() -> list[tuple[str, ast.Module]]:
    out = []
    for base in ("app", "gis"):
        for path in sorted((ROOT / base).rglob("*.py")):
            out.append((path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8"))))
    return out


def _codes_used() -> tuple[dict[str, str], dict[str, str]]:
    """(code -> where, f-string prefix -> where) for every message code written in app/ and gis/."""
    codes: dict[str, str] = {}
    prefixes: dict[str, str] = {}

    def note(node: ast.expr | None, where: str) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.match(node.value):
            codes.setdefault(node.value, where)
        elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
            prefix = str(node.values[0].value)
            if CODE.match(prefix):
                prefixes.setdefault(prefix, where)

    for path, tree in _sources():
        for node in ast.walk(tree):
            where = f"{path}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call):
                name = _name(node.func)
                if name in FIRST and node.args:
                    note(node.args[0], where)
                if name in SECOND and len(node.args) > 1:
                    note(node.args[1], where)
                for kw in node.keywords:
                    if kw.arg == "code" and name in FIRST | SECOND:
                        note(kw.value, where)
            elif isinstance(node, ast.Dict):  # {"what_code": "well"}: a parameter rendered as a message
                for k, v in zip(node.keys, node.values, strict=True):
                    if isinstance(k, ast.Constant) and isinstance(k.value, str) and k.value.endswith("_code"):
                        note(v, where)
            elif isinstance(node, ast.Assign) and any(
                isinstance(tg, ast.Name) and tg.id == "JS_MESSAGES" for tg in node.targets
            ):
                for elt in getattr(node.value, "elts", []):
                    note(elt, where)
    return codes, prefixes


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


def test_every_code_has_every_language():
    assert len(MESSAGES) > 700
    for code, entry in MESSAGES.items():
        assert CODE.match(code), code
        for lang in LANGS:
            assert isinstance(entry.get(lang), str) and entry[lang].strip(), (code, lang)
        assert HAN.search(entry["zh"]) or not HAN.search(entry["en"]), code


def test_both_languages_take_the_same_parameters():
    # crs_detected: the Chinese sentence names the system only, the English one adds why it was chosen
    different = {c for c, e in MESSAGES.items() if _placeholders(e["zh"]) != _placeholders(e["en"])}
    assert different == {"crs_detected"}


def test_english_messages_have_no_chinese():
    # the element template's example rows are named 示例-… in both languages, so either template's example
    # rows read as examples to a Chinese reader of the file
    assert [c for c, e in MESSAGES.items() if HAN.search(e["en"])] == ["template_example_name"]


def test_every_code_used_in_code_exists_in_every_language():
    codes, prefixes = _codes_used()
    # the scan reaches every kind of call that names a code
    assert {
        "not_found",
        "registry_required",
        "import_empty",
        "file_empty",
        "dossier_no_elements",
        "type_integer",
    } <= set(codes)
    # strings that look like codes but are not: severities, keys given to other things
    not_messages = {"warning", "error"}
    missing = sorted(f"{c} ({w})" for c, w in codes.items() if c not in MESSAGES and c not in not_messages)
    assert not missing, missing
    orphan_prefixes = sorted(f"{p} ({w})" for p, w in prefixes.items() if not any(c.startswith(p) for c in MESSAGES))
    assert not orphan_prefixes, orphan_prefixes


def _chinese_literals(tree: ast.Module) -> list[tuple[int, str]]:
    skipped = set()
    for node in ast.walk(tree):
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        if any(isinstance(tg, ast.Name) and tg.id.endswith("_EXAMPLE") for tg in targets):
            # an example body (OpenAPI) or example row (templates): sample data, not messages
            skipped.update(id(n) for n in ast.walk(node.value))  # type: ignore[union-attr]
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg in DOC_KEYWORDS:
                    skipped.update(id(n) for n in ast.walk(kw.value))
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skipped.add(id(first.value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skipped
        and HAN.search(node.value)
    ]


def test_no_chinese_text_outside_the_catalogue_and_layers():
    found = {
        f"{path}:{line}: {value[:40]}"
        for path, tree in _sources()
        if path.startswith("app/") and path not in CHINESE_ALLOWED
        for line, value in _chinese_literals(tree)
    }
    assert not found, sorted(found)


def test_the_allow_list_is_still_needed():
    sources = dict(_sources())
    assert [p for p in CHINESE_ALLOWED if not _chinese_literals(sources[p])] == []


def test_lookup_falls_back_and_fills_leniently():
    assert t("no_such_code", "zh") == "no_such_code"
    assert t("not_found", "en", what="pond") == "pond not found: {id}"
    assert t("not_found", "zh", what="尾矿库", id=3) == "未找到尾矿库：3"


def test_a_broken_catalogue_is_refused_naming_the_entry(tmp_path: Path):
    bad = tmp_path / "messages.yaml"
    bad.write_text(
        "ok:\n  zh: 好\n  en: fine\nhalf:\n  zh: 只有中文\nbrace:\n  zh: '{x'\n  en: '{x}'\n", encoding="utf-8"
    )
    with pytest.raises(CatalogueError) as e:
        load_catalogue(bad)
    assert "half" in str(e.value) and "brace.zh" in str(e.value) and "ok" not in str(e.value).split(": ", 1)[1]


def test_the_vocabulary_layer_loads_and_a_broken_one_is_refused(tmp_path: Path):
    from app.vocabulary import load_vocabulary

    v = load_vocabulary(ROOT / "layers" / "vocabulary.yaml")
    assert "采样日期" in v.headings("monitoring")["date"] and "未检出" in v.values.below_detection
    assert v.headings("districts")["adcode"][1] == "行政区划代码"  # the label problems name
    broken = tmp_path / "vocabulary.yaml"
    broken.write_text(
        (ROOT / "layers" / "vocabulary.yaml").read_text(encoding="utf-8").replace("unit: [unit, 单位]", "unit: []"),
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="columns.monitoring.unit"):
        load_vocabulary(broken)
