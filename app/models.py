"""Every mapped table, imported in one place for Alembic and the tests."""

from app.accounts.models import AuditEntry, AuthSession, LoginThrottle, Organisation, PondChief, User
from app.db import Base
from app.elements.models import Element, ElementRevision
from app.imagery.models import DerivedGeometry, Image, ImagePond
from app.jobs.models import Job
from app.ponds.models import Enterprise, Pond
from app.reference.models import District, River, SensitiveTarget
from app.tiles.models import DataVersion

__all__ = [
    "DataVersion",
    "DerivedGeometry",
    "Image",
    "ImagePond",
    "Job",
    "AuditEntry",
    "AuthSession",
    "Base",
    "District",
    "LoginThrottle",
    "Organisation",
    "PondChief",
    "User",
    "Element",
    "ElementRevision",
    "Enterprise",
    "Pond",
    "River",
    "SensitiveTarget",
]
