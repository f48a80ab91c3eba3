"""Export → import gives back the same records: names in any script, amounts, dates, choices."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm.core.time import utcnow
from crm.enterprises.models import Enterprise, EnterpriseKind, Ownership
from crm.enterprises.names import name_key
from crm.extensions import db
from crm.pipeline.models import InvestmentProject, Stage
from tests import factories
from tests.exchange.helpers import csv_rows, xlsx_rows


def _script(low: int, high: int):
    return st.characters(min_codepoint=low, max_codepoint=high)


# Names in Chinese, Korean, Cyrillic and emoji, with Latin letters and formula-like starts mixed in.
NAME = (
    st.text(
        st.one_of(
            _script(0x4E00, 0x9FFF),
            _script(0xAC00, 0xD7A3),
            _script(0x0400, 0x04FF),
            _script(0x1F600, 0x1F64F),
            st.sampled_from("AZaz=+-@ "),
        ),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)


def _upload(client, kind: str, data: bytes, filename: str):
    response = client.post(f"/exchange/import/{kind}", data={"file": (io.BytesIO(data), filename)})
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    return response.headers["Location"]


def _clear():
    for model in (InvestmentProject, Enterprise):
        db.session.execute(sa.update(model).where(model.deleted_at.is_(None)).values(deleted_at=utcnow()))
    db.session.commit()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    names=st.lists(st.tuples(NAME, st.one_of(st.none(), NAME)), min_size=1, max_size=4, unique_by=lambda n: n[0]),
    file_format=st.sampled_from(["csv", "xlsx"]),
)
def test_enterprises_come_back_identical(client, manager_session, names, file_format):
    _clear()
    keys = set()
    for name, local_name in names:
        these = {name_key(name), name_key(local_name)} - {None}
        if keys & these:
            continue  # the import would (rightly) ask about a duplicate; not what this test is about
        keys |= these
        factories.enterprise(
            manager_session,
            name=name,
            local_name=local_name,
            city="Suzhou",
            kind=EnterpriseKind.RESEARCH_INSTITUTE,
            ownership=Ownership.JOINT_VENTURE,
        )
    db.session.commit()
    read = csv_rows if file_format == "csv" else xlsx_rows
    before = read(client.get(f"/exchange/export/enterprises.{file_format}"))
    data = client.get(f"/exchange/export/enterprises.{file_format}").get_data()
    _clear()
    client.post(_upload(client, "enterprises", data, f"enterprises.{file_format}"))
    after = read(client.get(f"/exchange/export/enterprises.{file_format}"))
    assert after == before


def test_projects_come_back_identical(client, manager_session):
    enterprise = factories.enterprise(manager_session, name="Anchor Co", local_name="锚企业")
    factories.project(
        manager_session,
        enterprise,
        name="Smart factory 智能工厂",
        code_name="=Falcon",
        is_confidential=True,
        planned_investment=Decimal("150000000.50"),
        actual_investment=Decimal("0.00"),
        planned_jobs=300,
        expected_decision_on=date(2026, 12, 1),
        probability=35,
        referrer="Чехов",
        stage=Stage.NEGOTIATION,
    )
    db.session.commit()
    for file_format, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
        url = f"/exchange/export/projects.{file_format}"
        before = read(client.get(url))
        data = client.get(url).get_data()
        db.session.execute(sa.update(InvestmentProject).values(deleted_at=utcnow()))
        db.session.commit()
        client.post(_upload(client, "projects", data, f"projects.{file_format}"))
        after = read(client.get(url))
        updated = before[0].index("Updated")
        assert [row[:updated] for row in after] == [row[:updated] for row in before]
