"""The one place that says what text the service takes in and how it writes text out.

Accepted text:
- Unicode NFC (a name typed on two systems compares equal); line breaks as LF (CRLF and a lone CR become LF).
- Tab and LF are the only control characters. Refused: the other C0 controls (U+0000-U+001F), DEL and the C1
  controls (U+007F-U+009F), lone surrogates (U+D800-U+DFFF) and the non-characters U+FFFE/U+FFFF. None of them
  is visible, and each breaks one of our outputs: XML 1.0 (XLSX, KML) cannot carry most of them, PostgreSQL
  refuses U+0000, UTF-8 refuses surrogates.
- Lengths: each field has its limit (`app.text` for request fields; `CELL_MAX` for a cell of an upload).

Where the rule is enforced:
- Request fields (`app.text`): refused with an error naming the field by its label and the character.
- Cells of uploaded files (`clean_cell`): the characters are removed and a warning names the cell. The author
  cannot see them and usually got them by copy and paste, so refusing the whole import would help nobody; a
  cell longer than `CELL_MAX` is an error, since cutting it would lose data silently.

Writing out: rows stored before this rule (or by other means) may hold anything, so every writer passes text
through `printable`. Spreadsheet cells holding text are always text cells, never formulas: a value starting
with `=`, `+`, `-`, `@`, tab or CR (OWASP's list for formula injection) is written as a string cell with
Excel's quote prefix, so the original text is kept and a re-import gives it back exactly. In CSV, where every
cell is text, such a value gets a leading apostrophe (OWASP), which `csv_unguard` removes on reading.
Numbers stay numbers: only text is affected.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_FORBIDDEN_INPUT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")  # CR is gone by then
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CELL_MAX = 4000  # characters of one text cell of an upload (the longest free text a form takes)
XLSX_CELL_MAX = 32767  # Excel's own limit


def normalise(value: str) -> str:
    """NFC, line breaks as LF."""
    return unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))


def codepoint(char: str) -> str:
    return f"U+{ord(char):04X}"


def first_forbidden(value: str) -> tuple[int, str] | None:
    """(1-based position, U+XXXX) of the first character `value` (normalised) may not hold, or None."""
    m = _FORBIDDEN_INPUT.search(value)
    return (m.start() + 1, codepoint(m.group())) if m else None


def clean(value: str) -> tuple[str, list[str]]:
    """`value` normalised, forbidden characters removed; and which were removed (U+XXXX, each once)."""
    text = normalise(_surrogates_out(value))
    removed = list(dict.fromkeys(codepoint(c) for c in _FORBIDDEN_INPUT.findall(text)))
    removed = list(dict.fromkeys(removed + _surrogates_in(value)))
    return (_FORBIDDEN_INPUT.sub("", text) if removed else text), removed


def _surrogates_in(value: str) -> list[str]:
    return [codepoint(c) for c in value if "\ud800" <= c <= "\udfff"]


def _surrogates_out(value: str) -> str:
    # NFC of a string with lone surrogates works, but encoding it anywhere later fails: drop them first
    return re.sub("[\ud800-\udfff]", "", value)


def clean_cell(value: Any, *, limit: int | None = CELL_MAX) -> tuple[Any, str | None, dict[str, Any]]:
    """A cell of an upload as it will be read: (value, problem code or None, its params).

    Codes: `cell_chars_removed` (a warning: the value is usable) and `cell_too_long` (an error)."""
    if not isinstance(value, str):
        return value, None, {}
    text, removed = clean(value)
    if limit is not None and len(text) > limit:
        return text, "cell_too_long", {"limit": limit, "length": len(text)}
    if removed:
        return text, "cell_chars_removed", {"chars": " ".join(removed)}
    return text, None, {}


def printable(value: str) -> str:
    """Stored text as any of our files can carry it: the forbidden characters dropped, the rest kept as stored."""
    return FORBIDDEN.sub("", value) if FORBIDDEN.search(value) else value


def printable_value(value: Any) -> Any:
    return printable(value) if isinstance(value, str) else value


def formula_like(value: Any) -> bool:
    """Text a spreadsheet program would take for a formula (or a DDE command) if typed into a cell."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


# --- XLSX (openpyxl) ---------------------------------------------------------------------------------------


def sheet_value(value: Any) -> Any:
    """A value safe to assign to an openpyxl cell (which refuses control characters with an exception)."""
    if isinstance(value, str):
        return printable(value)[:XLSX_CELL_MAX]
    return value


def as_text(cell: Any) -> Any:
    """Make an openpyxl cell holding a string a text cell: never a formula, quote-prefixed when it looks like one
    (Excel then keeps it text even when someone edits the cell)."""
    if isinstance(cell._value, str):
        if FORBIDDEN.search(cell._value):
            cell._value = printable(cell._value)
        if cell.data_type in ("f", "s", "inlineStr", "str"):
            cell.data_type = "s"
        if formula_like(cell._value):
            cell.quotePrefix = True
    return cell


def text_cells(ws: Any, values: Iterable[Any]) -> list[Any]:
    """Values of one row for `ws.append` of a write-only sheet: strings as text cells."""
    from openpyxl.cell import WriteOnlyCell

    return [as_text(WriteOnlyCell(ws, sheet_value(v))) if isinstance(v, str) else v for v in values]


def harden(wb: Any) -> None:
    """Every string cell of a (not write-only) workbook a text cell: what `workbook_bytes` does before saving."""
    for ws in wb.worksheets:
        for cell in getattr(ws, "_cells", {}).values():
            as_text(cell)


def workbook_bytes(wb: Any) -> bytes:
    """The workbook as XLSX bytes, every text a text cell (the one way our workbooks are saved)."""
    import io

    if not getattr(wb, "write_only", False):
        harden(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- CSV ---------------------------------------------------------------------------------------------------


def csv_field(value: Any) -> str:
    """A value as a CSV field: text that looks like a formula gets a leading apostrophe (OWASP); numbers as is."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = printable(value)
        return "'" + text if formula_like(text) else text
    return str(value)


def csv_unguard(value: str) -> str:
    """A CSV field as it was before `csv_field`: the apostrophe before a formula character removed."""
    if value.startswith("'") and value[1:2] and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value
