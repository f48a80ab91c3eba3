"""A visit's city is its own: fill it for visits stored without one

Revision ID: 0004_ui
Revises: 0003
Create Date: 2026-11-27 22:30:00

Visits saved without a city used to fall back to the enterprise's city when shown. The city is now the
visit's own field: the trip's destination when the trip went to one city, else the enterprise's city.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0004_ui"
down_revision = "0004_harden"
branch_labels = None
depends_on = None


def _single_city(destinations):
    cities = [city.strip() for city in (destinations or "").replace("，", ",").split(",") if city.strip()]
    return cities[0] if len(cities) == 1 else None


def upgrade():
    visits = sa.table("visits", sa.column("id"), sa.column("city"), sa.column("trip_id"), sa.column("enterprise_id"))
    trips = sa.table("trips", sa.column("id"), sa.column("destination_cities"))
    enterprises = sa.table("enterprises", sa.column("id"), sa.column("city"))
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(visits.c.id, trips.c.destination_cities, enterprises.c.city)
        .select_from(
            visits.outerjoin(trips, trips.c.id == visits.c.trip_id).join(
                enterprises, enterprises.c.id == visits.c.enterprise_id
            )
        )
        .where(sa.or_(visits.c.city.is_(None), visits.c.city == ""))
    ).all()
    for visit_id, destinations, enterprise_city in rows:
        city = _single_city(destinations) or enterprise_city
        if city:
            bind.execute(visits.update().where(visits.c.id == visit_id).values(city=city))


def downgrade():
    pass  # the cities filled in are right for the visits; nothing to undo
