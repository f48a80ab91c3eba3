"""Import every model so that the mapper registry and Alembic see the whole schema."""

from crm.accounts.models import User
from crm.attachments.models import Attachment, AttachmentKind
from crm.core.audit import AuditAction, AuditEvent
from crm.dashboards.models import Target
from crm.enterprises.models import Contact, Enterprise, EnterpriseKind, EnterpriseSize, Ownership
from crm.followups.models import FollowUp
from crm.pipeline.models import InvestmentProject, ProjectSource, ProjectStatus, Stage, StageChange
from crm.reports.models import ReportStatus, TripReport
from crm.sectors.models import Sector
from crm.trips.models import DelegationMember, Trip, TripStatus
from crm.visits.models import DaySlot, InterestLevel, Visit, VisitDirection

__all__ = [
    "Attachment",
    "AttachmentKind",
    "AuditAction",
    "AuditEvent",
    "Contact",
    "DaySlot",
    "DelegationMember",
    "Enterprise",
    "EnterpriseKind",
    "EnterpriseSize",
    "FollowUp",
    "InterestLevel",
    "InvestmentProject",
    "Ownership",
    "ProjectSource",
    "ProjectStatus",
    "ReportStatus",
    "Sector",
    "Stage",
    "StageChange",
    "Target",
    "Trip",
    "TripReport",
    "TripStatus",
    "User",
    "Visit",
    "VisitDirection",
]
