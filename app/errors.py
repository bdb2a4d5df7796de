"""Domain errors. Each carries a message code and parameters; one handler renders it in the user's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.i18n import Lang, label, t


@dataclass
class FieldProblem:
    """One problem with one input field: where (`field`, a dotted path), why (`code`), and `params`."""

    field: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)


class DomainError(Exception):
    status_code = 400

    def __init__(self, code: str, params: dict[str, Any] | None = None, problems: list[FieldProblem] | None = None):
        super().__init__(code)
        self.code = code
        self.params = params or {}
        self.problems = problems or []


class NotFound(DomainError):
    status_code = 404


class Invalid(DomainError):
    status_code = 422


class BodyInvalid(Invalid):
    """A request body its model refuses, checked in a service (the model depends on the body's kind): the
    handler reports pydantic's `errors` as it reports a body FastAPI checked."""

    def __init__(self, errors: list[dict[str, Any]]):
        super().__init__("validation_failed")
        self.errors = errors


class Conflict(DomainError):
    status_code = 409


class PreconditionRequired(DomainError):
    status_code = 428


class Unauthorized(DomainError):
    status_code = 401


class Forbidden(DomainError):
    status_code = 403


def render_params(params: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """Translate parameters that are themselves messages (`*_code`) or label sets (`labels`)."""
    out: dict[str, Any] = {}
    for key, value in params.items():
        if key.endswith("_code") and isinstance(value, str):
            out[key[: -len("_code")]] = t(value, lang)
        elif key == "labels" and isinstance(value, dict):
            out["label"] = label(value, lang)
        else:
            out[key] = value
    return out
