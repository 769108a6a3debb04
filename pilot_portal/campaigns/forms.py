import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilot_portal.campaigns.models import (
    ALLOWED_TRANSITIONS,
    ITEM_TRANSITIONS,
    NO_BLOCK,
    Block,
    IssueCategory,
    IssueSeverity,
    IssueStatus,
    ItemStatus,
    PilotStatus,
)
from pilot_portal.campaigns.models.pilot_issues import NO_BLOCK_LABEL
from pilot_portal.campaigns.services import validate_evidence
from pilot_portal.core.forms import BoundedDateField, BoundedIntegerField, ModelChoiceField, ModelMultipleChoiceField


class ItemUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ItemStatus.choices)
    evidence_note = forms.CharField(label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence_file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        max_length=150,
        help_text=_("PDF, Word, Excel or a photo, at most 10 MB."),
    )
    #: The item's version when the form was shown (see ``checklist_item_update``).
    version = BoundedIntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = item.version
        allowed = {item.status, *ITEM_TRANSITIONS[item.status]}
        self.fields["status"].choices = [(v, label) for v, label in ItemStatus.choices if v in allowed]
        self.fields["status"].initial = item.status
        self.fields["evidence_note"].initial = item.evidence_note

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if upload:
            validate_evidence(upload)  # the service checks it again; here the message goes next to the field
        return upload

    def show_version(self, version: int) -> None:
        """After a conflict: the form as typed, now carrying the version saved meanwhile (saving again overwrites
        it knowingly)."""
        self.data = self.data.copy()
        self.data["version"] = str(version)


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("New pilot status"))
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)

    def __init__(self, *args, campaign_unit, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = ALLOWED_TRANSITIONS[campaign_unit.status] - {PilotStatus.LIVE}
        self.fields["to"].choices = [(v, label) for v, label in PilotStatus.choices if v in allowed]


class GoLiveForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Reason for overriding the gate"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only needed when the unit does not pass the gate."),
    )


class IssueForm(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=IssueCategory.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=IssueSeverity.choices, initial=IssueSeverity.MEDIUM)
    block = forms.ChoiceField(
        label=_("Block"),
        choices=[("", "---------"), *Block.choices],
        help_text=_("The block of the checklist the issue concerns."),
    )
    title = forms.CharField(label=_("Title"), max_length=255)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    proposed_fix = forms.CharField(label=_("Proposed fix"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Province's answer"), widget=forms.Textarea(attrs={"rows": 3}))
    close = forms.BooleanField(label=_("Close the issue"), required=False)


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Reply of the unit"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The issue goes back to the province for an answer."),
    )


class AsOfForm(forms.Form):
    """Look at the dashboard as it stood on a given day (e.g. the review meeting)."""

    on = BoundedDateField(
        label=_("As of"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class CampaignPlanForm(forms.Form):
    """The province's plan: one date per milestone, one start per wave, the two limits, and a note for the
    history. ``previewed`` carries the plan the page last showed, so what is confirmed is what was seen."""

    session_budget_minutes = forms.IntegerField(label=_("Session time limit (minutes)"), min_value=15, max_value=240)
    go_live_test_dossiers = forms.IntegerField(label=_("Test dossiers returned to go live"), min_value=0, max_value=50)
    note = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the campaign's history."),
    )
    previewed = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, campaign, milestones, waves, **kwargs):
        super().__init__(*args, **kwargs)
        self.milestones, self.waves = milestones, waves
        self.fields["session_budget_minutes"].initial = campaign.session_budget_minutes
        self.fields["go_live_test_dossiers"].initial = campaign.go_live_test_dossiers
        fields = {}
        for milestone in milestones:
            fields[f"milestone_{milestone.kind}"] = forms.DateField(
                label=milestone.get_kind_display(),
                initial=milestone.date,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                input_formats=["%Y-%m-%d", "%d/%m/%Y"],
            )
        for wave in waves:
            fields[f"wave_{wave.pk}"] = forms.DateTimeField(
                label=_("Start of %(wave)s") % {"wave": wave.name},
                initial=timezone.localtime(wave.starts_at).replace(tzinfo=None),
                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
            )
        # Milestones and waves first, the limits and the note after.
        self.fields = {**fields, **self.fields}

    def plan(self):
        from pilot_portal.campaigns.services import CampaignPlan

        data = self.cleaned_data
        return CampaignPlan(
            milestones={m.kind: data[f"milestone_{m.kind}"] for m in self.milestones},
            waves={w.pk: data[f"wave_{w.pk}"] for w in self.waves},
            session_budget_minutes=data["session_budget_minutes"],
            go_live_test_dossiers=data["go_live_test_dossiers"],
        )

    @staticmethod
    def fingerprint(plan) -> str:
        """The plan as one string, to tell whether the confirmed plan is the one previewed."""
        parts = [f"{k}={v.isoformat()}" for k, v in sorted(plan.milestones.items())]
        parts += [f"w{k}={v.isoformat()}" for k, v in sorted(plan.waves.items())]
        parts += [str(plan.session_budget_minutes), str(plan.go_live_test_dossiers)]
        return ";".join(parts)


class IssueFilterForm(forms.Form):
    """The issues log's filters (every one optional); a value that is not one of the choices is ignored."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    severity = forms.ChoiceField(
        label=_("Severity"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    block = forms.ChoiceField(label=_("Block"), required=False, widget=forms.Select(attrs={"class": "form-select"}))
    unit = ModelChoiceField(
        label=_("Unit"),
        required=False,
        queryset=None,
        empty_label=_("All units"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *IssueStatus.choices]
        self.fields["severity"].choices = [("", _("All")), *IssueSeverity.choices]
        self.fields["block"].choices = [("", _("All")), *Block.choices, (NO_BLOCK, NO_BLOCK_LABEL)]
        self.fields["unit"].queryset = units

    def filters(self) -> dict:
        if not self.is_valid():
            names = [name for name in ("status", "severity", "block", "unit") if name not in self.errors]
            return {name: self.cleaned_data.get(name) for name in names}
        return self.cleaned_data


#: The choice for "in no wave" (the unit starts on the campaign's pilot start).
NO_WAVE = "none"


class WaveUnitsFilterForm(forms.Form):
    """Which of the campaign's units the wave page lists: a name (with or without diacritics), a wave, an order. A
    value that is not valid is ignored."""

    SORTS = {"name": _("Name (A to Z)"), "-name": _("Name (Z to A)"), "wave": _("Wave, then name")}

    q = forms.CharField(label=_("Unit name"), required=False, max_length=100)
    in_wave = forms.ChoiceField(label=_("Wave"), required=False, widget=forms.Select(attrs={"class": "form-select"}))
    sort = forms.ChoiceField(
        label=_("Order"), required=False, choices=SORTS.items(), widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, waves, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["in_wave"].choices = [
            ("", _("All")),
            (NO_WAVE, _("No wave")),
            *((str(w.pk), w.name) for w in waves),
        ]

    def filters(self) -> dict:
        values = {"q": "", "in_wave": "", "sort": "name"}
        if not self.is_bound:
            return values
        valid = self.is_valid()
        for name in values:
            if (valid or name not in self.errors) and self.cleaned_data.get(name):
                values[name] = self.cleaned_data[name]
        return values


class WaveUnitsForm(forms.Form):
    """The units chosen on the wave page and the wave to put them in (or none). ``previewed`` carries the choice the
    page last showed, so what is confirmed is what was seen."""

    units = ModelMultipleChoiceField(
        label=_("Units"),
        queryset=None,
        error_messages={
            "required": _("Choose at least one unit."),
            "invalid_choice": _("Some of the chosen units are not in this campaign: open the page again."),
            "invalid_pk_value": _("Some of the chosen units are not in this campaign: open the page again."),
            "invalid_list": _("Some of the chosen units are not in this campaign: open the page again."),
        },
    )
    wave = forms.ChoiceField(
        label=_("Put them in"),
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "required": _("Choose the wave to put the units in."),
            "invalid_choice": _("This wave is not one of the campaign's: open the page again."),
        },
    )
    note = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the campaign's history."),
    )
    previewed = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, units, waves, **kwargs):
        super().__init__(*args, **kwargs)
        self.waves = {str(w.pk): w for w in waves}
        self.fields["units"].queryset = units
        self.fields["wave"].choices = [
            ("", "---------"),
            *((str(w.pk), w.name) for w in waves),
            (NO_WAVE, _("No wave (the campaign's pilot start)")),
        ]

    def target(self):
        """The wave chosen, or None for no wave."""
        return self.waves.get(self.cleaned_data["wave"])

    def chosen_ids(self) -> list[int]:
        return sorted(cu.pk for cu in self.cleaned_data["units"])

    def fingerprint(self) -> str:
        return f"{self.cleaned_data['wave']}:{','.join(map(str, self.chosen_ids()))}"
