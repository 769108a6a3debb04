"""The standard programmes of a first HĐND session / first UBND meeting and the default session titles."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Document, Session

# --- templates of the standard programmes (domain.md, "First sessions") -------------------------------------------


@dataclass(frozen=True)
class TemplateItem:
    title: str
    presenter: str
    minutes: int
    document: str = ""
    document_kind: str = Document.Kind.DRAFT_RESOLUTION


PROGRAMME_TEMPLATES: dict[str, list[TemplateItem]] = {
    Session.Kind.HDND: [
        TemplateItem("Khai mạc kỳ họp; công bố danh sách đại biểu HĐND và các quyết định chỉ định", "Chủ tọa", 5),
        TemplateItem(
            "Nghị quyết thành lập các cơ quan chuyên môn thuộc UBND và Trung tâm Phục vụ hành chính công",
            "Văn phòng HĐND và UBND",
            8,
            "Tờ trình và dự thảo Nghị quyết thành lập các cơ quan chuyên môn và Trung tâm PVHCC",
        ),
        TemplateItem(
            "Nghị quyết thành lập các Ban của HĐND và các Tổ đại biểu HĐND",
            "Thường trực HĐND",
            7,
            "Tờ trình và dự thảo Nghị quyết thành lập các Ban và Tổ đại biểu",
        ),
        TemplateItem(
            "Nghị quyết ban hành Quy chế hoạt động của HĐND",
            "Thường trực HĐND",
            7,
            "Dự thảo Quy chế hoạt động của HĐND",
        ),
        TemplateItem(
            "Nghị quyết về Chương trình kỳ họp thường lệ năm 2025 của HĐND",
            "Thường trực HĐND",
            5,
            "Dự thảo Nghị quyết về Chương trình kỳ họp năm 2025",
        ),
        TemplateItem("Thảo luận, biểu quyết thông qua các nghị quyết", "Chủ tọa", 8),
        TemplateItem("Bế mạc kỳ họp", "Chủ tọa", 3),
    ],
    Session.Kind.UBND: [
        TemplateItem("Khai mạc; thông qua chương trình phiên họp", "Chủ tịch UBND", 3),
        TemplateItem(
            "Dự thảo Quy chế làm việc của UBND",
            "Văn phòng HĐND và UBND",
            12,
            "Dự thảo Quyết định ban hành Quy chế làm việc của UBND",
            Document.Kind.DRAFT_DECISION,
        ),
        TemplateItem(
            "Chương trình công tác của UBND năm 2025",
            "Văn phòng HĐND và UBND",
            10,
            "Dự thảo Chương trình công tác năm 2025",
            Document.Kind.DRAFT_DECISION,
        ),
        TemplateItem(
            "Phân công nhiệm vụ Chủ tịch, các Phó Chủ tịch và Ủy viên UBND",
            "Chủ tịch UBND",
            10,
            "Dự thảo Quyết định phân công nhiệm vụ",
            Document.Kind.DRAFT_DECISION,
        ),
        TemplateItem("Kết luận phiên họp", "Chủ tịch UBND", 5),
    ],
}

_ORDINALS = {1: "thứ nhất", 2: "thứ hai", 3: "thứ ba", 4: "thứ tư"}


def default_title(*, kind: str, number: int, unit, is_rehearsal: bool = False) -> str:
    ordinal = _ORDINALS.get(number, f"thứ {number}")
    if kind == Session.Kind.HDND:
        title = f"Kỳ họp {ordinal} HĐND {unit.name}"
    else:
        title = f"Phiên họp {ordinal} UBND {unit.name}"
    return f"{title} (diễn tập)" if is_rehearsal else title
