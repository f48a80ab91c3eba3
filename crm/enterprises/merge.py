"""Merging an enterprise entered twice into one, and undoing it while nothing else has changed.

A merge is one transaction and one audit event: the record rows move with set-based UPDATEs (the audit
listener sees no row-by-row changes), and the event keeps everything the undo needs — both records'
values before, the ids of every row moved, the aliases and sector links added.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from crm.accounts.models import User
from crm.core import searchkeys
from crm.core.audit import AuditAction, AuditEvent, _plain, record
from crm.core.time import utcnow
from crm.enterprises.models import AliasKind, Contact, Enterprise, EnterpriseAlias, enterprise_sectors
from crm.enterprises.services import ENTERPRISE_FIELDS
from crm.extensions import db
from crm.followups.models import FollowUp
from crm.pipeline.models import InvestmentProject
from crm.visits.models import Visit

# The fields a manager chooses between, one by one.
MERGE_FIELDS = (*ENTERPRISE_FIELDS, "parent_id", "owner_id")
# Every row that points at an enterprise, by the table the undo names it with.
CHILDREN = {
    "visits": Visit.enterprise_id,
    "contacts": Contact.enterprise_id,
    "investment_projects": InvestmentProject.enterprise_id,
    "follow_ups": FollowUp.enterprise_id,
    "enterprise_aliases": EnterpriseAlias.enterprise_id,
    "enterprises": Enterprise.parent_id,  # the other's group members join the survivor's group
}


class MergeRefused(Exception):
    """Why a merge or its undo cannot be done; the message is for the user."""


def merge_value(enterprise: Enterprise, field: str) -> str:
    """A field's value as the merge page shows it."""
    if field == "parent_id":
        return enterprise.parent.display_name if enterprise.parent else ""
    if field == "owner_id":
        return enterprise.owner.display_name if enterprise.owner else ""
    value = getattr(enterprise, field)
    return getattr(value, "label", value) or ""


def _values(enterprise: Enterprise) -> dict:
    return {field: _plain(getattr(enterprise, field)) for field in MERGE_FIELDS}


def _update(model, ids: Iterable[int], **values) -> None:
    ids = list(ids)
    if ids:
        db.session.execute(sa.update(model).where(model.id.in_(ids)).values(**values))


def merge_enterprises(
    survivor: Enterprise, other: Enterprise, take_from_other: Iterable[str], *, by: User
) -> AuditEvent:
    """Fold `other` into `survivor`: chosen values, every linked row, its names as aliases. One audit event."""
    if survivor.id == other.id or survivor.deleted_at is not None or other.deleted_at is not None:
        raise MergeRefused("Choose two different enterprises that are not deleted.")
    db.session.flush()
    chosen = {field: getattr(other, field) for field in take_from_other if field in MERGE_FIELDS}
    if chosen.get("parent_id") in (survivor.id, other.id):
        chosen["parent_id"] = None
    if not (chosen.get("name", survivor.name) or chosen.get("local_name", survivor.local_name)):
        raise MergeRefused("The merged enterprise needs a name.")
    details = {"merged_id": other.id, "survivor_before": _values(survivor), "other_before": _values(other)}
    moved = {}
    for table, column in CHILDREN.items():
        model = column.class_
        # (The survivor itself may be a member of the other's group: it does not become its own member.)
        others = [model.id != survivor.id] if model is Enterprise else []
        ids = list(db.session.scalars(sa.select(model.id).where(column == other.id, *others)))
        _update(model, ids, **{column.key: survivor.id})
        moved[table] = ids
    details["moved"] = moved
    details["sectors_added"] = _add_sectors(survivor, other)
    details["aliases_added"] = _names_become_aliases(survivor, other)
    _update(Enterprise, [survivor.id], version=Enterprise.version + 1, updated_at=utcnow(), **chosen)
    _update(Enterprise, [other.id], version=Enterprise.version + 1, deleted_at=utcnow())
    event = record(AuditAction.MERGE, survivor, details=details, user=by)
    _refresh_keys([survivor.id, other.id, *moved["enterprises"]])
    return event


def _add_sectors(survivor: Enterprise, other: Enterprise) -> list[int]:
    have = {sector.id for sector in survivor.sectors}
    added = [sector.id for sector in other.sectors if sector.id not in have]
    if added:
        rows = [{"enterprise_id": survivor.id, "sector_id": sector_id} for sector_id in added]
        db.session.execute(enterprise_sectors.insert(), rows)
    return added


def _names_become_aliases(survivor: Enterprise, other: Enterprise) -> list[int]:
    """The merged record's names stay findable: they become aliases of the survivor."""
    names = [name for name in (other.name, other.local_name) if name]
    table = EnterpriseAlias.__table__
    now = utcnow()
    ids = []
    for name in names:
        values = {"enterprise_id": survivor.id, "name": name, "kind": AliasKind.MERGED, "created_at": now}
        inserted = db.session.execute(table.insert().values(**values, updated_at=now).returning(table.c.id))
        ids.append(inserted.scalar_one())
    return ids


def _refresh_keys(enterprise_ids: list[int]) -> None:
    db.session.expire_all()
    enterprises = db.session.scalars(sa.select(Enterprise).where(Enterprise.id.in_(enterprise_ids))).all()
    searchkeys.refresh(db.session.connection(), [e for e in enterprises if e.deleted_at is None])
    for enterprise in enterprises:
        if enterprise.deleted_at is not None:  # a merged record is found through the survivor's aliases
            enterprise._search_gone = True
            searchkeys.refresh(db.session.connection(), [enterprise])
            del enterprise._search_gone


def _touched(event: AuditEvent) -> list[tuple[str, int]]:
    details = event.changes
    records = [("enterprises", event.entity_id), ("enterprises", details["merged_id"])]
    for table, ids in details["moved"].items():
        records += [(table, record_id) for record_id in ids]
    return records + [("enterprise_aliases", alias_id) for alias_id in details["aliases_added"]]


def can_undo(event: AuditEvent) -> bool:
    """A merge can be undone while no later event touched the two enterprises or anything that moved."""
    if event.action != AuditAction.MERGE:
        return False
    later = sa.select(AuditEvent.id).where(
        AuditEvent.id > event.id,
        sa.tuple_(AuditEvent.entity_type, AuditEvent.entity_id).in_(_touched(event)),
    )
    return db.session.scalar(later.limit(1)) is None


def undo_merge(event: AuditEvent, *, by: User) -> AuditEvent:
    """Put both enterprises and every moved row back as they were before the merge. One audit event."""
    if not can_undo(event):
        raise MergeRefused("Something has changed since this merge: it can no longer be undone.")
    details = event.changes
    survivor_id, other_id = event.entity_id, details["merged_id"]
    for table, column in CHILDREN.items():
        _update(column.class_, details["moved"][table], **{column.key: other_id})
    if details["aliases_added"]:
        db.session.execute(sa.delete(EnterpriseAlias).where(EnterpriseAlias.id.in_(details["aliases_added"])))
    if details["sectors_added"]:
        db.session.execute(
            enterprise_sectors.delete().where(
                enterprise_sectors.c.enterprise_id == survivor_id,
                enterprise_sectors.c.sector_id.in_(details["sectors_added"]),
            )
        )
    _update(Enterprise, [survivor_id], version=Enterprise.version + 1, **details["survivor_before"])
    _update(Enterprise, [other_id], version=Enterprise.version + 1, deleted_at=None, **details["other_before"])
    survivor = db.session.get(Enterprise, survivor_id)
    undone = record(AuditAction.UNMERGE, survivor, details={"undoes_event": event.id, "restored_id": other_id}, user=by)
    _refresh_keys([survivor_id, other_id, *details["moved"]["enterprises"]])
    return undone
