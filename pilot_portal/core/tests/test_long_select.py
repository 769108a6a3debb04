"""``LongSelect`` writes the same HTML as Django's ``Select`` (the browser and the tests see no difference)."""

import pytest
from django import forms
from django.test.html import parse_html

from pilot_portal.core.forms import LongSelect

CHOICES = [("", "---------"), (1, "Nguyễn Văn An (an)"), (2, 'Trần <Bình> & "Cường"'), (3, "Lê Thị Dung")]


@pytest.mark.parametrize("value", [None, "", 2, "3"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_to_user", "class": "form-select", "required": True}])
def test_the_same_html_as_djangos_select(value, attrs):
    plain = forms.Select(choices=CHOICES).render("to_user", value, attrs=attrs)
    fast = LongSelect(choices=CHOICES).render("to_user", value, attrs=attrs)
    assert parse_html(fast) == parse_html(plain)
    assert "&lt;Bình&gt; &amp; &quot;Cường&quot;" in fast  # escaped like Django's


def test_grouped_choices_are_left_to_djangos_templates():
    grouped = [("Phường", [(1, "An"), (2, "Bình")]), (3, "Cường")]
    plain = forms.Select(choices=grouped).render("to_user", 2)
    fast = LongSelect(choices=grouped).render("to_user", 2)
    assert "<optgroup" in fast
    assert parse_html(fast) == parse_html(plain)
