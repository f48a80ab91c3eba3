"""The report's three forms, opened with reading libraries: the PDF's text, the Word document's structure,
the HTML's sections; and the awkward input that must still render."""

from __future__ import annotations

import io
import re
from datetime import date

import docx
import pypdf
import pytest

from crm.core.roles import Role
from crm.extensions import db
from crm.reports import export, queries, services
from crm.reports.fonts import font_status
from tests import factories
from tests.conftest import text_of


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def content(trip, language="zh"):
    return services.content_for_export(trip, language)


def test_the_pdf_holds_every_section_with_chinese_korean_and_japanese_names(app, report_trip):
    data = export.render(content(report_trip), "pdf", "zh")
    text = pdf_text(data)
    for expected in (
        "出访报告",
        "李红艳",
        "김민준",
        "佐藤はるか",
        "博世汽车柴油系统有限公司",
        "后期工作设想",
        "寄送招商指南",
    ):
        assert expected in text
    assert "经费预算与支出" in text and "审签" in text
    # A confidential project circulates by its code name only.
    assert "ProjectHarbour" in text and "Secretcampus" not in text


@pytest.mark.skipif(not font_status()["has_cjk"], reason="the machine has no CJK font")
def test_the_pdf_embeds_a_serif_cjk_font(app, report_trip):
    reader = pypdf.PdfReader(io.BytesIO(export.render(content(report_trip), "pdf", "zh")))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            if "/FontFile" in str(descendant["/FontDescriptor"].get_object().keys()):
                names.add(str(font["/BaseFont"]))
    assert any("Serif-CJK" in name for name in names), names


def test_the_word_document_has_real_headings_tables_and_pictures(app, report_trip):
    document = docx.Document(io.BytesIO(export.render(content(report_trip, "en"), "docx", "en")))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:4] == ["Summary", "Delegation", "Itinerary", "Meetings"]
    assert {"Outcomes", "Follow-up plan", "Budget and spending", "Photos", "Sign-off"} <= set(headings)
    assert [p.text for p in document.paragraphs if p.style.name in ("Title", "Subtitle")] == [
        "Trip report",
        "赴无锡、苏州、杭州招商考察",
    ]
    delegation = next(t for t in document.tables if t.rows[0].cells[0].text == "Name")
    assert [row.cells[0].text for row in delegation.rows[1:]] == ["李红艳", "김민준", "佐藤はるか"]
    assert len(document.inline_shapes) == 1  # the photo on disk; the missing one says so instead
    assert "Photo file missing." in "\n".join(cell.text for t in document.tables for r in t.rows for cell in r.cells)


def test_the_html_is_a_print_page_with_every_section_and_no_navigation(client, login_as, report_trip):
    login_as(Role.OFFICER)
    response = client.get(f"/trips/{report_trip.id}/report/export?format=html&language=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for section in ("cover", "summary", "delegation", "itinerary", "meetings", "outcomes", "follow-up-plan", "budget"):
        assert f'id="{section}"' in html
    assert "@page" in html and "counter(pages)" in html and "size: A4" in html
    assert "<nav" not in html and "<script" not in html
    assert 'src="data:image/jpeg;base64,' in html  # the photo travels inside the file
    # The style block is allowed by its hash, and nothing else is.
    assert export.css_hash(export.report_css()) in response.headers["Content-Security-Policy"]
    assert "Morning" in text_of(response) and "Afternoon" in text_of(response)


def test_the_english_export_translates_labels_and_keeps_names(app, report_trip):
    text = pdf_text(export.render(content(report_trip, "en"), "pdf", "en"))
    assert "Followupplan" in text.replace("-", "") and "Meetings" in text and "李红艳" in text


def test_a_trip_with_no_visits_and_no_records_still_renders_every_form(app, make_user):
    trip = factories.trip(make_user(Role.OFFICER), title="Empty 😀 trip")
    for file_format in ("html", "docx"):
        assert export.render(content(trip, "en"), file_format, "en")
    text = pdf_text(export.render(content(trip, "en"), "pdf", "en"))
    assert "Nomeetingsrecordedforthistrip." in text and "Notrecorded." in text


def test_a_long_discussion_is_printed_whole_over_several_pages(app, report_trip):
    reader = pypdf.PdfReader(io.BytesIO(export.render(content(report_trip), "pdf", "zh")))
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    assert text.count("数字城市建设合作") >= 990  # a few are split by the page numbers between pages
    assert len(reader.pages) >= 6


def test_each_language_s_report_has_its_title_and_the_pages_dates(app, report_trip):
    """A Chinese report is titled in Chinese and an English one in English, and English dates read as on the
    pages ("23 Mar 2026", not Babel's American "Mar 23, 2026")."""
    report_trip.title, report_trip.local_title = "Mission to Wuxi, Suzhou and Hangzhou", "赴无锡、苏州、杭州招商考察"
    english, chinese = content(report_trip, "en"), content(report_trip, "zh")
    assert english["cover"]["trip_title"] == "Mission to Wuxi, Suzhou and Hangzhou"
    assert chinese["cover"]["trip_title"] == "赴无锡、苏州、杭州招商考察"
    assert english["cover"]["dates"] == "23 Mar 2026 – 26 Mar 2026"
    assert chinese["cover"]["dates"] == "2026年3月23日 – 2026年3月26日"
    assert "Mar 23" not in pdf_text(export.render(english, "pdf", "en"))


def test_text_pasted_from_word_with_control_characters_still_exports_to_word(app, report_trip):
    """Records typed before the forms took controls out, and reports signed off with them, still open in Word."""
    visit = queries.trip_visits(report_trip.id)[0]
    visit.discussed = "Pasted from Word:\x0bline two\x01"
    report_trip.title = "Trip\x1f to Wuxi"
    data = export.render(content(report_trip, "en"), "docx", "en")
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Pasted from Word:\nline two" in text and "Trip to Wuxi" in text


def test_a_project_made_confidential_after_the_sign_off_shows_its_code_name_in_the_signed_report(
    client, login_as, report_trip
):
    manager = login_as(Role.MANAGER)
    project = next(item for item in queries.projects_of_trip(report_trip.id) if not item.is_confidential)
    factories.follow_up(manager, project=project, title="Diesel line: send the land offer", due_on=date(2026, 4, 9))
    report = services.report_for(report_trip)
    services.submit(report, by=manager)
    services.approve(report, by=manager)
    db.session.commit()
    assert "Diesel line" in text_of(client.get(f"/trips/{report_trip.id}/report/export?format=html&language=en"))
    project.is_confidential, project.code_name = True, "Project Osprey"
    db.session.commit()
    for language in ("en", "zh"):
        shown = content(report_trip, language)
        assert "Diesel line" not in str(shown) and "Project Osprey" in str(shown["outcomes"])
        page = text_of(client.get(f"/trips/{report_trip.id}/report/export?format=html&language={language}"))
        assert "Diesel line" not in page and "Project Osprey" in page
