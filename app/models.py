"""Every mapped table, imported in one place for Alembic and the tests."""

from app.accounts.models import AuditEntry, AuthSession, LoginThrottle, Organisation, PondChief, User
from app.db import Base
from app.elements.models import Element, ElementRevision
from app.hazards.models import Hazard, HazardStep
from app.imagery.models import DerivedGeometry, Image, ImagePond
from app.imports.models import ElementReview, ImportBatch, ImportRow
from app.inspections.models import ChecklistTemplate, Inspection, InspectionAnswer
from app.jobs.models import Job
from app.monitoring.models import MonitoringImport, MonitoringResult
from app.photos.models import Photo
from app.ponds.models import Enterprise, Pond
from app.records.models import (
    PollutionFacility,
    PondDocument,
    PondPermits,
    PondProject,
    RecordRevision,
    TailingsLedger,
)
from app.reference.models import District, River, SensitiveTarget
from app.tiles.models import DataVersion

__all__ = [
    "ChecklistTemplate",
    "Hazard",
    "HazardStep",
    "Inspection",
    "InspectionAnswer",
    "Photo",
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
    "ElementReview",
    "ImportBatch",
    "ImportRow",
    "Enterprise",
    "Pond",
    "River",
    "SensitiveTarget",
    "MonitoringImport",
    "MonitoringResult",
    "PollutionFacility",
    "PondDocument",
    "PondPermits",
    "PondProject",
    "RecordRevision",
    "TailingsLedger",
]
