"""Text helpers for Vietnamese: folding diacritics so that "le dai hanh" finds "Lê Đại Hành"."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case ``text`` without diacritics (đ -> d), with runs of whitespace collapsed."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())
