"""Reading one YAML file of `layers/` into its pydantic model: a broken file is a ValueError naming the file and
what is wrong, so the service refuses to start with it."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


def read_layer(path: Path, model: type[M], what: str = "") -> M:
    """`path` validated as `model`; `what` ("invalid records file ") goes before the path in the error."""
    try:
        return model.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ValueError(f"{what}{path}: {exc}") from exc
