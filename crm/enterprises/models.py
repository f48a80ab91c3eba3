from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from crm.accounts.models import User
from crm.core import words
from crm.core.models import LabelledEnum, RecordMixin, TimestampMixin, enum_column, live_index
from crm.core.searchkeys import Searchable
from crm.enterprises.names import name_key
from crm.extensions import db
from crm.sectors.models import Sector, sector_link_table


class EnterpriseKind(LabelledEnum):
    COMPANY = "company"
    SCHOOL = "school"
    GOVERNMENT = "government"
    RESEARCH_INSTITUTE = "research_institute"
    PARK = "park"
    ASSOCIATION = "association"
    OTHER = "other"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.COMPANY: _l("Company"),
            cls.SCHOOL: _l("School"),
            cls.GOVERNMENT: _l("Government body"),
            cls.RESEARCH_INSTITUTE: _l("Research institute"),
            cls.PARK: _l("Park"),
            cls.ASSOCIATION: _l("Association"),
            cls.OTHER: _l("Other"),
        }


class Ownership(LabelledEnum):
    STATE_OWNED = "state_owned"
    PRIVATE = "private"
    FOREIGN_INVESTED = "foreign_invested"
    JOINT_VENTURE = "joint_venture"
    PUBLIC_INSTITUTION = "public_institution"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.STATE_OWNED: _l("State-owned"),
            cls.PRIVATE: _l("Private"),
            cls.FOREIGN_INVESTED: _l("Foreign-invested"),
            cls.JOINT_VENTURE: _l("Joint venture"),
            cls.PUBLIC_INSTITUTION: _l("Public institution"),
        }


class EnterpriseSize(LabelledEnum):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.MICRO: _l("Micro"), cls.SMALL: _l("Small"), cls.MEDIUM: _l("Medium"), cls.LARGE: _l("Large")}


enterprise_sectors = sector_link_table("enterprise_sectors", "enterprises", "enterprise_id")


def _blank_to_none(value: str | None) -> str | None:
    """A name of only spaces is no name: stored as NULL, so "at least one name" means something."""
    if isinstance(value, str):
        value = value.strip()
    return value or None


class AliasKind(LabelledEnum):
    SHORT = "short"
    FORMER = "former"
    STOCK = "stock"
    BRAND = "brand"
    OTHER_SCRIPT = "other_script"
    MERGED = "merged"
    OTHER = "other"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.SHORT: _l("Short name"),
            cls.FORMER: _l("Former name"),
            cls.STOCK: _l("Stock name"),
            cls.BRAND: _l("Brand"),
            cls.OTHER_SCRIPT: _l("Name in the other script"),
            cls.MERGED: _l("Merged record"),
            cls.OTHER: _l("Other name"),
        }


def display_name_sql(local_name, name) -> sa.ColumnElement[str]:
    """A record's display name in SQL: the Chinese name, else the other. The final '' (never reached: a record
    has a name) tells the list sort that the value is never NULL, so that it may read the name index in order.
    The lists' indexes (ix_*_live_by_name) are on this very expression."""
    return sa.func.coalesce(local_name, name, sa.literal_column("''"))


@words.indexed
class Enterprise(Searchable, RecordMixin, db.Model):
    """Any organisation met: company, school, government body, research institute, park."""

    __tablename__ = "enterprises"
    __words__ = ("name", "local_name", "city")  # what the list search finds it by (crm.core.words)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The English (or other Latin-script) name and the Chinese name: either may be missing, not both.
    name: Mapped[str | None] = mapped_column(sa.String(200), index=True)
    local_name: Mapped[str | None] = mapped_column(sa.String(200), index=True)
    # Comparable forms of the two names (crm.enterprises.names), kept in step by the model itself.
    name_key: Mapped[str | None] = mapped_column(sa.String(200), index=True)
    local_name_key: Mapped[str | None] = mapped_column(sa.String(200), index=True)
    kind: Mapped[EnterpriseKind] = enum_column(EnterpriseKind, default=EnterpriseKind.COMPANY)
    ownership: Mapped[Ownership | None] = enum_column(Ownership)
    # The group it belongs to, itself an enterprise: Huawei Suzhou Industrial Park under Huawei.
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("enterprises.id"), index=True)
    country: Mapped[str | None] = mapped_column(sa.String(100))
    province: Mapped[str | None] = mapped_column(sa.String(100))
    city: Mapped[str | None] = mapped_column(sa.String(100), index=True)
    address: Mapped[str | None] = mapped_column(sa.String(300))
    website: Mapped[str | None] = mapped_column(sa.String(300))
    size: Mapped[EnterpriseSize | None] = enum_column(EnterpriseSize)
    description: Mapped[str | None] = mapped_column(sa.Text)
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    is_sample: Mapped[bool] = mapped_column(sa.Boolean, default=False)

    owner: Mapped[User | None] = relationship()
    sectors: Mapped[list[Sector]] = relationship(secondary=enterprise_sectors, order_by=Sector.position)
    contacts: Mapped[list[Contact]] = relationship(back_populates="enterprise", order_by="Contact.id")
    aliases: Mapped[list[EnterpriseAlias]] = relationship(
        back_populates="enterprise", order_by="EnterpriseAlias.id", cascade="all, delete-orphan"
    )
    parent: Mapped[Enterprise | None] = relationship(remote_side=[id], back_populates="members")
    members: Mapped[list[Enterprise]] = relationship(back_populates="parent")

    __table_args__ = (
        sa.CheckConstraint("name IS NOT NULL OR local_name IS NOT NULL", name="has_a_name"),
        # The list's default order (by name), read in index order instead of sorting every enterprise.
        live_index("ix_enterprises_live_by_name", sa.text("coalesce(local_name, name, '')"), "id"),
    )

    def search_texts(self) -> list[tuple[str, str | None]]:
        texts = [("name", self.name), ("local_name", self.local_name)]
        texts += [("alias", alias.name) for alias in self.aliases]
        if self.parent is not None:  # a member is found by its group's name
            texts += [("group", self.parent.name), ("group", self.parent.local_name)]
        return texts

    def search_dependants(self) -> list:
        names = sa.inspect(self).attrs
        renamed = names.name.history.has_changes() or names.local_name.history.has_changes()
        return list(self.members) if renamed and self.id is not None else []

    @validates("name", "local_name")
    def _keep_name_keys_in_step(self, field: str, value: str | None) -> str | None:
        """Whoever writes a name (a form, the sample loader, an import) gets its comparable key with it."""
        value = _blank_to_none(value)
        setattr(self, f"{field}_key", name_key(value))
        return value

    @hybrid_property
    def display_name(self) -> str:
        """Whichever name exists, the Chinese one first; in SQL, the same for sorting."""
        return self.local_name or self.name or ""

    @display_name.inplace.expression
    @classmethod
    def _display_name_expression(cls) -> sa.ColumnElement[str]:
        return display_name_sql(cls.local_name, cls.name)

    def can_edit(self, user: User) -> bool:
        return user.is_manager or self.owner_id == user.id

    def __repr__(self) -> str:
        return f"<Enterprise {self.display_name}>"


class EnterpriseAlias(TimestampMixin, db.Model):
    """Another name an enterprise is known by: a short, former, stock or brand name, or 博世 for Bosch."""

    __tablename__ = "enterprise_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(sa.ForeignKey("enterprises.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[AliasKind] = enum_column(AliasKind, default=AliasKind.OTHER)

    enterprise: Mapped[Enterprise] = relationship(back_populates="aliases")

    def search_owner(self) -> Enterprise | None:
        """Its enterprise, whose search keys include this name."""
        return self.enterprise


@words.indexed
class Contact(Searchable, RecordMixin, db.Model):
    """A person at an enterprise."""

    __tablename__ = "contacts"
    __words__ = ("name", "local_name", "title")  # what the list search finds it by (crm.core.words)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(sa.ForeignKey("enterprises.id"), index=True)
    # Either name may be the only one (a Chinese contact often has no Latin-script name on file).
    name: Mapped[str | None] = mapped_column(sa.String(100), index=True)
    local_name: Mapped[str | None] = mapped_column(sa.String(100), index=True)
    title: Mapped[str | None] = mapped_column(sa.String(150))
    department: Mapped[str | None] = mapped_column(sa.String(150))
    phone: Mapped[str | None] = mapped_column(sa.String(50))
    mobile: Mapped[str | None] = mapped_column(sa.String(50))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    wechat: Mapped[str | None] = mapped_column(sa.String(100))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    is_sample: Mapped[bool] = mapped_column(sa.Boolean, default=False)

    enterprise: Mapped[Enterprise] = relationship(back_populates="contacts")
    owner: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("name IS NOT NULL OR local_name IS NOT NULL", name="has_a_name"),
        # The list's default order (by name), read in index order instead of sorting every contact.
        # With the enterprise last, the page count reads nothing but this index.
        live_index("ix_contacts_live_by_name", sa.text("coalesce(local_name, name, '')"), "id", "enterprise_id"),
    )

    @validates("name", "local_name")
    def _blank_name_is_none(self, field: str, value: str | None) -> str | None:
        return _blank_to_none(value)

    def search_texts(self) -> list[tuple[str, str | None]]:
        return [("name", self.name), ("local_name", self.local_name)]

    @hybrid_property
    def display_name(self) -> str:
        """Whichever name exists, the Chinese one first; in SQL, the same for sorting."""
        return self.local_name or self.name or ""

    @display_name.inplace.expression
    @classmethod
    def _display_name_expression(cls) -> sa.ColumnElement[str]:
        return display_name_sql(cls.local_name, cls.name)

    def can_edit(self, user: User) -> bool:
        return user.is_manager or self.owner_id == user.id
