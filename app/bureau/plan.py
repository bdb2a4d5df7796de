"""The shape every bureau upload takes: a plan of what the file would do, previewed, then committed as is.

The preview answers the plan with its fingerprint; the commit re-plans from the stored file (with the rows
locked) and applies it only if the fingerprint is unchanged, so what was shown is what is written.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from app.errors import Conflict, Invalid
from app.i18n import Lang
from app.imports.service import describe

ROW_ACTIONS = ("add", "update", "unchanged", "error")


@dataclass
class UploadPlan:
    filename: str
    sha256: str
    format: str
    crs: str | None
    rows: list[dict[str, Any]]  # one per row of the file: its action and problems, and what it writes
    problems: list[dict[str, Any]]  # file-level

    def identity(self) -> list[Any]:
        """What the fingerprint covers: everything the commit would write, and the state it starts from."""
        raise NotImplementedError

    def fingerprint(self) -> str:
        body = json.dumps(self.identity(), sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(body.encode()).hexdigest()

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p["severity"] == "error") + sum(
            1 for r in self.rows if r["action"] == "error"
        )

    def counts(self) -> dict[str, int]:
        return {a: sum(1 for r in self.rows if r["action"] == a) for a in ROW_ACTIONS}

    def described_problems(self, lang: Lang) -> list[dict[str, Any]]:
        """Every problem, file-level and per row, errors first, each with its message in `lang`."""
        problems = self.problems + [x for r in self.rows for x in r["problems"]]
        problems.sort(key=lambda x: x["severity"] != "error")
        return [{**x, "message": describe(x, lang)} for x in problems]

    def ensure_committable(self, fingerprint: str) -> None:
        """Refuse the commit if the data changed since the preview, or if the file has errors."""
        if self.fingerprint() != fingerprint:
            raise Conflict("registry_changed_since_preview")
        if self.errors:
            raise Invalid("import_has_errors", {"errors": self.errors})
