from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        validators=[ProhibitNullCharactersValidator()],
        help_text=_("What the token is for, e.g. “Hệ thống một cửa tỉnh”."),
    )
