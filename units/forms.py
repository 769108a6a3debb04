from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Unit


class UnitFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    province = forms.ChoiceField(label=_("Province"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Unit.Kind.choices])

    def __init__(self, *args, provinces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("All provinces"))] + [(p.code, p.name) for p in provinces]


class DirectoryForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["headquarters_address", "phone", "ubnd_chair", "hdnd_chair"]
