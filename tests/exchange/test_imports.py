"""Imports: upload → preview (errors, duplicates) → confirm → every row written, or none."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
import sqlalchemy as sa

from crm.core.audit import AuditAction, AuditEvent
from crm.core.roles import Role
from crm.enterprises.models import Contact, Enterprise, EnterpriseKind
from crm.extensions import db
from crm.pipeline.models import InvestmentProject, Stage
from tests import factories
from tests.conftest import count_rows, text_of


def upload(client, kind: str, data: bytes, filename: str = "list.csv"):
    return client.post(f"/exchange/import/{kind}", data={"file": (io.BytesIO(data), filename)})


def preview_url(response) -> str:
    assert response.status_code == 302, (response.status_code, text_of(response)[-1500:-400])
    return response.headers["Location"]


def csv_bytes(lines: list[str], encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula, as an export writes it
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@pytest.fixture
def manager(login_as):
    return login_as(Role.MANAGER)


def test_an_enterprise_list_is_previewed_then_imported(client, manager):
    data = csv_bytes(
        [
            "Name,Name in Chinese,Kind,City,Sectors",
            "Bosch Automotive Diesel Systems,博世汽车柴油系统,Company,Wuxi,",
            "Dulwich International High School,德威国际高中,School,Suzhou,",
        ]
    )
    url = preview_url(upload(client, "enterprises", data))
    page = client.get(url)
    assert page.status_code == 200
    assert "博世汽车柴油系统" in text_of(page)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enterprise)) == 0  # nothing yet

    confirmed = client.post(url)
    assert confirmed.status_code == 302
    school = db.session.scalars(sa.select(Enterprise).where(Enterprise.city == "Suzhou")).one()
    assert school.kind is EnterpriseKind.SCHOOL
    assert school.local_name == "德威国际高中"
    assert school.owner_id == manager.id
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == AuditAction.IMPORT)).one()
    assert event.changes["created"] == 2 and event.changes["file"] == "list.csv"


def test_chinese_headers_and_gbk_text_are_read(client, manager):
    data = csv_bytes(["名称,中文名称,类型,城市", "Huawei,华为苏州研究所,学校,苏州"], encoding="gbk")
    url = preview_url(upload(client, "enterprises", data))
    client.post(url)
    huawei = db.session.scalars(sa.select(Enterprise)).one()
    assert (huawei.local_name, huawei.city, huawei.kind) == ("华为苏州研究所", "苏州", EnterpriseKind.SCHOOL)


@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf"])
def test_utf8_with_or_without_bom(client, manager, prefix):
    url = preview_url(upload(client, "enterprises", prefix + csv_bytes(["Name,City", "Zhongguancun Lab,北京"])))
    client.post(url)
    assert db.session.scalars(sa.select(Enterprise.city)).one() == "北京"


def test_a_bad_row_in_the_middle_writes_nothing(client, manager):
    factories.enterprise(manager, name="Anchor Co", local_name="锚企业")
    data = csv_bytes(
        [
            "Name,Code name,Enterprise,Expected decision date,Planned investment (yuan)",
            'Plant A,Alpha,Anchor Co,2026-12-01,"1,500,000"',
            "Plant B,Beta,Anchor Co,31 February,150万",
            "Plant C,Gamma,Anchor Co,2027年1月5日,1.5亿",
        ]
    )
    before = count_rows()
    url = preview_url(upload(client, "projects", data))
    page = client.get(url)
    text = text_of(page)
    assert "1 row has errors" in text and "Rows: 3." in text
    assert re.search(r"3 .*“31 February” is not a date", text)
    refused = client.post(url)
    assert refused.status_code == 400
    assert count_rows() == before


def test_dates_in_three_formats_and_amounts_with_wan_or_commas(client, manager):
    factories.enterprise(manager, name="Anchor Co", local_name="锚企业")
    data = csv_bytes(
        [
            "Name,Code name,Enterprise,Stage,Expected decision date,Planned investment (yuan),Actual investment (yuan)",
            'Plant A,Alpha,Anchor Co,Negotiation,2026-12-01,"1,500,000",',
            "Plant B,Beta,锚企业,在谈,2026/12/02,150万,",
            'Plant C,Gamma,anchor co,,2027年1月5日,1.5亿,"2,000.50"',
            # Read as the forms read amounts: full-width digits, CNY m.
            "Plant D,Delta,Anchor Co,,,１．５亿,CNY 5 m",
        ]
    )
    client.post(preview_url(upload(client, "projects", data)))
    projects = {p.code_name: p for p in db.session.scalars(sa.select(InvestmentProject))}
    assert projects["Alpha"].expected_decision_on == date(2026, 12, 1)
    assert projects["Beta"].expected_decision_on == date(2026, 12, 2)
    assert projects["Gamma"].expected_decision_on == date(2027, 1, 5)
    assert projects["Alpha"].planned_investment == Decimal("1500000.00")
    assert projects["Beta"].planned_investment == Decimal("1500000.00")
    assert projects["Gamma"].planned_investment == Decimal("150000000.00")
    assert projects["Gamma"].actual_investment == Decimal("2000.50")
    assert (projects["Delta"].planned_investment, projects["Delta"].actual_investment) == (150000000, 5000000)
    assert projects["Alpha"].stage is Stage.NEGOTIATION and projects["Beta"].stage is Stage.NEGOTIATION
    assert projects["Gamma"].stage is Stage.LEAD


def test_duplicates_in_the_database_and_in_the_file_offer_a_choice(client, manager):
    existing = factories.enterprise(manager, name="Bosch Automotive Diesel Systems Co., Ltd.", local_name=None, city="")
    data = csv_bytes(
        [
            "Name,City",
            "bosch automotive diesel systems,Wuxi",  # the same as the one in crm
            "Hangzhou City Brain,Hangzhou",
            "HANGZHOU CITY BRAIN CO LTD,Hangzhou",  # the same as the row above
            "New Co,Suzhou",
        ]
    )
    url = preview_url(upload(client, "enterprises", data))
    text = text_of(client.get(url))
    assert "Already there: Bosch Automotive Diesel Systems Co., Ltd." in text
    assert "Same as row 3." in text
    client.post(url, data={"choice-2": "update", "choice-4": "skip"})
    db.session.expire_all()
    assert existing.city == "Wuxi"
    names = sorted(db.session.scalars(sa.select(Enterprise.name)))
    assert names == ["Bosch Automotive Diesel Systems Co., Ltd.", "Hangzhou City Brain", "New Co"]


def test_create_anyway_keeps_both(client, manager):
    factories.enterprise(manager, name="Same Name", local_name=None)
    url = preview_url(upload(client, "enterprises", csv_bytes(["Name", "Same Name"])))
    client.post(url, data={"choice-2": "create"})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enterprise)) == 2


def test_contacts_are_matched_to_their_enterprise(client, manager):
    enterprise = factories.enterprise(manager, name="Bosch", local_name="博世")
    factories.contact(enterprise, manager, name="Li Lei")
    data = csv_bytes(["Name,Enterprise,Mobile", "Li Lei,博世,139", "Han Meimei,Bosch,138", "Nobody,Unknown Co,1"])
    url = preview_url(upload(client, "contacts", data))
    text = text_of(client.get(url))
    assert "Already there: Li Lei" in text
    assert re.search(r"4 .*Enterprise", text)
    data = csv_bytes(["Name,Enterprise,Mobile", "Li Lei,博世,139", "Han Meimei,Bosch,138"])
    client.post(preview_url(upload(client, "contacts", data)), data={"choice-2": "update"})
    assert sorted(db.session.scalars(sa.select(Contact.mobile))) == ["138", "139"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (csv_bytes(["Name,City"]), "a header but no rows"),
        (b"\xff\xfeN\x00a\x00m\x00e\x00\xff\xff", "not in UTF-8 or GBK"),
        (csv_bytes(["Company,Town", "Bosch,Wuxi"]), "It needs at least: Enterprise name or Name in Chinese."),
        (b"PK\x03\x04garbage", "not a valid Excel workbook"),
    ],
)
def test_unreadable_files_are_refused_with_a_clear_message(client, manager, data, message):
    before = count_rows()
    response = upload(client, "enterprises", data)
    assert response.status_code == 400
    assert message in text_of(response)
    assert count_rows() == before


def test_a_file_over_the_limit_is_refused(app, client, manager):
    app.config["IMPORT_MAX_BYTES"] = 1024
    response = upload(client, "enterprises", csv_bytes(["Name"] + [f"Enterprise {n}" for n in range(200)]))
    assert response.status_code == 400
    assert "larger than" in text_of(response)


def _zip(members: dict[str, bytes]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for name, content in members.items():
            archive.writestr(name, content)
    return output.getvalue()


def test_an_xlsx_zip_bomb_or_a_member_escaping_the_folder_is_refused_unopened(client, manager, monkeypatch):
    from crm.exchange import reading

    response = upload(client, "enterprises", _zip({"../x": b"hello"}), "bad.xlsx")
    assert response.status_code == 400
    assert "unsafe name" in text_of(response)

    monkeypatch.setattr(reading, "MAX_UNPACKED_BYTES", 4 * 1024 * 1024)
    bomb = _zip({"xl/worksheets/sheet1.xml": b"\0" * (8 * 1024 * 1024)})
    assert len(bomb) < 100_000
    response = upload(client, "enterprises", bomb, "bomb.xlsx")
    assert response.status_code == 400
    assert "unpacks to far more" in text_of(response)


def test_an_xlsx_upload_is_read(client, manager):
    data = xlsx_bytes([["名称", "城市"], ["=1+1", "Wuxi"], ["Plain", None]])
    client.post(preview_url(upload(client, "enterprises", data, "list.xlsx")))
    assert sorted(db.session.scalars(sa.select(Enterprise.name))) == ["=1+1", "Plain"]


def test_officers_may_not_import(client, login_as):
    login_as(Role.OFFICER)
    assert client.get("/exchange/import/enterprises").status_code == 403
    assert upload(client, "enterprises", csv_bytes(["Name", "X"])).status_code == 403


def test_an_upload_belongs_to_its_uploader(client, login_as):
    login_as(Role.MANAGER)
    url = preview_url(upload(client, "enterprises", csv_bytes(["Name", "Mine"])))
    client.post("/logout")
    login_as(Role.MANAGER)
    response = client.post(url)
    assert response.status_code == 302 and "/exchange/import/enterprises" in response.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enterprise)) == 0


def test_the_template_explains_each_column_in_both_languages(client, manager):
    response = client.get("/exchange/import/contacts/template.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    headers = [cell.value for cell in workbook.worksheets[0][1]]
    assert headers[:3] == ["Name", "Name in Chinese characters", "Enterprise"]
    guide = [[cell.value for cell in row] for row in workbook.worksheets[1].iter_rows()]
    assert guide[0] == ["Column", "列名", "Required 必填", "What to write", "填写说明"]
    enterprise_row = next(row for row in guide if row[0] == "Enterprise")
    assert enterprise_row[1] == "企业" and enterprise_row[2] == "yes 是"
    assert "企业" in enterprise_row[4]
