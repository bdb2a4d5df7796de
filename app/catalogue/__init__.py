"""The element catalogue: the nine types of supervision elements, their kinds and attributes, as data."""

from app.catalogue.model import AttributeSpec, Catalogue, ElementKind, ElementType, load_catalogue

__all__ = ["AttributeSpec", "Catalogue", "ElementKind", "ElementType", "load_catalogue"]
