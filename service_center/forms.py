import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilot_portal.core.forms import ModelChoiceField

from .models import EARLIEST_RECEIPT, Channel, Procedure, Status
from .selectors import QUEUES
from .validators import normalize_phone, validate_identity_number, validate_phone

#: Report periods and new due dates lie within these days (a date outside them is a typing error).
PERIOD_FIRST_DAY = dt.date(2000, 1, 1)
PERIOD_LAST_DAY = dt.date(2099, 12, 31)


class IntakeForm(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput)
    procedure = forms.ModelChoiceField(
        label=_("Procedure"),
        queryset=Procedure.objects.filter(is_active=True).order_by("field", "name"),
        error_messages={"invalid_choice": _("Choose a procedure from the catalogue.")},
    )
    applicant_name = forms.CharField(label=_("Applicant's full name"), max_length=200)
    applicant_id_number = forms.CharField(
        label=_("Identity number (CCCD)"), max_length=12, min_length=12, validators=[validate_identity_number]
    )
    applicant_phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    applicant_address = forms.CharField(label=_("Address"), max_length=300, required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.DIRECT)
    received_at = forms.DateTimeField(
        label=_("Received at"),
        help_text=_("Leave as is for a dossier received now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    is_test = forms.BooleanField(label=_("Test dossier (a leader playing a citizen)"), required=False)
    from_district_backlog = forms.BooleanField(label=_("Handed over from the district level"), required=False)

    def clean_applicant_id_number(self):
        return self.cleaned_data["applicant_id_number"].strip()

    def clean_applicant_phone(self):
        phone = normalize_phone(self.cleaned_data["applicant_phone"])
        validate_phone(phone)
        return phone

    def clean_received_at(self):
        received_at = self.cleaned_data["received_at"]
        if received_at > timezone.now() + dt.timedelta(minutes=1):
            raise forms.ValidationError(_("The receipt time cannot be in the future."))
        if timezone.localtime(received_at).date() < EARLIEST_RECEIPT:
            raise forms.ValidationError(
                _("The receipt time cannot be before %(date)s.") % {"date": f"{EARLIEST_RECEIPT:%d/%m/%Y}"}
            )
        return received_at


class SeenStatusMixin(forms.Form):
    """``seen``: the status the dossier had on the clerk's page; the service refuses the action when it changed."""

    seen = forms.ChoiceField(choices=Status.choices, required=False, widget=forms.HiddenInput)

    def clean_seen(self):
        return self.cleaned_data["seen"] or None

    def show_status(self, status: str) -> None:
        """Render the form again for a page that shows ``status`` (what the clerk sees now)."""
        if self.is_bound:
            self.data = self.data.copy()
            self.data["seen"] = status
        else:
            self.initial["seen"] = status


class TransitionForm(SeenStatusMixin):
    to = forms.ChoiceField(choices=Status.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    result = forms.CharField(label=_("Result"), required=False, max_length=500)
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ApologyForm(SeenStatusMixin):
    new_due_at = forms.DateTimeField(
        label=_("New due date"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean_new_due_at(self):
        new_due_at = self.cleaned_data["new_due_at"]
        if not PERIOD_FIRST_DAY <= timezone.localtime(new_due_at).date() <= PERIOD_LAST_DAY:
            raise forms.ValidationError(
                _("Choose a date between %(first)s and %(last)s.")
                % {"first": f"{PERIOD_FIRST_DAY:%d/%m/%Y}", "last": f"{PERIOD_LAST_DAY:%d/%m/%Y}"}
            )
        return new_due_at


class OfficerChoiceField(ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name} ({obj.username})" if name else obj.username


class HandoverForm(SeenStatusMixin):
    to_user = OfficerChoiceField(label=_("Hand over to"), queryset=None)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = officers


class QueueForm(forms.Form):
    queue = forms.ChoiceField(
        required=False,
        choices=[
            ("open", _("All open")),
            ("today", _("Due today")),
            ("overdue", _("Overdue")),
            ("supplement", _("Awaiting supplement")),
            ("mine", _("Mine")),
            ("all", _("All")),
        ],
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def clean_queue(self):
        return self.cleaned_data["queue"] if self.cleaned_data["queue"] in QUEUES else "open"


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    end = forms.DateField(
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )

    def _clean_day(self, name):
        day = self.cleaned_data[name]
        if not PERIOD_FIRST_DAY <= day <= PERIOD_LAST_DAY:
            raise forms.ValidationError(
                _("Choose a date between %(first)s and %(last)s.")
                % {"first": f"{PERIOD_FIRST_DAY:%d/%m/%Y}", "last": f"{PERIOD_LAST_DAY:%d/%m/%Y}"}
            )
        return day

    def clean_start(self):
        return self._clean_day("start")

    def clean_end(self):
        return self._clean_day("end")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The start of the period must not be after its end."))
        if data.get("start") and data.get("end") and (data["end"] - data["start"]).days > 366 * 5:
            raise forms.ValidationError(_("Choose a period of at most five years."))
        return data


class LookupForm(forms.Form):
    code = forms.CharField(label=_("Dossier code"), max_length=64)
    secret = forms.CharField(label=_("Lookup code on the receipt"), max_length=6)
