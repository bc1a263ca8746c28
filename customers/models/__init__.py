from .appointments import AftercareCall, Appointment
from .audit import AuditEvent
from .cards import Card, CardEntry
from .customers import Channel, Customer
from .imports import ImportBatch
from .staff import Staff
from .stores import Store
from .visits import Service, Visit

__all__ = [
    "AftercareCall",
    "Appointment",
    "AuditEvent",
    "Card",
    "CardEntry",
    "Channel",
    "Customer",
    "ImportBatch",
    "Service",
    "Staff",
    "Store",
    "Visit",
]
