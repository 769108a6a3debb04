"""An :class:`OfficialDocument` as a Word file (python-docx): A4, margins and fonts of Decree 30/2020/NĐ-CP's
appendix I (Times New Roman 13-14; top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm)."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .model import Heading, OfficialDocument, Paragraph, Table

FONT = "Times New Roman"
BODY_PT = 14
SMALL_PT = 12
CONTENT_WIDTH_MM = 160  # A4 210 mm less 30 mm left and 20 mm right


def _set_font(run, *, size=BODY_PT, bold=False, italic=False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    # East-Asian and complex-script slots too, or Word may substitute another font for the Vietnamese letters.
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def _line(container, text, *, size=BODY_PT, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.CENTER, after=0):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.space_before = Pt(0)
    _set_font(paragraph.add_run(text), size=size, bold=bold, italic=italic)
    return paragraph


def _underline_rule(container, width_mm: int) -> None:
    """The short solid line under the issuing body and under the Tiêu ngữ (a bordered, empty paragraph)."""
    table = container.add_table(rows=1, cols=1)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    cell = table.rows[0].cells[0]
    cell.width = Mm(width_mm)
    borders = OxmlElement("w:tcBorders")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "0"), ("w:color", "000000")):
        top.set(qn(key), value)
    borders.append(top)
    cell._tc.get_or_add_tcPr().append(borders)
    cell.paragraphs[0].paragraph_format.space_after = Pt(0)
    _set_font(cell.paragraphs[0].add_run(""), size=2)


def _clear(cell) -> None:
    cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)


def _header(document, doc: OfficialDocument) -> None:
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = Mm(64), Mm(100)
    for cell in (left, right):
        _clear(cell)
    _line(left, doc.issuing_body, size=12, bold=True)
    _underline_rule(left, 25)
    _line(left, doc.number_line, size=13, after=0)
    _line(right, doc.national_title, size=12, bold=True)
    _line(right, doc.motto, size=13, bold=True)
    _underline_rule(right, 60)
    _line(right, doc.place_date, size=14, italic=True)


def _title(document, doc: OfficialDocument) -> None:
    _line(document, "", after=0)
    _line(document, doc.title, bold=True)
    for subtitle in doc.subtitles:
        _line(document, subtitle, bold=True)
    _line(document, "", after=0)


def _paragraph(document, block: Paragraph) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Mm(10)
    paragraph.paragraph_format.space_after = Pt(6)
    if block.bold_lead:
        _set_font(paragraph.add_run(block.bold_lead), bold=True)
    _set_font(paragraph.add_run(block.text), italic=block.italic)


def _heading(document, block: Heading) -> None:
    _line(document, block.text, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT, after=6)


def _table(document, block: Table) -> None:
    table = document.add_table(rows=1, cols=len(block.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    total = sum(block.widths)
    widths = [Mm(CONTENT_WIDTH_MM * w / total) for w in block.widths]
    for index, (cell, text) in enumerate(zip(table.rows[0].cells, block.headers, strict=True)):
        cell.width = widths[index]
        _clear(cell)
        _line(cell, text, size=SMALL_PT, bold=True)
    for row_index, row in enumerate(block.rows):
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.width = widths[index]
            _clear(cell)
            align = WD_ALIGN_PARAGRAPH.CENTER if index in block.centred else WD_ALIGN_PARAGRAPH.LEFT
            _line(cell, text, size=SMALL_PT, bold=row_index in block.bold_rows, align=align)
    _line(document, "", size=6)


def _signatures(document, doc: OfficialDocument) -> None:
    columns = max(2, len(doc.signers))
    table = document.add_table(rows=1, cols=columns)
    cells = table.rows[0].cells
    # One signer signs on the right; the left column then holds "Nơi nhận:".
    signer_cells = cells[-len(doc.signers) :] if doc.signers else []
    for cell in cells:
        _clear(cell)
    if doc.recipients and len(doc.signers) == 1:
        _line(cells[0], "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        for recipient in doc.recipients:
            _line(cells[0], f"- {recipient}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    elif len(doc.signers) == 1:
        _line(cells[0], "")
    for cell, signer in zip(signer_cells, doc.signers, strict=True):
        for capacity in signer.capacity:
            _line(cell, capacity, bold=True)
        _line(cell, "(Ký, ghi rõ họ tên)", size=13, italic=True)
        for _ in range(4):
            _line(cell, "")
        _line(cell, signer.name or "", bold=True)


def render_docx(doc: OfficialDocument) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(20)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    document.core_properties.title = " ".join([doc.title, *doc.subtitles])
    _header(document, doc)
    _title(document, doc)
    for block in doc.blocks:
        if isinstance(block, Heading):
            _heading(document, block)
        elif isinstance(block, Table):
            _table(document, block)
        else:
            _paragraph(document, block)
    _signatures(document, doc)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
