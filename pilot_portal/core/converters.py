"""Path converters shared by the apps' URLconfs."""


class CodeConverter:
    """Like ``str`` (anything but a slash), without the NUL character, which PostgreSQL text cannot hold: a URL
    with ``%00`` in a unit or dossier code is a 404, not a database error."""

    regex = "[^/\x00]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
