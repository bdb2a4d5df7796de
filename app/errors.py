"""Domain errors. Each carries a message code and parameters; one handler renders it in the user's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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


class Conflict(DomainError):
    status_code = 409


class PreconditionRequired(DomainError):
    status_code = 428


class Unauthorized(DomainError):
    status_code = 401


class Forbidden(DomainError):
    status_code = 403
