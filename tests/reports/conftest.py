"""A trip with everything a report shows, in several scripts, with awkward input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from crm.core.roles import Role
from crm.extensions import db
from crm.pipeline.models import Stage
from crm.visits.models import DaySlot, InterestLevel
from tests import factories
from tests.reports.helpers import photo_attachment

LONG_DISCUSSION = ("数字城市建设合作，" * 1000)[:10_000]


@pytest.fixture
def report_trip(make_user):
    """The Wuxi, Suzhou and Hangzhou trip: a leader with a Chinese name, visits in three scripts, two photos
    (one whose file is gone), a confidential project, a follow-up."""
    organiser = make_user(Role.OFFICER, name="Zhang Wei")
    trip = factories.trip(
        organiser,
        title="赴无锡、苏州、杭州招商考察",
        start_on=date(2026, 3, 23),
        end_on=date(2026, 3, 26),
        planned_budget=Decimal("48000"),
        actual_cost=Decimal("45260"),
        objectives="Digital city, AI and blockchain.",
    )
    leader = factories.member(
        trip, name="Li Hongyan", local_name="李红艳", title="管理部主任", unit="青岛高新区", is_leader=True
    )
    factories.member(trip, name="Kim Min-jun 🚀", local_name="김민준", unit="Seoul office")
    factories.member(trip, name="Sato Haruka", local_name="佐藤はるか", user=organiser)
    bosch = factories.enterprise(name="Bosch Automotive Diesel Systems", local_name="博世汽车柴油系统有限公司")
    huawei = factories.enterprise(name="Huawei Suzhou", local_name="华为苏州研究所")
    first = factories.visit(
        organiser,
        bosch,
        trip,
        visited_on=date(2026, 3, 23),
        slot=DaySlot.AFTERNOON,
        city="Wuxi",
        discussed=LONG_DISCUSSION,
        commitments="Capacity plan after the board review.",
        interest_level=InterestLevel.HIGH,
    )
    first.members_present.append(leader)
    factories.visit(organiser, huawei, trip, visited_on=date(2026, 3, 24), slot=DaySlot.MORNING, purpose=None)
    project = factories.project(organiser, bosch, name="Diesel line", stage=Stage.NEGOTIATION, planned_jobs=350)
    secret = factories.project(
        organiser, huawei, name="Secret campus", code_name="Project Harbour", is_confidential=True
    )
    first.projects.extend([project, secret])
    factories.follow_up(organiser, title="寄送招商指南", trip=trip, due_on=date(2026, 4, 3))
    photo_attachment(organiser, visit_=first, caption="与博世管理层座谈")
    photo_attachment(organiser, trip_=trip, caption="Missing photo", on_disk=False)
    db.session.commit()
    return trip
