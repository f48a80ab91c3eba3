"""Sample data from the seed document: the Qingdao High-tech Zone delegation to Wuxi, Suzhou and Hangzhou.

Every record made here has is_sample set and shows a "Sample" badge, so nobody mistakes it for real work.
The projects and follow-ups are what an officer would plausibly have opened after these meetings.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from crm.accounts.models import User
from crm.core.roles import Role
from crm.core.time import local_today
from crm.enterprises.models import Contact, Enterprise, EnterpriseKind, EnterpriseSize, Ownership
from crm.extensions import db
from crm.followups.models import FollowUp
from crm.pipeline import services as pipeline
from crm.pipeline.models import InvestmentProject, ProjectSource, Stage
from crm.sectors.models import Sector
from crm.trips.models import DelegationMember, Trip, TripStatus
from crm.visits.models import DaySlot, InterestLevel, Visit, VisitDirection

TRIP_TITLE = "Investment promotion mission to Wuxi, Suzhou and Hangzhou"
YEAR = 2026

ZONE_PITCH = (
    "Presented Qingdao High-tech Zone's advantages in regional location, living environment, resource "
    "endowment and infrastructure."
)

ENTERPRISES = {
    "bosch": dict(
        name="Bosch Automotive Diesel Systems Co., Ltd.",
        local_name="博世汽车柴油系统有限公司",
        kind=EnterpriseKind.COMPANY,
        ownership=Ownership.JOINT_VENTURE,
        parent_group="Bosch Group",
        country="China",
        province="Jiangsu",
        city="Wuxi",
        size=EnterpriseSize.LARGE,
        sectors=["automotive", "vehicle-powertrain", "advanced-manufacturing"],
    ),
    "dulwich": dict(
        name="Dulwich International High School Suzhou",
        local_name="苏州德威国际高级中学",
        kind=EnterpriseKind.SCHOOL,
        ownership=Ownership.PRIVATE,
        parent_group="Dulwich College International",
        country="China",
        province="Jiangsu",
        city="Suzhou",
        size=EnterpriseSize.MEDIUM,
        sectors=["education", "international-schools"],
    ),
    "huawei": dict(
        name="Huawei Suzhou Industrial Park",
        local_name="华为苏州工业园区",
        kind=EnterpriseKind.COMPANY,
        ownership=Ownership.PRIVATE,
        parent_group="Huawei Technologies Co., Ltd.",
        country="China",
        province="Jiangsu",
        city="Suzhou",
        size=EnterpriseSize.LARGE,
        sectors=["digital-economy", "cloud-computing", "artificial-intelligence"],
    ),
    "sip_smart_city": dict(
        name="Smart City Operation and Management Center of Suzhou Industrial Park",
        local_name="苏州工业园区智慧城市运行管理中心",
        kind=EnterpriseKind.GOVERNMENT,
        ownership=Ownership.PUBLIC_INSTITUTION,
        parent_group="Suzhou Industrial Park Administrative Committee",
        country="China",
        province="Jiangsu",
        city="Suzhou",
        sectors=["digital-city", "smart-governance"],
    ),
    "city_brain": dict(
        name="Hangzhou City Brain Operation Command Center",
        local_name="杭州城市大脑运营指挥中心",
        kind=EnterpriseKind.GOVERNMENT,
        ownership=Ownership.PUBLIC_INSTITUTION,
        country="China",
        province="Zhejiang",
        city="Hangzhou",
        sectors=["digital-city", "city-brain", "big-data", "blockchain", "artificial-intelligence"],
    ),
}

# (enterprise, day of March, slot, purpose, discussed, commitments, interest)
VISITS = [
    (
        "bosch",
        23,
        DaySlot.AFTERNOON,
        "Introduce the zone to the company's management and explore an intelligent-manufacturing project.",
        "Discussed the company's plans for intelligent manufacturing lines and supplier localisation in north China.",
        "The company will share its capacity plan for north China after its board review.",
        InterestLevel.MEDIUM,
    ),
    (
        "dulwich",
        24,
        DaySlot.MORNING,
        "Explore bringing an international high school to the zone for the families of overseas talent.",
        "Discussed campus requirements, enrolment prospects and the zone's talent-housing policy.",
        "The school will send a site-selection team to Qingdao.",
        InterestLevel.MEDIUM,
    ),
    (
        "huawei",
        24,
        DaySlot.AFTERNOON,
        "Discuss cooperation on digital-city construction and a joint innovation centre.",
        "In-depth discussion of specific projects: a digital-city joint innovation centre and cloud services "
        "for the zone's enterprises.",
        "Huawei will propose a cooperation framework for the joint innovation centre.",
        InterestLevel.HIGH,
    ),
    (
        "sip_smart_city",
        25,
        DaySlot.MORNING,
        "Study how Suzhou Industrial Park operates and manages its smart city.",
        "Learned the centre's operating model, data sharing between departments and its cooperation with "
        "enterprises operating in digital city.",
        "The centre will share its operating procedures for reference.",
        InterestLevel.MEDIUM,
    ),
    (
        "city_brain",
        26,
        DaySlot.MORNING,
        "Learn how the City Brain uses big data, cloud computing, blockchain and AI in urban governance.",
        "Learned the present stage and future plan of the city-brain industry's coordinated development.",
        "The centre will introduce its operating partners for a city-brain project in the zone.",
        InterestLevel.HIGH,
    ),
]


class DemoError(Exception):
    """Why the sample data cannot be loaded."""


def load_sample_trip(owner_email: str | None = None) -> bool:
    """Load the sample trip and everything around it; False (and no change) if it is already there."""
    if db.session.scalar(sa.select(Trip.id).where(Trip.is_sample, Trip.title == TRIP_TITLE)) is not None:
        return False
    owner = _owner(owner_email)
    sectors = {sector.code: sector for sector in db.session.scalars(sa.select(Sector))}
    trip = _trip(owner, sectors)
    enterprises = {key: _enterprise(owner, sectors, **data) for key, data in ENTERPRISES.items()}
    visits = {
        key: _visit(trip, enterprises[key], owner, day, slot, purpose, discussed, commitments, interest)
        for key, day, slot, purpose, discussed, commitments, interest in VISITS
    }
    _contacts(enterprises, visits, owner)
    projects = _projects(enterprises, visits, owner, sectors)
    _follow_ups(trip, visits, projects, enterprises, owner)
    db.session.flush()
    return True


def _owner(owner_email: str | None) -> User:
    query = sa.select(User).where(User.active)
    if owner_email:
        query = query.where(User.email == owner_email.strip().lower())
    else:
        query = query.where(User.role == Role.ADMIN).order_by(User.id)
    owner = db.session.scalars(query).first()
    if owner is None:
        raise DemoError(
            f"No active account {owner_email}."
            if owner_email
            else "Create an account first (open crm in the browser, or run flask --app crm users create)."
        )
    return owner


def _trip(owner: User, sectors: dict[str, Sector]) -> Trip:
    trip = Trip(
        title=TRIP_TITLE,
        objectives=(
            "Attract investment in digital city construction, the digital economy, artificial "
            "intelligence and blockchain; visit leading enterprises and units; discuss specific "
            "projects to introduce to the zone."
        ),
        start_on=date(YEAR, 3, 23),
        end_on=date(YEAR, 3, 26),
        destination_cities="Wuxi, Suzhou, Hangzhou",
        status=TripStatus.COMPLETED,
        planned_budget=Decimal("48000.00"),
        actual_cost=Decimal("45260.00"),
        organiser=owner,
        is_sample=True,
        sectors=[
            sectors[code] for code in ("digital-city", "digital-economy", "artificial-intelligence", "blockchain")
        ],
    )
    trip.members = [
        DelegationMember(
            name="Li Hongyan",
            title="Director of the Management Department",
            unit="Qingdao High-tech Zone",
            is_leader=True,
            position=0,
        ),
        DelegationMember(
            name=owner.name,
            local_name=owner.local_name,
            title=owner.title or "Investment officer",
            unit="Investment Promotion Bureau, Qingdao High-tech Zone",
            user=owner,
            position=1,
        ),
    ]
    db.session.add(trip)
    return trip


def _enterprise(
    owner: User, taxonomy: dict[str, Sector], *, sectors: list[str], parent_group: str | None = None, **data
) -> Enterprise:
    enterprise = Enterprise(owner=owner, is_sample=True, sectors=[taxonomy[code] for code in sectors], **data)
    if parent_group:  # the group is an enterprise too, so its page gathers its members' visits and projects
        enterprise.parent = Enterprise(owner=owner, is_sample=True, name=parent_group, country=data.get("country"))
    db.session.add(enterprise)
    return enterprise


def _visit(
    trip: Trip,
    enterprise: Enterprise,
    owner: User,
    day: int,
    slot: DaySlot,
    purpose: str,
    discussed: str,
    commitments: str,
    interest: InterestLevel,
) -> Visit:
    visit = Visit(
        trip=trip,
        enterprise=enterprise,
        direction=VisitDirection.OUTBOUND,
        visited_on=date(YEAR, 3, day),
        slot=slot,
        city=enterprise.city,
        purpose=purpose,
        presented=ZONE_PITCH,
        discussed=discussed,
        commitments=commitments,
        interest_level=interest,
        owner=owner,
        is_sample=True,
        sectors=list(enterprise.sectors[:2]),
        members_present=list(trip.members),
    )
    db.session.add(visit)
    return visit


def _contacts(enterprises: dict[str, Enterprise], visits: dict[str, Visit], owner: User) -> None:
    # Sample people: the seed names none, so these are roles, not invented names.
    for key, title in (
        ("bosch", "General Manager's Office"),
        ("dulwich", "Head of School's Office"),
        ("huawei", "Government Affairs Director"),
        ("city_brain", "Operations Director"),
    ):
        contact = Contact(enterprise=enterprises[key], name="Sample contact", title=title, owner=owner, is_sample=True)
        db.session.add(contact)
        visits[key].contacts.append(contact)


def _projects(enterprises, visits, owner, sectors) -> dict[str, InvestmentProject]:
    specs = {
        "huawei": dict(
            name="Digital-city joint innovation centre",
            code_name="Project Harbour",
            is_confidential=True,
            planned_investment=Decimal("300000000"),
            planned_jobs=200,
            planned_fixed_assets=Decimal("120000000"),
            sectors=["digital-city", "cloud-computing"],
            stages=[Stage.ASSESSMENT, Stage.NEGOTIATION],
        ),
        "bosch": dict(
            name="Intelligent-manufacturing line for diesel-system components",
            code_name="Project Piston",
            planned_investment=Decimal("500000000"),
            planned_jobs=350,
            planned_fixed_assets=Decimal("380000000"),
            sectors=["automotive", "vehicle-powertrain"],
            stages=[Stage.ASSESSMENT],
        ),
        "dulwich": dict(
            name="International high school campus",
            code_name="Project Quad",
            planned_investment=Decimal("150000000"),
            planned_jobs=120,
            sectors=["education", "international-schools"],
            stages=[],
        ),
        "city_brain": dict(
            name="City-brain operation centre for the zone",
            code_name="Project Lighthouse",
            planned_investment=Decimal("80000000"),
            planned_jobs=60,
            sectors=["digital-city", "city-brain"],
            stages=[],
        ),
    }
    projects = {}
    for key, spec in specs.items():
        stages = spec.pop("stages")
        codes = spec.pop("sectors")
        project = InvestmentProject(
            enterprise=enterprises[key],
            owner=owner,
            source=ProjectSource.OUTBOUND_VISIT,
            is_sample=True,
            stage=Stage.LEAD,
            probability=Stage.LEAD.default_probability,
            expected_decision_on=date(YEAR + 1, 3, 31),
            sectors=[sectors[code] for code in codes],
            **spec,
        )
        pipeline.open_project(project, by=owner, note="Opened after the visit on the March mission.")
        for stage in stages:
            pipeline.advance_stage(project, stage, by=owner, note="Sample stage change.")
        visits[key].projects.append(project)
        projects[key] = project
    return projects


def _follow_ups(trip, visits, projects, enterprises, owner) -> None:
    today = local_today()
    done = datetime(YEAR, 4, 10, 8, 0, tzinfo=UTC)
    items = [
        dict(title="Submit the trip report to the director", trip=trip, due_on=trip.report_due_on, done_at=done),
        dict(
            title="Send the zone's investment guide to Bosch",
            visit=visits["bosch"],
            due_on=date(YEAR, 4, 3),
            done_at=done,
        ),
        dict(
            title="Prepare the land and policy package for the joint innovation centre",
            project=projects["huawei"],
            due_on=today + timedelta(days=7),
        ),
        dict(
            title="Invite Dulwich's site-selection team to Qingdao",
            project=projects["dulwich"],
            due_on=today - timedelta(days=3),
        ),
        dict(
            title="Ask the City Brain centre for an introduction to its operating partners",
            visit=visits["city_brain"],
            project=projects["city_brain"],
            due_on=today + timedelta(days=21),
        ),
        dict(
            title="Circulate the Suzhou smart-city operating procedures to the management committee",
            enterprise=enterprises["sip_smart_city"],
            due_on=today + timedelta(days=14),
        ),
    ]
    for item in items:
        db.session.add(FollowUp(owner=owner, is_sample=True, **item))
