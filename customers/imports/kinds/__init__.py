"""One importer per kind of file (DESIGN §5.2)."""

from .base import Importer
from .cards import CardImporter
from .customers import CustomerImporter
from .directory import StaffImporter, StoreImporter
from .visits import VisitImporter

IMPORTERS: dict[str, type[Importer]] = {
    "stores": StoreImporter,
    "staff": StaffImporter,
    "customers": CustomerImporter,
    "visits": VisitImporter,
    "cards": CardImporter,
}

__all__ = ["IMPORTERS", "Importer"]
