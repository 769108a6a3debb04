from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pilot_portal.core.forms import BoundedIntegerField, ModelChoiceField, ModelMultipleChoiceField

from .config import allowed_extensions
from .models import Document, Outcome, Participant, Session
from .services import SESSION_FIELDS, validate_upload

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SessionFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Session.Kind.choices])
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Session.Status.choices]
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    province = forms.ChoiceField(label=_("Province"), required=False)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    over_budget = forms.BooleanField(label=_("Over budget only"), required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        units = list(units)
        provinces = sorted({(u.province.code, u.province.name) for u in units}, key=lambda p: p[1])
        self.fields["province"].choices = [("", _("All provinces")), *provinces]
        self.fields["unit"].choices = [("", _("All units"))] + [
            (u.code, f"{u.name} ({u.province.short_name})") for u in units
        ]


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Session.Status.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=4000)


class SpeakerForm(forms.Form):
    participant = ModelChoiceField(queryset=None)

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants


class UnitChoiceForm(forms.Form):
    """``?unit=<code>``: the unit a superuser creates a session for."""

    unit = forms.CharField(max_length=32)


class SessionForm(forms.ModelForm):
    #: Years a session may be scheduled in; a date far outside them is a typing error (and year 1 or 9999 would
    #: overflow the time-zone conversion or the estimated end).
    MIN_YEAR, MAX_YEAR = 2000, 2100

    stream_url = forms.URLField(label=_("Live-stream link"), required=False, assume_scheme="https")
    use_template = forms.BooleanField(
        label=_("Pre-fill the standard programme of a first session / first meeting"), required=False, initial=True
    )

    class Meta:
        model = Session
        fields = list(SESSION_FIELDS)  # what session_update accepts, no more
        widgets = {"scheduled_start": DATETIME_INPUT}
        help_texts = {"title": _("Leave empty for the standard title.")}

    def __init__(self, *args, creating=False, limit=None, **kwargs):
        """``limit``: the province's time limit for the unit's sessions (minutes), shown next to the budget; the
        service refuses a budget over it whatever the form says."""
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["budget_minutes"].required = False
        self.fields["scheduled_start"].input_formats = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]
        if not creating:
            del self.fields["use_template"]
            self.fields["title"].required = True
            self.fields["budget_minutes"].required = True
        else:
            self.fields["budget_minutes"].help_text = _("Leave empty for the default budget.")
        if limit:
            self.fields["budget_minutes"].widget.attrs["max"] = limit
            self.fields["budget_minutes"].help_text = _(
                "At most %(limit)d minutes, the province's limit for every session and meeting."
            ) % {"limit": limit} + (" " + _("Leave empty to use it.") if creating else "")

    def clean_scheduled_start(self):
        value = self.cleaned_data["scheduled_start"]
        if value is not None and not self.MIN_YEAR <= value.year <= self.MAX_YEAR:
            raise forms.ValidationError(
                _("Enter a date between %(start)s and %(end)s.")
                % {"start": f"01/01/{self.MIN_YEAR}", "end": f"31/12/{self.MAX_YEAR}"}
            )
        return value


class AgendaItemForm(forms.Form):
    pk = BoundedIntegerField(required=False, widget=forms.HiddenInput)
    order = forms.IntegerField(label=_("Order"), required=False, min_value=0, max_value=999)
    title = forms.CharField(label=_("Title"), max_length=500)
    presenter = forms.CharField(label=_("Presenter"), max_length=200, required=False)
    planned_minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=600)


AgendaFormSet = forms.formset_factory(AgendaItemForm, extra=2, can_delete=True, max_num=60, validate_max=True)


class UploadField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "help_text",
            _("Accepted types: %(types)s.") % {"types": ", ".join(allowed_extensions())},
        )
        super().__init__(*args, **kwargs)
        self.widget.attrs["accept"] = ",".join(f".{ext}" for ext in allowed_extensions())

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            try:
                validate_upload(upload)
            except ValidationError as exc:
                raise forms.ValidationError(exc.messages) from None
        return upload


class DocumentForm(forms.ModelForm):
    upload = UploadField(label=_("File"), required=False)
    is_ready = forms.BooleanField(label=_("Ready"), required=False)
    agenda_items = ModelMultipleChoiceField(
        label=_("Agenda items"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Document
        fields = ["kind", "title", "is_required"]

    def __init__(self, *args, agenda_items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_items"].queryset = agenda_items

    def clean(self):
        data = super().clean()
        if data.get("is_ready") and not data.get("upload") and "upload" not in self.errors:
            self.add_error("is_ready", _("Upload a file before marking the document ready."))
        return data


class DocumentEditForm(forms.ModelForm):
    """A document's details; its files change through new versions."""

    agenda_items = ModelMultipleChoiceField(
        label=_("Agenda items"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Document
        fields = ["kind", "title", "is_required"]

    def __init__(self, *args, agenda_items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_items"].queryset = agenda_items


class DocumentRemoveForm(forms.Form):
    """The confirmation of a removal: ``files`` is the number of uploaded files the user was shown."""

    files = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    delete_files = forms.BooleanField(required=False)

    def confirmed_files(self) -> int:
        if not self.is_valid() or not self.cleaned_data["delete_files"]:
            return 0
        return self.cleaned_data["files"] or 0


class DocumentVersionForm(forms.Form):
    upload = UploadField(label=_("New version"))
    mark_ready = forms.BooleanField(label=_("Ready"), required=False, initial=True)


class ParticipantsForm(forms.Form):
    lines = forms.CharField(
        label=_("Participants"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: name; position; delegate group."),
    )
    is_member = forms.BooleanField(label=_("Delegates or members (count for quorum)"), required=False, initial=True)


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["name", "position", "delegate_group", "is_member", "is_invited"]


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(label=_("Attendance"), choices=Participant.Attendance.choices, required=False)
    absence_reason = forms.CharField(label=_("Reason for absence"), max_length=255, required=False)


_VOTE_ERRORS = {
    "invalid": _("Enter the number of votes as a whole number, e.g. 12."),
    "min_value": _("A number of votes cannot be negative."),
    "max_value": _("This number of votes is too large."),
}


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["number", "title", "votes_for", "votes_against", "votes_abstain"]
        help_texts = {"votes_abstain": _("Adopted or not is computed from the votes, by the rule of the council.")}
        error_messages = {"votes_for": _VOTE_ERRORS, "votes_against": _VOTE_ERRORS, "votes_abstain": _VOTE_ERRORS}


class ViewersForm(forms.Form):
    units = ModelMultipleChoiceField(
        label=_("Units that followed the stream"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    names = forms.CharField(
        label=_("Or paste a list of unit names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, with or without diacritics (e.g. “Phường Tân An” or “tan an”)."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units

    def clean(self):
        from pilot_portal.core.text import fold

        data = super().clean()
        chosen = list(data.get("units") or [])
        lines = [fold(line) for line in (data.get("names") or "").splitlines() if line.strip()]
        if lines:
            by_name = {}
            for unit in self.fields["units"].queryset:
                by_name.setdefault(fold(unit.name), unit)
                by_name.setdefault(fold(unit.short_name), unit)
            unknown = [line for line in lines if line not in by_name]
            if unknown:
                raise forms.ValidationError(_("Not units of this province: %(names)s.") % {"names": ", ".join(unknown)})
            chosen.extend(by_name[line] for line in lines)
        data["units"] = chosen
        return data


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(forms.Form):
    minutes_summary = forms.CharField(label=_("Minutes summary"), widget=forms.Textarea(attrs={"rows": 5}))
    minutes_file = UploadField(label=_("Minutes file"), required=False)
    lessons_good = forms.CharField(label=_("What went well"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    lessons_fix = forms.CharField(label=_("What to fix"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
