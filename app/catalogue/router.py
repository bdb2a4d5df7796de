from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from app import registry
from app.accounts.deps import SignedIn
from app.responses import SIGNED_IN

router = APIRouter(prefix="/api", tags=["catalogue"], responses=SIGNED_IN)


@router.get("/element-types", summary="The element catalogue: nine types, their kinds, attributes and styles")
def element_types(actor: SignedIn) -> dict[str, Any]:
    cat = registry.catalogue()
    return {
        "version": cat.version,
        "types": [t.model_dump(exclude={"kinds": {"__all__": {"type_code"}}}) for t in cat.types],
    }
