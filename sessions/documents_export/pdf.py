"""An :class:`OfficialDocument` as a PDF: the HTML template ``council_sessions/official/document.html`` rendered by
WeasyPrint (A4, Decree 30's margins, Times New Roman 13-14; where Times New Roman is not installed, fontconfig's
metric-compatible Liberation Serif from Debian's fonts-liberation2, with DejaVu Serif for any missing glyph)."""

from __future__ import annotations

from django.template.loader import render_to_string

from .model import Heading, OfficialDocument, Table

TEMPLATE = "council_sessions/official/document.html"


def render_html(doc: OfficialDocument) -> str:
    blocks = [
        {
            "kind": "heading" if isinstance(b, Heading) else "table" if isinstance(b, Table) else "paragraph",
            "block": b,
            "widths": [f"{100 * w / sum(b.widths):.2f}" for w in b.widths] if isinstance(b, Table) else [],
        }
        for b in doc.blocks
    ]
    return render_to_string(TEMPLATE, {"doc": doc, "blocks": blocks})


class PdfEngineUnavailable(RuntimeError):
    """WeasyPrint cannot load the system's Pango libraries (a server installed from requirements.txt alone)."""


def render_pdf(doc: OfficialDocument) -> bytes:
    # Imported on use: WeasyPrint loads Pango, which only the PDF downloads need; the rest of the portal runs
    # without it.
    try:
        from weasyprint import HTML
    except OSError as exc:
        raise PdfEngineUnavailable(str(exc)) from exc
    return HTML(string=render_html(doc)).write_pdf()
