"""The issues log: the campaign's list with its filters, raising an issue, the issue's page with the province's
answer and the unit's replies."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilot_portal.accounts.permissions import role_required
from pilot_portal.campaigns.models import IssueStatus, PilotIssue
from pilot_portal.campaigns.services import CampaignError
from pilot_portal.core.collation import Vietnamese
from units.models import Unit

from . import permissions, selectors, services
from .forms import AnswerForm, IssueFilterForm, IssueForm, ReplyForm
from .views import ANY_PORTAL_ROLE, _campaign, _campaign_unit


@role_required(*ANY_PORTAL_ROLE)
def issue_list(request, pk):
    campaign = _campaign(request, pk)
    units = Unit.objects.visible_to(request.user).filter(campaign_unit__campaign=campaign).order_by(Vietnamese("name"))
    form = IssueFilterForm(request.GET or None, units=units)
    chosen = form.filters() if form.is_bound else {}
    unit = chosen.get("unit")
    issues = selectors.campaign_issues(
        user=request.user,
        campaign=campaign,
        status=chosen.get("status") or "",
        severity=chosen.get("severity") or "",
        block=chosen.get("block") or "",
        unit_id=unit.pk if unit else None,
    )
    query = request.GET.copy()
    query.pop("status", None)
    return render(
        request,
        "campaigns/issue_list.html",
        {
            "campaign": campaign,
            "issues": issues,
            "form": form,
            "status": chosen.get("status") or "",
            "statuses": IssueStatus.choices,
            "other_filters": query.urlencode(),
        },
    )


@role_required(*permissions.RAISERS)
def issue_create(request, pk):
    campaign_unit = _campaign_unit(request, pk, editable=True)
    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        token = data.pop("token")
        issue = services.pilot_issue_raise(campaign_unit=campaign_unit, actor=request.user, submit_token=token, **data)
        messages.success(request, _("The issue has been sent to the province."))
        return redirect("campaigns:issue", pk=issue.pk)
    return render(request, "campaigns/issue_form.html", {"campaign_unit": campaign_unit, "form": form})


@role_required(*ANY_PORTAL_ROLE)
def issue_detail(request, pk):
    try:
        issue = selectors.issue_for_user(user=request.user, pk=pk)
    except PilotIssue.DoesNotExist:
        raise Http404 from None
    form = AnswerForm(request.POST or None, initial={"answer": issue.answer})
    if request.method == "POST":
        if not permissions.can_decide(request.user):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.pilot_issue_answer(
                    issue=issue,
                    actor=request.user,
                    answer=form.cleaned_data["answer"],
                    close=form.cleaned_data["close"],
                )
            except CampaignError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("The answer has been recorded."))
                return redirect("campaigns:issue", pk=pk)
    return _issue_page(request, issue, form=form)


def _issue_page(request, issue, *, form=None, reply_form=None):
    return render(
        request,
        "campaigns/issue_detail.html",
        {
            "issue": issue,
            "form": form or AnswerForm(initial={"answer": issue.answer}),
            "can_answer": permissions.can_answer(request.user, issue),
            "can_reply": permissions.can_reply(request.user, issue),
            "reply_form": reply_form or ReplyForm(),
        },
    )


@require_POST
@role_required(*permissions.RAISERS)
def issue_reply(request, pk):
    try:
        issue = selectors.issue_for_user(user=request.user, pk=pk)
    except PilotIssue.DoesNotExist:
        raise Http404 from None
    if not permissions.can_reply(request.user, issue):
        raise Http404
    reply_form = ReplyForm(request.POST)
    if reply_form.is_valid():
        try:
            services.pilot_issue_reply(issue=issue, actor=request.user, text=reply_form.cleaned_data["text"])
        except CampaignError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The reply has been sent to the province."))
            return redirect("campaigns:issue", pk=pk)
    return _issue_page(request, issue, reply_form=reply_form)
