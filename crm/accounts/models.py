from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from crm.core.models import TimestampMixin, enum_column
from crm.core.roles import Role
from crm.core.time import UTCDateTime
from crm.extensions import db


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    local_name: Mapped[str | None] = mapped_column(sa.String(100))
    title: Mapped[str | None] = mapped_column(sa.String(100))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = enum_column(Role, default=Role.OFFICER)
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    # Flask-Login stores this token, not the id, in the session: replacing it logs out every session.
    session_token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_session_token)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def display_name(self) -> str:
        return self.shown_name(self.name, self.local_name)

    @staticmethod
    def shown_name(name: str, local_name: str | None) -> str:
        """The name a person is shown by: the Chinese one when there is one (also for rows read as columns)."""
        return local_name or name

    @property
    def is_manager(self) -> bool:
        return self.role.manages

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
