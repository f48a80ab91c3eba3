"""Reads for the search box: a prefix range over stored keys per kind of record, best matches first.

The typed text is normalised as the keys were (crm.core.searchkeys.query_key), so "hua wei", "HUAWEI",
"hw" and 华为 all find 华为苏州工业园区. Each kind is one query (plus the eager loads), whatever the
number of rows: the query count is fixed. Visits are found through their enterprise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from crm.accounts.models import User
from crm.core.searchkeys import candidate_keys, live, load_in_order, query_key, ranked_ids
from crm.enterprises.models import Contact, Enterprise
from crm.extensions import db
from crm.followups.models import FollowUp
from crm.pipeline.models import InvestmentProject
from crm.pipeline.queries import not_of_hidden_project, visible_to
from crm.trips.models import Trip
from crm.visits.models import Visit

PER_KIND = 5  # in the top bar's list and on the results page; "more" links to the kind's own list
MAX_PER_KIND = 50  # a full kind on the results page


@dataclass
class Results:
    text: str
    enterprises: list[Enterprise] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    trips: list[Trip] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    projects: list[InvestmentProject] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any((self.enterprises, self.contacts, self.trips, self.visits, self.projects, self.follow_ups))


def search_everything(text: str, viewer: User, *, per_kind: int = PER_KIND, only: str | None = None) -> Results:
    """What the user may see whose name, title or pinyin begins with `text` (at any word), grouped by kind."""
    key = query_key(text)
    results = Results(text=text)
    if not key:
        return results
    wanted = lambda kind: only in (None, kind)  # noqa: E731 - reads as a phrase below
    if wanted("enterprises"):
        results.enterprises = load_in_order(
            Enterprise, ranked_ids(Enterprise, key, per_kind), selectinload(Enterprise.parent)
        )
    if wanted("contacts"):
        live_enterprise = Contact.enterprise.has(Enterprise.deleted_at.is_(None))
        results.contacts = load_in_order(
            Contact,
            ranked_ids(Contact, key, per_kind, lambda keys: [live_enterprise]),
            selectinload(Contact.enterprise),
        )
    if wanted("trips"):
        results.trips = load_in_order(Trip, ranked_ids(Trip, key, per_kind))
    if wanted("visits"):
        results.visits = _visits_of_matching_enterprises(key, per_kind)
    if wanted("projects"):
        # A confidential project the viewer may not see is found by its code name only.
        def own_name(keys):
            return [sa.or_(keys.field == "code_name", visible_to(viewer))]

        results.projects = load_in_order(
            InvestmentProject,
            ranked_ids(InvestmentProject, key, per_kind, own_name),
            selectinload(InvestmentProject.enterprise),
        )
    if wanted("follow_ups"):
        not_hidden = not_of_hidden_project(FollowUp.project_id, viewer)
        results.follow_ups = load_in_order(FollowUp, ranked_ids(FollowUp, key, per_kind, lambda keys: [not_hidden]))
    return results


def _visits_of_matching_enterprises(key: str, limit: int) -> list[Visit]:
    """The latest visits to the enterprises the text names: "have we met them before, and who?"."""
    keys = candidate_keys("enterprises", key)
    enterprises = sa.select(keys.record_id).where(keys.field != "group")
    query = (
        sa.select(Visit)
        .where(Visit.enterprise_id.in_(enterprises), live(Visit))
        .order_by(Visit.visited_on.desc(), Visit.id.desc())
        .limit(limit)
        .options(selectinload(Visit.enterprise), selectinload(Visit.owner), selectinload(Visit.trip))
    )
    return list(db.session.scalars(query))
