"""The report template an officer downloads for an agenda item: a Word document (.docx) with
the council's front-sheet questions and a report's usual sections, filled in with what is known
of the item (its board, meeting, title, wards, call-in and exemption), to be written in Word or
LibreOffice and uploaded to the item (``boards.uploads``, ``boards.conversion``).

The questions and sections are those of the council's reports (as in the reference pack: report
of, report to, date, subject, the front sheet's questions, summary of main issues,
recommendations, then numbered sections, background documents and the contact officer). They
are fixed here, in one place: ``FRONT_SHEET`` and ``SECTIONS``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from boards import formatting
from boards.models import AgendaItem, Council
from boards.models.exemption import exemption_notice

PLACEHOLDER_COLOUR = RGBColor(0x50, 0x5A, 0x5F)


@dataclass(frozen=True)
class Question:
    """A row of the front sheet: what it asks, and the answer to fill in when nothing is known."""

    label: str
    blank: str


FRONT_SHEET = {
    "report_of": Question("Report of", "[Job title of the report's author]"),
    "report_to": Question("Report to", ""),
    "date": Question("Date of the meeting", ""),
    "item": Question("Agenda item", ""),
    "subject": Question("Subject", ""),
    "wards": Question("Are specific electoral wards affected? If so, name them.", "[Yes or No]"),
    "equality": Question(
        "Are there implications for equality and diversity and cohesion and integration?",
        "[Yes or No]",
    ),
    "key_decision": Question(
        "Is the decision a key decision (on the forward plan)?", "[Yes or No]"
    ),
    "call_in": Question("Is the decision eligible for call-in?", "[Yes or No]"),
    "exempt": Question(
        "Does the report contain confidential or exempt information? If so, the paragraph of "
        "Schedule 12A, which appendix, and why the public interest in keeping it exempt "
        "outweighs disclosing it.",
        "[Yes or No]",
    ),
}


@dataclass(frozen=True)
class Section:
    heading: str
    guidance: str
    parts: tuple[tuple[str, str], ...] = ()


SECTIONS = (
    Section("Summary of main issues", "[The main issues, in a few short paragraphs.]"),
    Section(
        "Recommendations",
        "[What the board is asked to do: a) note…, b) make recommendations as it sees fit.]",
    ),
    Section("1 Purpose of this report", "[1.1 What this report is for, in a sentence or two.]"),
    Section("2 Background information", "[2.1 What the board needs to know first.]"),
    Section("3 Main issues", "[3.1 The issues, one numbered paragraph each.]"),
    Section(
        "4 Corporate considerations",
        "",
        (
            ("4.1 Consultation and engagement", "[Who was consulted, and what they said.]"),
            (
                "4.2 Equality and diversity / cohesion and integration",
                "[The impact on people with protected characteristics, and any equality "
                "impact assessment.]",
            ),
            ("4.3 Council policies and priorities", "[How this serves the council's plans.]"),
            (
                "4.4 Resources, procurement and value for money",
                "[The financial implications: costs, savings, budgets.]",
            ),
            (
                "4.5 Legal implications, access to information and call-in",
                "[Legal implications; whether any information is exempt, and why; whether the "
                "decision is eligible for call-in.]",
            ),
            ("4.6 Risk management", "[The risks, and how they are managed.]"),
        ),
    ),
    Section("5 Conclusions", "[5.1 What follows from the main issues.]"),
    Section("6 Recommendations", "[6.1 The recommendations again, numbered.]"),
    Section(
        "7 Background documents",
        "[The unpublished documents this report relies on. They are published with it unless "
        "they contain confidential or exempt information; published works are not listed.]",
    ),
    Section(
        "Appendices",
        "[A: title; B: title. Upload each appendix to the agenda item as a paper of its own.]",
    ),
)

CONTACT_OFFICER = ("Name", "Job title", "Telephone", "Email")


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def front_sheet_answers(item: AgendaItem) -> dict[str, str]:
    """The front sheet's answers as the item has them (as a report written in the app shows
    them); what the item does not say is left to fill in."""
    meeting = item.meeting
    wards = [ward.name for ward in item.wards.all()]
    exempt = "No"
    if item.exempt and item.exempt_paragraph:
        exempt = f"Yes: {exemption_notice(item.exempt_paragraph)}."
        if item.public_interest_reasoning:
            exempt += f" Public interest: {item.public_interest_reasoning}"
    return {
        "report_of": str(item.lead_post) if item.lead_post else FRONT_SHEET["report_of"].blank,
        "report_to": meeting.board.name,
        "date": formatting.long_date(meeting.starts_at),
        "item": f"{item.shown_number} {item.title}",
        "subject": item.title,
        "wards": f"Yes: {', '.join(wards)}" if wards else "No",
        "equality": _yes_no(item.equality_implications),
        "key_decision": FRONT_SHEET["key_decision"].blank,
        "call_in": _yes_no(item.eligible_for_call_in),
        "exempt": exempt,
    }


def report_template(item: AgendaItem) -> bytes:
    """The item's report template as the bytes of a .docx file."""
    meeting = item.meeting
    council = Council.load()
    document = Document()
    _british_a4(document)
    properties = document.core_properties
    properties.title = item.title
    properties.subject = f"{meeting.board.name}, {formatting.long_date(meeting.starts_at)}"
    properties.author = council.name
    properties.language = "en-GB"
    properties.comments = ""

    answers = front_sheet_answers(item)
    report_of = answers["report_of"]
    document.add_heading(
        f"Report of {report_of}" if item.lead_post else "Report of [job title]", level=0
    )
    intro = document.add_paragraph()
    _placeholder(
        intro,
        f"Report template for item {item.shown_number} at the meeting of {meeting.board.name} "
        f"on {formatting.long_datetime(meeting.starts_at)}. Papers are published by "
        f"{formatting.long_date(meeting.publication_deadline)}: send the report to the "
        "scrutiny officer before then. Replace every note in square brackets, then upload the "
        "document to the item (Word .docx or OpenDocument .odt; it is converted to PDF). "
        "Accept or reject any tracked changes and delete any comments first.",
    )

    document.add_heading("Front sheet", level=1)
    table = _table(document)
    for key, question in FRONT_SHEET.items():
        cells = _row(table)
        cells[0].paragraphs[0].add_run(question.label).bold = True
        answer = answers[key]
        if answer.startswith("["):
            _placeholder(cells[1].paragraphs[0], answer)
        else:
            cells[1].paragraphs[0].add_run(answer)

    for section in SECTIONS:
        document.add_heading(section.heading, level=1)
        if section.guidance:
            _placeholder(document.add_paragraph(), section.guidance)
        for heading, guidance in section.parts:
            document.add_heading(heading, level=2)
            _placeholder(document.add_paragraph(), guidance)

    document.add_heading("Contact officer", level=1).paragraph_format.keep_with_next = True
    contact = _table(document)
    for label in CONTACT_OFFICER:
        cells = _row(contact)
        cells[0].paragraphs[0].add_run(label).bold = True
        _placeholder(cells[1].paragraphs[0], f"[{label}]")
        if label != CONTACT_OFFICER[-1]:  # the table kept on one page
            for cell in cells:
                cell.paragraphs[0].paragraph_format.keep_with_next = True

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


COLUMNS = (Mm(65), Mm(95))  # the question, the answer: the width of the text


def _table(document):
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, COLUMNS, strict=True):
        column.width = width
    return table


def _row(table):
    """A new row of a two-column table, its cells as wide as the columns (Word reads the
    cells' widths, LibreOffice the columns')."""
    cells = table.add_row().cells
    for cell, width in zip(cells, COLUMNS, strict=True):
        cell.width = width
    return cells


def _placeholder(paragraph, text: str) -> None:
    run = paragraph.add_run(text)
    run.italic = True
    run.font.color.rgb = PLACEHOLDER_COLOUR


def _british_a4(document) -> None:
    """A4 with 25 mm margins, Arial 12 point, and British English as the language (which
    the PDF made from it declares to screen readers)."""
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(25))
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(12)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    properties = run_defaults.find(qn("w:rPr")) if run_defaults is not None else None
    if properties is None:
        return
    for old in properties.findall(qn("w:lang")):
        properties.remove(old)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "en-GB")
    language.set(qn("w:eastAsia"), "en-GB")
    language.set(qn("w:bidi"), "ar-SA")
    properties.append(language)
