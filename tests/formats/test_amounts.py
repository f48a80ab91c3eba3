"""Amounts the bureau's way: 万元/亿元 in Chinese, CNY m/bn in English, typed in the same units, stored exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest
from flask_babel import refresh

from crm.core.forms import parse_amount
from crm.core.i18n import amount_header, money, money_compact, number
from crm.core.roles import Role
from crm.extensions import db
from crm.pipeline.models import InvestmentProject
from tests import factories
from tests.conftest import text_of


def _in(app, language):
    context = app.test_request_context(headers={"Accept-Language": language})
    context.push()
    refresh()
    return context


@pytest.mark.parametrize(
    ("language", "amount", "shown"),
    [
        ("zh", "500000000", "5.00亿元"),
        ("zh", "1234567890", "12.35亿元"),
        ("zh", "38000000", "3,800万元"),
        ("zh", "150000", "15万元"),
        ("zh", "5000", "5,000元"),
        ("zh", "1234.5", "1,234.50元"),
        ("en", "500000000", "CNY 500 m"),
        ("en", "1200000000", "CNY 1.2 bn"),
        ("en", "38000000", "CNY 38 m"),
        ("en", "150000", "CNY 150,000"),
        ("en", "1234.5", "CNY 1,234.50"),
        ("en", "0", "CNY 0"),
    ],
)
def test_money_is_written_as_the_bureau_writes_it(app, language, amount, shown):
    context = _in(app, language)
    try:
        assert money(Decimal(amount)) == shown
    finally:
        context.pop()


def test_an_amount_follows_the_readers_language_and_the_currency_each_time(app):
    """money() remembers what it wrote: the same amount must still change with language and currency."""
    shown = []
    for language, currency in (("zh", "CNY"), ("en", "CNY"), ("zh", "USD"), ("zh", "CNY")):
        app.config["REPORTING_CURRENCY"] = currency
        context = _in(app, language)
        try:
            shown.append(money(Decimal("500000000.00")))
        finally:
            context.pop()
    assert shown == ["5.00亿元", "CNY 500 m", "USD 500 m", "5.00亿元"]
    context = _in(app, "zh")
    try:
        assert [number(1234567), number(2.5), number(None)] == ["1,234,567", "2.5", "—"]
    finally:
        context.pop()


def test_the_compact_form_and_the_spreadsheet_heading(app):
    context = _in(app, "zh")
    try:
        assert money_compact(Decimal("500000000")) == "5亿"
        assert money_compact(Decimal("38000000")) == "3,800万"
        assert amount_header("计划投资") == "计划投资（元）"
        assert money(None) == "—"
    finally:
        context.pop()
    context = _in(app, "en")
    try:
        assert money_compact(Decimal("1200000000")) == "1.2 bn"
        assert amount_header("Planned investment") == "Planned investment (CNY)"
    finally:
        context.pop()


@pytest.mark.parametrize(
    ("typed", "unit", "yuan"),
    [
        ("3800万", "1", "38000000"),
        ("5亿", "1", "500000000"),
        ("5 亿元", "1", "500000000"),
        ("CNY 500 m", "1", "500000000"),
        ("1.2 bn", "1", "1200000000"),
        ("1,500,000", "1", "1500000"),
        ("￥1,500,000.00", "1", "1500000"),
        ("１２３万", "1", "1230000"),  # full-width digits from a Chinese input method
        ("3,800", "10000", "38000000"),  # the unit chosen beside the box
        ("5", "100000000", "500000000"),
        ("3800万", "100000000", "38000000"),  # a typed unit wins over the one selected
    ],
)
def test_typed_amounts_in_any_unit(typed, unit, yuan):
    assert parse_amount(typed, Decimal(unit)) == Decimal(yuan)


@pytest.mark.parametrize("typed", ["1,2,3", "5万万", "lots", "1e5", "NaN"])
def test_what_is_not_an_amount(typed):
    with pytest.raises(ValueError):
        parse_amount(typed)


@pytest.fixture
def officer(login_as):
    return login_as(Role.OFFICER)


def _project_form(enterprise, **fields):
    return {"name": "Battery plant", "code_name": "Project Blue", "enterprise": f"x #{enterprise.id}", **fields}


def test_a_project_entered_in_wan_and_yi_is_stored_in_yuan_exactly(client, officer):
    enterprise = factories.enterprise(officer)
    db.session.commit()
    response = client.post(
        "/projects/new",
        data=_project_form(
            enterprise,
            planned_investment="5",
            **{"planned_investment-unit": "100000000"},
            actual_investment="3,812.34万",
            planned_fixed_assets="CNY 1,234,567.89",
        ),
    )
    assert response.status_code == 302, text_of(response)[:1500]
    project = db.session.scalars(db.select(InvestmentProject)).one()
    assert project.planned_investment == Decimal("500000000")
    assert project.actual_investment == Decimal("38123400")
    assert project.planned_fixed_assets == Decimal("1234567.89")

    page = text_of(client.get(f"/projects/{project.id}"))
    assert "CNY 500 m" in page and "CNY 38.12 m" in page
    # The edit form shows each amount in the unit that reads naturally, the unit selected beside it.
    html = client.get(f"/projects/{project.id}/edit").get_data(as_text=True)
    assert 'name="planned_investment" type="text" value="500"' in html.replace('id="planned_investment" ', "")
    assert '<option value="1000000" selected>CNY m</option>' in html
    assert 'value="1,234,567.89"' in html
    client.post("/language", data={"language": "zh"})
    html = client.get(f"/projects/{project.id}/edit").get_data(as_text=True)
    assert 'value="5"' in html and '<option value="100000000" selected>亿元</option>' in html
    assert 'value="3,812.34"' in html and '<option value="10000" selected>万元</option>' in html
    assert "5.00亿元" in text_of(client.get(f"/projects/{project.id}"))


def test_a_wrong_amount_is_refused_beside_the_field_and_kept(client, officer):
    enterprise = factories.enterprise(officer)
    db.session.commit()
    response = client.post("/projects/new", data=_project_form(enterprise, planned_investment="3800 apples"))
    assert response.status_code == 400
    assert "Enter an amount in digits, for example 1,500,000, 3800万 or CNY 5 m." in text_of(response)
    assert 'value="3800 apples"' in response.get_data(as_text=True)
    assert db.session.scalars(db.select(InvestmentProject)).first() is None


def test_amount_boxes_get_separators_from_a_script_file(client, officer):
    html = client.get("/trips/new").get_data(as_text=True)
    assert 'class="input-group js-amount"' in html and "js/amounts.js" in html
    assert 'inputmode="decimal"' in html
