"""The report as an editable Word document: real heading styles, tables and pictures, so an office can edit it."""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from flask_babel import gettext as _

from crm.reports.queries import joined

# What a Chinese government office's Word has; Word substitutes its own where one is missing.
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "宋体"
LATIN_FONT = "Times New Roman"


def _set_font(style, east_asian: str, size: float, *, bold: bool | None = None) -> None:
    style.font.name = LATIN_FONT
    style.font.size = Pt(size)
    style.font.color.rgb = RGBColor(0, 0, 0)
    if bold is not None:
        style.font.bold = bold
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)


def _styled_document() -> Document:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2.2)
    _set_font(document.styles["Normal"], BODY_FONT, 11)
    _page_numbers(section)
    _set_font(document.styles["Title"], TITLE_FONT, 22, bold=False)
    _set_font(document.styles["Subtitle"], TITLE_FONT, 16, bold=False)
    document.styles["Subtitle"].font.italic = False
    _set_font(document.styles["Heading 1"], HEADING_FONT, 15, bold=True)
    _set_font(document.styles["Heading 2"], HEADING_FONT, 12, bold=True)
    return document


def _page_numbers(section) -> None:
    """A PAGE field in the footer: Word fills in the number on every page."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)


def _text(document, value: str) -> None:
    if not value:
        document.add_paragraph(_("Not recorded."))
        return
    for line in value.splitlines() or [""]:
        document.add_paragraph(line)


def _table(document, headers: list[str], rows: list[list[str]]):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value or ""
    return table


def _cover(document, report: dict) -> None:
    cover = report["cover"]
    bureau = document.add_paragraph(cover["bureau"])
    bureau.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = document.add_paragraph(_("Trip report"), style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle = document.add_paragraph(cover["trip_title"], style="Subtitle")
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    facts = [
        [_("Dates"), cover["dates"]],
        [_("Destinations"), cover["destinations"] or "—"],
        [_("Delegation leader"), cover["leader"] or "—"],
        [_("Report status"), report["status"]],
        *([[_("Approved"), _joined_approval(report["approval"])]] if report.get("approval") else []),
        [_("Report due"), report["deadline"]["due"]],
    ]
    if cover["sectors"]:
        facts.insert(3, [_("Target sectors"), cover["sectors"]])
    table = document.add_table(rows=0, cols=2)
    for label, value in facts:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value


def _joined_approval(approval: dict) -> str:
    return _("approved by %(name)s on %(date)s", name=approval["by"], date=approval["on"])


def _meetings(document, meetings: list[dict]) -> None:
    document.add_heading(_("Meetings"), level=1)
    if not meetings:
        document.add_paragraph(_("No meetings recorded for this trip."))
    for number, meeting in enumerate(meetings, start=1):
        document.add_heading(f"{number}. {meeting['enterprise']}", level=2)
        when = " · ".join(filter(None, [meeting["when"], meeting["city"]]))
        document.add_paragraph(when)
        fields = [
            (_("Counterparts met"), meeting["counterparts"]),
            (_("Our delegation"), meeting["our_side"]),
            (_("Purpose"), meeting["purpose"]),
            (_("What we presented"), meeting["presented"]),
            (_("What was discussed"), meeting["discussed"]),
            (_("Commitments received"), meeting["commitments"]),
            (_("Interest"), meeting["interest"]),
            (_("Projects"), meeting["projects"]),
        ]
        for label, value in fields:
            paragraph = document.add_paragraph()
            paragraph.add_run(_("%(label)s: ", label=label)).bold = True
            paragraph.add_run(value or "—")


def _photos(document, photos: list[dict], files: dict[str, Path]) -> None:
    if not photos:
        return
    document.add_heading(_("Photos"), level=1)
    table = document.add_table(rows=0, cols=2)
    for index, photo in enumerate(photos):
        cells = table.add_row().cells if index % 2 == 0 else table.rows[-1].cells
        cell = cells[index % 2]
        path = files.get(str(photo["id"]))
        if path is not None:
            cell.paragraphs[0].add_run().add_picture(str(path), width=Cm(7.6))
        else:
            cell.paragraphs[0].add_run(_("Photo file missing."))
        if photo["caption"]:
            cell.add_paragraph(photo["caption"]).alignment = WD_ALIGN_PARAGRAPH.CENTER


# Characters XML 1.0 cannot hold, which python-docx refuses: controls pasted from Word (a vertical tab for a line
# break), kept in records typed before the forms removed them, and in reports signed off with them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_safe(value):
    """The report's content with every text made writable into a Word file (a vertical tab becomes a new line)."""
    if isinstance(value, str):
        return _NOT_XML.sub("", value.replace("\x0b", "\n").replace("\x0c", "\n"))
    if isinstance(value, dict):
        return {key: _xml_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_xml_safe(item) for item in value]
    return value


def build_docx(report: dict, photo_files: dict[str, Path]) -> Document:
    report = _xml_safe(report)
    document = _styled_document()
    _cover(document, report)
    document.add_page_break()

    document.add_heading(_("Summary"), level=1)
    if report["cover"]["objectives"]:
        document.add_heading(_("Objectives"), level=2)
        _text(document, report["cover"]["objectives"])
    _text(document, report["summary"])

    document.add_heading(_("Delegation"), level=1)
    _table(
        document,
        [_("Name"), _("Unit"), _("Job title"), _("Role")],
        [[m["name"], m["unit"], m["title"], m["role"]] for m in report["members"]],
    )

    document.add_heading(_("Itinerary"), level=1)
    rows = [
        [day["date"], slot["slot"], joined(slot["entries"], strong=True) or "—"]
        for day in report["itinerary"]
        for slot in day["slots"]
    ]
    _table(document, [_("Date"), _("Time"), _("Programme")], rows)

    _meetings(document, report["meetings"])

    document.add_heading(_("Outcomes"), level=1)
    _table(
        document,
        [_("Project"), _("Enterprise"), _("Stage"), _("Planned investment"), _("Planned jobs")],
        [
            [p["name"], p["enterprise"], p["stage"], p["planned_investment"], p["planned_jobs"]]
            for p in report["outcomes"]
        ],
    )
    document.add_heading(_("Assessment of the trip"), level=2)
    _text(document, report["assessment"])

    document.add_heading(_("Follow-up plan"), level=1)
    _table(
        document,
        [_("Action"), _("Owner"), _("Due")],
        [[f["action"], f["owner"], f["due"]] for f in report["follow_ups"]],
    )
    document.add_heading(_("Recommendations"), level=2)
    _text(document, report["recommendations"])

    document.add_heading(_("Budget and spending"), level=1)
    budget = report["budget"]
    _table(
        document,
        [_("Planned budget"), _("Actual cost"), _("Over budget") if budget["over"] else _("Difference")],
        [[budget["planned"], budget["actual"], budget["difference"]]],
    )

    _photos(document, report["photos"], photo_files)

    document.add_heading(_("Sign-off"), level=1)
    _table(
        document,
        ["", _("Name"), _("Signature and date")],
        [[_("Head of delegation"), report["sign_off"]["leader"], ""], [_("Head of department"), "", ""]],
    )
    return document
