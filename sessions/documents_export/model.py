"""The shape of an official document (Decree 30/2020/NĐ-CP), independent of the output format: the header (issuing
body, số and ký hiệu, place and date), the title lines, the content blocks and the signature block. ``docx.py`` and
``pdf.py`` render the same :class:`OfficialDocument`, so the Word file and the PDF say the same thing."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Quốc hiệu and Tiêu ngữ (Decree 30, appendix I): fixed wording, in Vietnamese whatever the interface language.
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Heading:
    """A numbered part of the content (I., II., ...), bold."""

    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold_lead: str = ""  # bold words at the start, e.g. "Chủ tọa: "
    italic: bool = False


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]
    #: Relative column widths (same length as ``headers``).
    widths: list[int]
    #: Indexes of the columns centred (numbers, times).
    centred: frozenset[int] = frozenset()
    #: Rows shown in bold (e.g. a total).
    bold_rows: frozenset[int] = frozenset()


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class Signer:
    """One signature column: the capacity (e.g. "TM. THƯỜNG TRỰC HĐND" then "CHỦ TỊCH"), a space to sign, the name."""

    capacity: list[str]
    name: str


@dataclass
class OfficialDocument:
    #: The issuing body at the top left, in capitals (e.g. "HĐND PHƯỜNG LÊ ĐẠI HÀNH").
    issuing_body: str
    #: "Số: .../BB-HĐND".
    number_line: str
    #: "Lê Đại Hành, ngày 16 tháng 6 năm 2025".
    place_date: str
    #: The title (e.g. "BIÊN BẢN") then the lines under it (e.g. "KỲ HỌP THỨ NHẤT").
    title: str
    subtitles: list[str]
    blocks: list[Block] = field(default_factory=list)
    #: Signature columns, left to right (one: on the right; two: e.g. THƯ KÝ on the left, CHỦ TỌA on the right).
    signers: list[Signer] = field(default_factory=list)
    #: "Nơi nhận:" lines at the bottom left (empty: none).
    recipients: list[str] = field(default_factory=list)
    #: The file name without extension.
    filename: str = "van-ban"
    national_title: str = NATIONAL_TITLE
    motto: str = MOTTO
