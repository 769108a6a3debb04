from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Kind


class PreferenceForm(forms.Form):
    email_kinds = forms.MultipleChoiceField(
        label=_("Send me by e-mail"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    daily_digest = forms.BooleanField(
        label=_("Gather them into one e-mail a day (daily digest)"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))
