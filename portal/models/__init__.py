from .accounts import RoleAssignment
from .audit import AuditArchive, AuditLog
from .enterprises import Enterprise, EnterprisePerson, Person
from .imports import ImportBatch, ImportRow
from .institutions import Branch, Institution
from .outbox import OutboxMessage
from .regions import Park, Region
from .stations import ServiceStation

__all__ = [
    "AuditArchive",
    "AuditLog",
    "Branch",
    "Enterprise",
    "EnterprisePerson",
    "ImportBatch",
    "ImportRow",
    "Institution",
    "OutboxMessage",
    "Park",
    "Person",
    "Region",
    "RoleAssignment",
    "ServiceStation",
]
