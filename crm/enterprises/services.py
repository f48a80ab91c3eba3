"""Writes for enterprises and contacts. Services flush; the view commits."""

from __future__ import annotations

from crm.accounts.models import User
from crm.enterprises.models import AliasKind, Contact, Enterprise, EnterpriseAlias
from crm.extensions import db
from crm.sectors.queries import sectors_by_ids

ENTERPRISE_FIELDS = (
    "name",
    "local_name",
    "kind",
    "ownership",
    "country",
    "province",
    "city",
    "address",
    "website",
    "size",
    "description",
)
CONTACT_FIELDS = ("name", "local_name", "title", "department", "phone", "mobile", "email", "wechat", "notes")


def _apply_enterprise(enterprise: Enterprise, values: dict) -> None:
    for field in ENTERPRISE_FIELDS:
        if field in values:
            setattr(enterprise, field, values[field])
    if "sector_ids" in values:
        enterprise.sectors = sectors_by_ids(values["sector_ids"])
    if "parent_id" in values:
        enterprise.parent_id = values["parent_id"]
    if values.get("owner_id"):
        enterprise.owner_id = values["owner_id"]


def create_enterprise(values: dict, *, by: User) -> Enterprise:
    enterprise = Enterprise(owner_id=by.id)
    _apply_enterprise(enterprise, values)
    db.session.add(enterprise)
    db.session.flush()
    return enterprise


def update_enterprise(enterprise: Enterprise, values: dict) -> Enterprise:
    _apply_enterprise(enterprise, values)
    db.session.flush()
    return enterprise


def add_alias(enterprise: Enterprise, name: str, kind: AliasKind) -> EnterpriseAlias:
    alias = EnterpriseAlias(name=name, kind=kind)
    enterprise.aliases.append(alias)
    db.session.flush()
    return alias


def remove_alias(alias: EnterpriseAlias) -> None:
    alias.enterprise.aliases.remove(alias)  # delete-orphan: the row goes, and the keys follow
    db.session.flush()


def create_contact(enterprise: Enterprise, values: dict, *, by: User) -> Contact:
    contact = Contact(enterprise=enterprise, owner_id=by.id)
    db.session.add(contact)
    return update_contact(contact, values)


def update_contact(contact: Contact, values: dict) -> Contact:
    for field in CONTACT_FIELDS:
        if field in values:
            setattr(contact, field, values[field])
    if values.get("enterprise_id"):
        contact.enterprise_id = values["enterprise_id"]
    if values.get("owner_id"):
        contact.owner_id = values["owner_id"]
    db.session.flush()
    return contact
