"""The user's own API tokens: create (the token shown once), list, revoke."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pilot_portal.accounts.permissions import role_required

from .forms import TokenForm
from .models import ApiToken
from .tokens import TokenError, token_create, token_revoke


def _page(request, *, form=None, new_token=None, status=200):
    tokens = ApiToken.objects.filter(user=request.user).order_by("revoked_at", "-created_at", "-id")
    return render(
        request,
        "api/tokens.html",
        {"form": form or TokenForm(), "tokens": tokens, "new_token": new_token},
        status=status,
    )


@never_cache
@role_required()
def token_list(request):
    if request.method != "POST":
        return _page(request)
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    try:
        new = token_create(user=request.user, name=form.cleaned_data["name"])
    except TokenError as exc:
        messages.error(request, str(exc))
        return _page(request, form=form, status=400)
    # Shown in this answer only (never stored, never in a redirect): the page says so.
    return _page(request, new_token=new)


@require_POST
@role_required()
def token_revoke_view(request, pk):
    token = ApiToken.objects.filter(user=request.user, pk=pk).first()
    if token is None:
        raise Http404
    token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” is revoked: it opens nothing any more.") % {"name": token.name})
    return redirect("api_tokens:list")
