"""Messages in Chinese (the default) and English, chosen from the Accept-Language header.

Every message a user can see has a code in one catalogue, `app/messages.yaml`, loaded once and checked
here. Parameters are filled with str.format; a missing parameter leaves its placeholder, so a message never
fails to render.

Why a YAML catalogue keyed by code rather than gettext (.po) files: callers name messages by code (error
codes travel in JSON, problems are stored with their code and rendered later in the reader's language,
pages pick codes by prefix for their scripts), so a gettext msgid would be the code anyway and extraction
could not find the codes that are built from data (`status_{state}`, `kind_{code}`). Chinese has one
plural form, and the English messages are written without count-dependent words, so plural forms would add
nothing that tests or users can see today. The checks gettext tools give (every code in every language) are
made when the catalogue loads and by tests/test_messages.py.
"""

from __future__ import annotations

from pathlib import Path
from string import Formatter
from typing import Any, Literal

import yaml

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
CATALOGUE = Path(__file__).resolve().parent / "messages.yaml"


class CatalogueError(ValueError):
    """The message catalogue is malformed (a start-up error, never a user's)."""


def load_catalogue(path: Path = CATALOGUE) -> dict[str, dict[Lang, str]]:
    """The catalogue as {code: {zh, en}}, in file order; refuses entries without both languages."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    if not isinstance(data, dict):
        raise CatalogueError(f"{path}: expected a mapping of message codes")
    problems = []
    for code, entry in data.items():
        if not isinstance(entry, dict) or set(entry) != set(LANGS):
            problems.append(f"{code}: needs exactly the languages {', '.join(LANGS)}")
            continue
        for lang, text in entry.items():
            if not isinstance(text, str) or not text:
                problems.append(f"{code}.{lang}: empty or not text")
                continue
            try:
                list(Formatter().parse(text))
            except ValueError as e:
                problems.append(f"{code}.{lang}: {e}")
    if problems:
        raise CatalogueError(f"{path}: " + "; ".join(problems))
    return data


MESSAGES: dict[str, dict[Lang, str]] = load_catalogue()


class _Lenient(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def negotiate(accept_language: str | None, default: Lang = "zh") -> Lang:
    """Pick zh or en from an Accept-Language header, honouring q-values; Chinese wins ties."""
    if not accept_language:
        return default
    best: tuple[float, Lang] | None = None
    for part in accept_language.split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in ("zh", "en") and q > 0 and (best is None or q > best[0]):
            best = (q, primary)  # type: ignore[assignment]
    return best[1] if best else default


def t(code: str, lang: Lang, **params: Any) -> str:
    """The message `code` in `lang`, with parameters filled in; unknown codes come back as the code."""
    entry = MESSAGES.get(code)
    if entry is None:
        return code
    template = entry.get(lang) or entry["en"]
    return Formatter().vformat(template, (), _Lenient(params))


def label(labels: dict[str, str] | None, lang: Lang) -> str:
    """Pick the label of a catalogue entry ({zh, en}) in `lang`."""
    if not labels:
        return ""
    return labels.get(lang) or labels.get("zh") or next(iter(labels.values()))
