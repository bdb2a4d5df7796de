"""Free text in requests: one rule for every field (gis.formats.text says what it is and why).

`Text` goes into a pydantic field's `Annotated`: the value is normalised (NFC, LF line breaks) and refused,
with a message naming the field by its label, when it holds a forbidden character, is too long, is blank
where required, or breaks a line where one line is expected:

    note: Annotated[str | None, Text("field_note", 4000)] = None

The label is a message code of the catalogue (app/messages.yaml), shown in the user's language.

`accept` applies the same rule to a value of a body that is not a pydantic model (a GeoJSON feature, say).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

from app.errors import FieldProblem, Invalid
from app.i18n import LANGS, t
from gis.formats.text import first_forbidden, normalise


class TextRefused(ValueError):
    def __init__(self, code: str, params: dict[str, Any]):
        super().__init__(code)
        self.code, self.params = code, params


@dataclass(frozen=True)
class Text:
    """The rule for one free-text field: its label (a message code) and limits."""

    label: str
    max_length: int
    min_length: int = 0
    single_line: bool = False

    @property
    def labels(self) -> dict[str, str]:
        return {lang: t(self.label, lang) for lang in LANGS}

    def check(self, value: str) -> str:
        """`value` normalised, or TextRefused (code and params for the message)."""
        text = normalise(value)
        params: dict[str, Any] = {"labels": self.labels}
        if (bad := first_forbidden(text)) is not None:
            raise TextRefused("text_forbidden_char", params | {"position": bad[0], "char": bad[1]})
        if len(text) > self.max_length:
            raise TextRefused("text_too_long", params | {"limit": self.max_length, "length": len(text)})
        if self.min_length and len(text.strip()) < self.min_length:
            code = "text_blank" if not text.strip() else "text_too_short"
            raise TextRefused(code, params | {"limit": self.min_length})
        if self.single_line and ("\n" in text.strip() or "\t" in text.strip()):
            raise TextRefused("text_single_line", params)
        return text

    def _validate(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value  # the type check after this one says what is wrong
        try:
            return self.check(value)
        except TextRefused as exc:
            raise PydanticCustomError(exc.code, exc.code, exc.params) from None

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(self._validate, handler(source))

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> Any:
        json = handler(schema)
        target = json
        for option in json.get("anyOf", ()):
            if option.get("type") == "string":
                target = option
        target["maxLength"] = self.max_length
        if self.min_length:
            target["minLength"] = self.min_length
        return json


def accept(value: Any, field: str, rule: Text) -> Any:
    """`value` (a string; anything else is left to the caller's type check) by `rule`, or Invalid naming `field`."""
    if not isinstance(value, str):
        return value
    try:
        return rule.check(value)
    except TextRefused as exc:
        raise Invalid("validation_failed", problems=[FieldProblem(field, exc.code, exc.params)]) from None


def problem(value: Any, field: str, rule: Text) -> tuple[Any, FieldProblem | None]:
    """Like `accept`, for checks that gather every problem first: (the normalised value, the problem or None)."""
    if not isinstance(value, str):
        return value, None
    try:
        return rule.check(value), None
    except TextRefused as exc:
        return value, FieldProblem(field, exc.code, exc.params)
