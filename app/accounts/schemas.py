"""Response bodies of the account routes."""

from __future__ import annotations

from pydantic import BaseModel


class Organisation(BaseModel):
    id: int
    kind: str
    name: str
    adcode: int | None
    enterprise_id: int | None


class Me(BaseModel):
    id: int
    username: str
    display_name: str
    role: str
    organisation: Organisation
