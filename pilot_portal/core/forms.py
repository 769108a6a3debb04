"""Form fields that hold whatever a browser, a script or a fuzzer sends: a clear field error, never a server error.

- :class:`BoundedDateField`: a day between 01/01/2000 and 31/12/2099 (year 1 or 9999 overflows the time-zone
  arithmetic of every as-of view and the yyMMdd of dossier codes repeats every century).
- :class:`BoundedIntegerField`: an integer the database can store (a 20-digit number overflows SQLite's 64 bits).
- :class:`ModelChoiceField` / :class:`ModelMultipleChoiceField`: Django's, checking that an integer primary key
  is an integer the database can compare before the query (``99999999999999999999`` raised ``OverflowError``
  on SQLite; ``%00`` a ``DataError`` on PostgreSQL).
- :class:`LongSelect`: the ``Select`` widget of a list of dozens of choices, rendered without a template per option.

Text fields need nothing more: Django's ``CharField`` already refuses NUL characters
(``ProhibitNullCharactersValidator``), so reading input through a form is enough.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

#: Django's own message for a NUL in a text field (``ProhibitNullCharactersValidator``), which Django does not
#: translate into Vietnamese: the portal's catalogue does.
NULL_CHARACTERS_MESSAGE = _("Null characters are not allowed.")

FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2099, 12, 31)
#: PostgreSQL's ``bigint`` and SQLite's ``INTEGER`` hold 64-bit signed integers.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def validate_supported_day(value: dt.date | dt.datetime | None) -> None:
    day = value.date() if isinstance(value, dt.datetime) else value
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(
            _("Choose a date between %(first)s and %(last)s."),
            code="out_of_range",
            params={"first": f"{FIRST_DAY:%d/%m/%Y}", "last": f"{LAST_DAY:%d/%m/%Y}"},
        )


class BoundedDateField(forms.DateField):
    """A day between :data:`FIRST_DAY` and :data:`LAST_DAY`, typed as yyyy-mm-dd (the date picker) or dd/mm/yyyy."""

    default_validators = [validate_supported_day]

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d/%m/%Y"])
        super().__init__(**kwargs)


class BoundedIntegerField(forms.IntegerField):
    """An integer within 64 bits (``min_value``/``max_value`` narrow it further)."""

    def __init__(self, *, min_value=None, max_value=None, **kwargs):
        min_value = INT64_MIN if min_value is None else min_value
        max_value = INT64_MAX if max_value is None else max_value
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)


def _is_integer_key(queryset, key: str | None) -> bool:
    field = queryset.model._meta.pk if key in (None, "pk") else queryset.model._meta.get_field(key)
    return isinstance(field, models.IntegerField | models.AutoField)


def _storable_int(value) -> bool:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return False
    return INT64_MIN <= number <= INT64_MAX


class ModelChoiceField(forms.ModelChoiceField):
    """Django's ``ModelChoiceField``; a value that is not a storable integer key is an invalid choice."""

    def to_python(self, value):
        if (
            value not in self.empty_values
            and not isinstance(value, self.queryset.model)
            and _is_integer_key(self.queryset, self.to_field_name)
            and not _storable_int(value)
        ):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's ``ModelMultipleChoiceField``; a value that is not a storable integer key is an invalid choice."""

    def _check_values(self, value):
        if _is_integer_key(self.queryset, self.to_field_name):
            try:
                values = frozenset(value)
            except TypeError:
                values = frozenset()
            for pk in values:
                if not _storable_int(pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)


class LongSelect(forms.Select):
    """Django's ``Select`` for long lists (a unit's officers), with the same HTML: the options are written here in
    one pass instead of one template include each, which for a hundred options cost more than the rest of the page.
    For flat choices without per-option attributes; a list with groups is rendered by Django's templates."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = widget["optgroups"]
        if any(group_name for group_name, _, _ in groups) or any(
            set(option["attrs"]) - {"selected"} for _, options, _ in groups for option in options
        ):
            return super().render(name, value, attrs, renderer)
        options = format_html_join(
            "\n  ",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], " selected" if option["selected"] else "", option["label"])
                for _, group, _ in groups
                for option in group
            ),
        )
        return format_html('<select name="{}"{}>\n  {}\n</select>', name, flatatt(widget["attrs"]), options)
