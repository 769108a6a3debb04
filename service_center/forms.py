import datetime as dt
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilot_portal.core.forms import LongSelect, ModelChoiceField

from .models import EARLIEST_RECEIPT, Channel, DossierRating, Procedure, ProcedurePaper, ResultDelivery, Status
from .selectors import QUEUES
from .validators import is_mobile_phone, normalize_phone, validate_identity_number, validate_phone

#: Report periods and new due dates lie within these days (a date outside them is a typing error).
PERIOD_FIRST_DAY = dt.date(2000, 1, 1)
PERIOD_LAST_DAY = dt.date(2099, 12, 31)


class DongField(forms.IntegerField):
    """A sum in đồng, typed as clerks write it: "15000", "15.000", "15,000" or "15 000" are all 15,000 (the plain
    IntegerField would read "15.000" as 15)."""

    widget = forms.TextInput(attrs={"inputmode": "numeric"})
    GROUPED = re.compile(r"^-?\d{1,3}([.,\s]\d{3})+$")

    def to_python(self, value):
        text = str(value or "").strip().replace("\u00a0", " ")
        if self.GROUPED.match(text):
            text = re.sub(r"[.,\s]", "", text)
        elif text and not re.fullmatch(r"-?\d+", text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(text)


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
    applicant_email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    notices_consent = forms.BooleanField(
        label=_("The citizen agrees to receive notices about this dossier by e-mail and SMS"),
        help_text=_(
            "Result ready, papers to supplement, a new date. Nothing is sent without this consent; an SMS needs a "
            "mobile phone number."
        ),
        required=False,
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.DIRECT)
    received_at = forms.DateTimeField(
        label=_("Received at"),
        help_text=_("Leave as is for a dossier received now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    is_test = forms.BooleanField(label=_("Test dossier (a leader playing a citizen)"), required=False)
    from_district_backlog = forms.BooleanField(label=_("Handed over from the district level"), required=False)
    papers_digitized = forms.BooleanField(
        label=_("Papers digitized at reception"),
        required=False,
        help_text=_("Tick when the papers were scanned and stored in the system (Decision 766 digitization)."),
    )
    #: The papers of the chosen procedure, ticked as the citizen hands them in (the template draws the checklist).
    papers = forms.ModelMultipleChoiceField(
        label=_("Papers received"),
        queryset=ProcedurePaper.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Tick only papers of the chosen procedure."),
            "invalid_pk_value": _("Tick only papers of the chosen procedure."),
        },
    )
    fee_collected = DongField(
        label=_("Fee collected (VND)"),
        min_value=0,
        max_value=2_000_000_000,
        required=False,
        error_messages={
            "min_value": _("The fee collected cannot be negative."),
            "max_value": _("Write the fee as a whole number of đồng."),
            "invalid": _("Write the fee as a whole number of đồng."),
        },
    )
    fee_receipt_number = forms.CharField(label=_("Receipt number"), max_length=50, required=False)
    result_delivery = forms.ChoiceField(
        label=_("Result delivered"),
        choices=ResultDelivery.choices,
        initial=ResultDelivery.COUNTER,
        required=False,
        widget=forms.RadioSelect,
    )
    delivery_address = forms.CharField(
        label=_("Address for the result by post"),
        max_length=300,
        required=False,
        help_text=_("Required when the result is sent by public post."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.chosen_procedure = self._chosen_procedure()
        if self.chosen_procedure is not None:
            self.fields["papers"].queryset = self.chosen_procedure.papers.all()

    def _chosen_procedure(self) -> Procedure | None:
        """The procedure typed (or preselected): its papers are the checklist."""
        value = self.data.get("procedure") if self.is_bound else self.initial.get("procedure")
        if isinstance(value, Procedure):
            return value
        try:
            return self.fields["procedure"].queryset.filter(pk=int(value)).first() if value else None
        except (TypeError, ValueError):
            return None

    def paper_rows(self):
        """The checklist: each paper of the procedure with whether it is ticked."""
        if self.chosen_procedure is None:
            return []
        ticked = {str(v) for v in (self["papers"].value() or [])}
        return [(paper, str(paper.pk) in ticked) for paper in self.fields["papers"].queryset]

    def clean_fee_collected(self):
        return self.cleaned_data["fee_collected"] or 0

    def clean_result_delivery(self):
        return self.cleaned_data["result_delivery"] or ResultDelivery.COUNTER

    def clean_applicant_id_number(self):
        return self.cleaned_data["applicant_id_number"].strip()

    def clean_applicant_phone(self):
        phone = normalize_phone(self.cleaned_data["applicant_phone"])
        validate_phone(phone)
        return phone

    def clean(self):
        data = super().clean()
        if data.get("fee_collected") and not data.get("fee_receipt_number", "").strip():
            self.add_error("fee_receipt_number", _("Write the number of the receipt for the fee collected."))
        if data.get("result_delivery") == ResultDelivery.POST and not data.get("delivery_address", "").strip():
            self.add_error("delivery_address", _("Write the address to which the result is posted."))
        if data.get("notices_consent") and not data.get("applicant_email") and "applicant_email" not in self.errors:
            phone = data.get("applicant_phone", "")
            if not phone:
                self.add_error(
                    "notices_consent", _("Enter an e-mail address or a mobile phone number for the notices.")
                )
            elif "applicant_phone" in data and not is_mobile_phone(phone):
                self.add_error(
                    "applicant_phone",
                    _("An SMS needs a mobile phone number: enter one, or an e-mail address for the notices."),
                )
        return data

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
    result_digitized = forms.BooleanField(label=_("Result digitized"), required=False)
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
    widget = LongSelect  # a unit may have a hundred officers: the dossier page's costliest part otherwise

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


class RatingForm(forms.Form):
    level = forms.ChoiceField(
        label=_("How satisfied are you?"),
        choices=DossierRating.Level.choices,
        error_messages={
            "required": _("Choose one of the three levels."),
            "invalid_choice": _("Choose one of the three levels."),
        },
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
