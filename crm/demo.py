"""Sample data from the seed document: the Qingdao High-tech Zone delegation to Wuxi, Suzhou and Hangzhou.

Every record made here has is_sample set and shows a "Sample" badge, so nobody mistakes it for real work.
The projects and follow-ups are what an officer would plausibly have opened after these meetings; the people
met are invented (the seed names none) and labelled sample like everything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa

from crm.accounts.models import User
from crm.core.emails import normalise_email
from crm.core.roles import Role
from crm.core.time import add_working_days, local_today
from crm.enterprises.models import Contact, Enterprise, EnterpriseKind, EnterpriseSize, Ownership
from crm.extensions import db
from crm.followups.models import FollowUp
from crm.pipeline import services as pipeline
from crm.pipeline.models import InvestmentProject, ProjectSource, Stage
from crm.sectors.models import Sector
from crm.trips.models import DelegationMember, Trip, TripStatus
from crm.visits.models import DaySlot, InterestLevel, Visit, VisitDirection

TRIP_TITLE = "Investment promotion mission to Wuxi, Suzhou and Hangzhou"
TRIP_LOCAL_TITLE = "赴无锡、苏州、杭州招商考察"
# The trip keeps the seed's 23 to 26 March, in the latest year whose spring lies far enough in the past for its
# story to have happened: the report written, projects moved on over the following weeks (see sample_year).
FIRST_DAY, LAST_DAY = (3, 23), (3, 26)
STORY_DAYS = 80

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


# The people met, one a visit (invented: the seed names none): (enterprise, name, Chinese name, title, department).
CONTACTS = [
    ("bosch", "Wang Jianguo", "王建国", "Vice President, Plant Operations", "General Manager's Office"),
    ("dulwich", "Chen Jing", "陈静", "Director of External Relations", "Head of School's Office"),
    ("huawei", "Zhang Wei", "张伟", "Director, Government and Enterprise Business", "Suzhou Representative Office"),
    ("sip_smart_city", "Liu Yang", "刘洋", "Deputy Director", "Operations Department"),
    ("city_brain", "Zhao Min", "赵敏", "Director of Operations", "Operation Command Center"),
]

# Sample colleagues for `demo load --officers`: (key, name, Chinese name, title, role). Email: KEY@sample.invalid.
COLLEAGUES = [
    ("zhou.hui", "Zhou Hui", "周慧", "Director, Investment Promotion Bureau (sample account)", Role.MANAGER),
    ("sun.qiang", "Sun Qiang", "孙强", "Investment officer (sample account)", Role.OFFICER),
    ("ma.li", "Ma Li", "马丽", "Investment officer (sample account)", Role.OFFICER),
    ("gao.peng", "Gao Peng", "高鹏", "Investment officer (sample account)", Role.OFFICER),
]
SAMPLE_EMAIL_DOMAIN = "sample.invalid"  # .invalid can never be a real address

# (enterprise, name, Chinese name, code name, stage changes as (days after the trip, stage, note), fields)
PROJECTS = [
    (
        "huawei",
        "Digital-city joint innovation centre",
        "数字城市联合创新中心",
        "Project Harbour",
        [
            (1, Stage.LEAD, "Opened after the visit on 24 March: Huawei proposed a joint innovation centre."),
            (20, Stage.ASSESSMENT, "Huawei's cooperation framework received; assessing land and policy needs."),
            (62, Stage.NEGOTIATION, "Terms under discussion: site, rent-free period and talent housing."),
        ],
        dict(
            is_confidential=True,
            planned_investment=Decimal("300000000"),
            planned_jobs=200,
            planned_fixed_assets=Decimal("120000000"),
            sectors=["digital-city", "cloud-computing"],
        ),
    ),
    (
        "bosch",
        "Intelligent-manufacturing line for diesel-system components",
        "柴油系统零部件智能制造产线",
        "Project Piston",
        [
            (1, Stage.LEAD, "Opened after the visit on 23 March."),
            (34, Stage.ASSESSMENT, "Capacity plan for north China received after the board review."),
        ],
        dict(
            planned_investment=Decimal("500000000"),
            planned_jobs=350,
            planned_fixed_assets=Decimal("380000000"),
            sectors=["automotive", "vehicle-powertrain"],
        ),
    ),
    (
        "dulwich",
        "International high school campus",
        "国际高中校区",
        "Project Quad",
        [(2, Stage.LEAD, "Opened after the visit on 24 March; waiting for the site-selection team.")],
        dict(planned_investment=Decimal("150000000"), planned_jobs=120, sectors=["education", "international-schools"]),
    ),
    (
        "city_brain",
        "City-brain operation centre for the zone",
        "高新区城市大脑运营中心",
        "Project Lighthouse",
        [(2, Stage.LEAD, "Opened after the visit on 26 March.")],
        dict(planned_investment=Decimal("80000000"), planned_jobs=60, sectors=["digital-city", "city-brain"]),
    ),
]


class DemoError(Exception):
    """Why the sample data cannot be loaded."""


@dataclass
class Cast:
    """Who does what in the sample story: everything is the loader's unless sample colleagues exist."""

    loader: User
    organiser: User
    officers: list[User]
    manager: User | None

    def officer(self, number: int) -> User:
        return self.officers[number % len(self.officers)] if self.officers else self.loader


def sample_year(today: date) -> int:
    """This year if its 23 to 26 March lies STORY_DAYS in the past (the story has happened), else last year."""
    return today.year if date(today.year, *LAST_DAY) + timedelta(days=STORY_DAYS) <= today else today.year - 1


def load_sample_trip(owner_email: str | None = None, colleagues: list[User] | None = None) -> bool:
    """Load the sample trip and everything around it; False (and no change) if it is already there."""
    if db.session.scalar(sa.select(Trip.id).where(Trip.is_sample, Trip.title == TRIP_TITLE)) is not None:
        return False
    cast = _cast(_owner(owner_email, colleagues or []), colleagues or [])
    year = sample_year(local_today())
    sectors = {sector.code: sector for sector in db.session.scalars(sa.select(Sector))}
    trip = _trip(cast, sectors, year)
    enterprises = {key: _enterprise(cast.loader, sectors, **data) for key, data in ENTERPRISES.items()}
    visits = {
        key: _visit(trip, enterprises[key], cast.organiser, date(year, 3, day), *details)
        for key, day, *details in VISITS
    }
    _contacts(enterprises, visits)
    projects = _projects(enterprises, visits, cast, sectors, trip.end_on)
    _follow_ups(trip, visits, projects, enterprises, cast)
    db.session.flush()
    _report(trip, cast)
    db.session.flush()
    return True


def create_colleagues(password: str) -> tuple[list[User], list[User]]:
    """The sample manager and officers (sample accounts, KEY@sample.invalid): (all of them, those made now)."""
    from crm.accounts import services

    everyone, created = [], []
    for key, name, local_name, title, role in COLLEAGUES:
        email = f"{key}@{SAMPLE_EMAIL_DOMAIN}"
        user = services.find_by_email(email)
        if user is None:
            try:
                user = services.create_user(
                    email=email, name=name, local_name=local_name, title=title, password=password, role=role
                )
            except services.AccountError as error:
                raise DemoError(str(error)) from None
            created.append(user)
        everyone.append(user)
    db.session.flush()
    return everyone, created


def _owner(owner_email: str | None, colleagues: list[User]) -> User:
    """The named account; else the first administrator, the first manager, or the sample manager."""
    active = sa.select(User).where(User.active).order_by(User.id)
    if owner_email:
        owner = db.session.scalars(active.where(User.email == normalise_email(owner_email))).first()
        if owner is None:
            raise DemoError(f"No active account {owner_email}.")
        return owner
    for role in (Role.ADMIN, Role.MANAGER):
        owner = db.session.scalars(active.where(User.role == role)).first()
        if owner is not None:
            return owner
    if colleagues:
        return colleagues[0]
    raise DemoError(
        "The sample records need an active administrator or manager to own them, and there is none. Create one "
        "(open crm in the browser, or run: flask --app crm users create --role admin --email E --name N), "
        "name another account with --owner EMAIL, or add --officers to create sample colleagues."
    )


def _cast(loader: User, colleagues: list[User]) -> Cast:
    officers = [user for user in colleagues if user.role is Role.OFFICER]
    manager = next((user for user in colleagues if user.role is Role.MANAGER), None)
    return Cast(loader=loader, organiser=officers[0] if officers else loader, officers=officers, manager=manager)


def _member(user: User, position: int) -> DelegationMember:
    return DelegationMember(
        name=user.name,
        local_name=user.local_name,
        title=user.title or "Investment officer",
        unit="Investment Promotion Bureau, Qingdao High-tech Zone",
        user=user,
        position=position,
    )


def _trip(cast: Cast, sectors: dict[str, Sector], year: int) -> Trip:
    end_on = date(year, *LAST_DAY)
    trip = Trip(
        title=TRIP_TITLE,
        local_title=TRIP_LOCAL_TITLE,
        objectives=(
            "Attract investment in digital city construction, the digital economy, artificial "
            "intelligence and blockchain; visit leading enterprises and units; discuss specific "
            "projects to introduce to the zone."
        ),
        start_on=date(year, *FIRST_DAY),
        end_on=end_on,
        destination_cities="Wuxi, Suzhou, Hangzhou",
        # The report went in ten working days after the trip, well within its fifteen.
        status=TripStatus.REPORTED,
        report_submitted_on=add_working_days(end_on, 10),
        planned_budget=Decimal("48000.00"),
        actual_cost=Decimal("45260.00"),
        organiser=cast.organiser,
        is_sample=True,
        sectors=[
            sectors[code] for code in ("digital-city", "digital-economy", "artificial-intelligence", "blockchain")
        ],
    )
    travellers = [cast.organiser, *[officer for officer in cast.officers if officer is not cast.organiser][:1]]
    if cast.manager is not None:
        travellers.append(cast.manager)
    trip.members = [
        DelegationMember(
            name="Li Hongyan",
            title="Director of the Management Department",
            unit="Qingdao High-tech Zone",
            is_leader=True,
            position=0,
        ),
        *(_member(user, position) for position, user in enumerate(travellers, start=1)),
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
    visited_on: date,
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
        visited_on=visited_on,
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


def _contacts(enterprises: dict[str, Enterprise], visits: dict[str, Visit]) -> None:
    for key, name, local_name, title, department in CONTACTS:
        contact = Contact(
            enterprise=enterprises[key],
            name=name,
            local_name=local_name,
            title=title,
            department=department,
            owner=visits[key].owner,
            is_sample=True,
        )
        db.session.add(contact)
        visits[key].contacts.append(contact)


def _morning_after(day: date, days: int) -> datetime:
    """Half past nine in the zone, `days` days after `day`, as the UTC timestamp stage changes keep."""
    from zoneinfo import ZoneInfo

    from flask import current_app

    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day + timedelta(days=days), time(9, 30), zone).astimezone(UTC)


def _projects(enterprises, visits, cast: Cast, sectors, trip_end: date) -> dict[str, InvestmentProject]:
    projects = {}
    for number, (key, name, local_title, code_name, history, fields) in enumerate(PROJECTS):
        fields = dict(fields)
        codes = fields.pop("sectors")
        project = InvestmentProject(
            name=name,
            local_title=local_title,
            code_name=code_name,
            enterprise=enterprises[key],
            owner=cast.officer(number),
            source=ProjectSource.OUTBOUND_VISIT,
            is_sample=True,
            stage=Stage.LEAD,
            probability=Stage.LEAD.default_probability,
            expected_decision_on=date(trip_end.year + 1, 3, 31),
            sectors=[sectors[code] for code in codes],
            **fields,
        )
        (opened_after, _lead, opening_note), *moves = history
        pipeline.open_project(project, by=project.owner, note=opening_note, at=_morning_after(trip_end, opened_after))
        for days, stage, note in moves:
            pipeline.advance_stage(project, stage, by=project.owner, note=note, at=_morning_after(trip_end, days))
        visits[key].projects.append(project)
        projects[key] = project
    return projects


# What the delegation wrote in its report, from the seed's account of the trip (in Chinese, then in English).
REPORT_TEXTS = dict(
    summary=(
        "3月23日至26日，青岛高新区管委会管理部主任带队赴无锡、苏州、杭州，围绕数字城市建设、数字经济、人工智能和区块链开展"
        "招商考察，走访博世汽车柴油系统有限公司、苏州德威国际高级中学、华为苏州工业园区等单位，全面推介高新区在"
        "区位、人居环境、资源禀赋和基础设施等方面的优势，并就部分具体项目的引进进行了深入洽谈。\n\n"
        "From 23 to 26 March, Director Li Hongyan led the delegation to Wuxi, Suzhou and Hangzhou for digital city "
        "construction, the digital economy, artificial intelligence and blockchain. It visited Bosch Automotive Diesel "
        "Systems, Dulwich International High School Suzhou, Huawei Suzhou Industrial Park and other units, presented "
        "the zone's advantages and discussed specific projects in depth."
    ),
    assessment=(
        "苏州工业园区智慧城市运行管理中心和杭州城市大脑运营指挥中心的经验表明，数字化运营管理可直接用于高新区的"
        "城市治理；华为联合创新中心项目已进入实质性洽谈。\n\n"
        "The Suzhou Industrial Park smart-city centre and Hangzhou's City Brain show digital operation and "
        "management that the zone can adopt for its own governance; the Huawei joint innovation centre is now in "
        "negotiation."
    ),
    recommendations=(
        "一、与华为尽快形成土地和政策方案；二、邀请德威选址团队来青考察；三、学习借鉴城市大脑建设路径，"
        "打造具有国际竞争力的数字产业集群。\n\n"
        "1. Agree the land and policy package with Huawei soon. 2. Invite Dulwich's site-selection team to "
        "Qingdao. 3. Learn from the City Brain's path to build an internationally competitive digital industry "
        "cluster."
    ),
)


def _report(trip: Trip, cast: Cast) -> None:
    """The report as the delegation submitted it and a manager signed it off, two working days later.

    Without a manager among the cast, it stays submitted and the trip completed: nobody could have approved it.
    """
    from crm.reports import services as reports
    from crm.reports.models import ReportStatus, TripReport

    approver = cast.manager or (cast.loader if cast.loader.is_manager else None)
    report = TripReport(
        trip=trip,
        status=ReportStatus.SUBMITTED,
        submitted_at=_morning_after(trip.report_submitted_on, 0),
        submitted_by_id=trip.organiser.id if trip.organiser else cast.loader.id,
        **REPORT_TEXTS,
    )
    db.session.add(report)
    db.session.flush()
    if approver is None:
        trip.status = TripStatus.COMPLETED
        return
    approved_on = add_working_days(trip.report_submitted_on, 2)
    report.status = ReportStatus.APPROVED
    report.decided_at = _morning_after(approved_on, 0) + timedelta(hours=6)
    report.decided_by_id = approver.id
    reports.freeze(report, approver=approver, on=approved_on)


def _follow_ups(trip, visits, projects, enterprises, cast: Cast) -> None:
    today = local_today()
    report_done = _morning_after(trip.report_submitted_on, 0)
    items = [
        dict(
            title="Submit the trip report to the director",
            trip=trip,
            owner=trip.organiser,
            due_on=trip.report_due_on,
            done_at=report_done,
        ),
        dict(
            title="Send the zone's investment guide to Bosch",
            visit=visits["bosch"],
            owner=visits["bosch"].owner,
            due_on=add_working_days(trip.end_on, 5),
            done_at=_morning_after(trip.end_on, 4),
        ),
        dict(
            title="Prepare the land and policy package for the joint innovation centre",
            project=projects["huawei"],
            owner=projects["huawei"].owner,
            due_on=today + timedelta(days=7),
        ),
        dict(
            title="Invite Dulwich's site-selection team to Qingdao",
            project=projects["dulwich"],
            owner=projects["dulwich"].owner,
            due_on=today - timedelta(days=3),
        ),
        dict(
            title="Ask the City Brain centre for an introduction to its operating partners",
            visit=visits["city_brain"],
            project=projects["city_brain"],
            owner=projects["city_brain"].owner,
            due_on=today + timedelta(days=21),
        ),
        dict(
            title="Circulate the Suzhou smart-city operating procedures to the management committee",
            enterprise=enterprises["sip_smart_city"],
            owner=cast.manager or visits["sip_smart_city"].owner,
            due_on=today + timedelta(days=14),
        ),
    ]
    for item in items:
        db.session.add(FollowUp(is_sample=True, **item))
