"""Hypothesis strategies for Vietnamese (and other Latin-script) names, precomposed, decomposed or mixed."""

import unicodedata

from hypothesis import strategies as st

from pilot_portal.core.text import FOLDED_RANGES

#: Every letter and mark ``Fold`` knows, every Unicode whitespace, ASCII letters, digits and punctuation.
LATIN_ALPHABET = "".join(
    sorted(
        {chr(cp) for start, end in FOLDED_RANGES for cp in range(start, end)}
        | {chr(cp) for cp in range(0x20, 0x7F)}
        | {chr(cp) for cp in range(0x110000) if chr(cp).isspace()}
    )
)

_SYLLABLES = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Thị Văn Hữu Đức Ngọc Thu Hương Hoa "
    "Phường Xã Đặc khu Đại Hành Côn Đảo Quỳnh Ưng Ơn Ấp Ầu Ẩn Ẫm Ậy Ắt Ằng Ẳng Ẵng Ặc Ếch Ềnh Ểu Ễnh Ệt Ốc Ồn Ổi "
    "Ỗi Ộp Ớt Ờn Ởi Ỡ Ợi Ứng Ừng Ửa Ữa Ựa Ỳ Ỷ Ỹ Ỵ ĐÌNH TRƯỜNG GIANG"
)


def _as_written(text: str, form: str) -> str:
    return unicodedata.normalize(form, text) if form else text


#: A name of Vietnamese syllables with any spacing, in NFC, NFD or as typed, upper, lower or mixed case.
vietnamese_names = st.builds(
    lambda words, spaces, form, case: _as_written(
        case("".join(space + word for space, word in zip(spaces, words, strict=False))), form
    ),
    st.lists(st.sampled_from(_SYLLABLES.split()), min_size=1, max_size=6),
    st.lists(st.sampled_from([" ", "  ", "\t", "\u00a0", " \n "]), min_size=6, max_size=6),
    st.sampled_from(["NFC", "NFD", ""]),
    st.sampled_from([str, str.upper, str.lower, str.title]),
)

#: Any text of Latin-script characters and loose combining marks (decomposed or half-decomposed diacritics).
latin_texts = st.builds(_as_written, st.text(alphabet=LATIN_ALPHABET, max_size=40), st.sampled_from(["NFC", "NFD", ""]))

names = st.one_of(vietnamese_names, latin_texts)
