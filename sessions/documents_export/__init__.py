"""Official documents of a session (programme, invitation list, minutes, list of adopted resolutions or decisions)
as Word files and PDF, in the format of Decree 30/2020/NĐ-CP:

- :mod:`.model`: the document's shape, the same for both formats;
- :mod:`.content`: what each document says, from a session loaded by ``selectors.session_for_documents``;
- :mod:`.docx`: the Word file (python-docx); :mod:`.pdf`: the PDF (an HTML template rendered by WeasyPrint).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Session
from .content import BUILDERS
from .docx import render_docx
from .pdf import PdfEngineUnavailable, render_pdf

__all__ = ["FORMATS", "PdfEngineUnavailable", "RenderedDocument", "needs_closed_session", "render"]

FORMATS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", render_docx),
    "pdf": ("application/pdf", render_pdf),
}


@dataclass(frozen=True)
class RenderedDocument:
    content: bytes
    content_type: str
    filename: str


def needs_closed_session(name: str) -> bool:
    return BUILDERS[name][1]


def render(session: Session, *, name: str, fmt: str) -> RenderedDocument:
    """The document ``name`` (a key of ``BUILDERS``) of ``session`` in the format ``fmt`` ("docx" or "pdf")."""
    build, _needs_closed = BUILDERS[name]
    content_type, renderer = FORMATS[fmt]
    doc = build(session)
    return RenderedDocument(content=renderer(doc), content_type=content_type, filename=f"{doc.filename}.{fmt}")
