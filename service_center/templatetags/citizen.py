"""What the public lookup shows the citizen: what to supplement, and the link to rate the centre."""

from django import template

from .. import selectors
from ..models import DossierRating, Status
from ..rating import rating_path

register = template.Library()


@register.filter
def pending_supplement_items(dossier) -> list[str]:
    """What the citizen still has to bring: the items of the supplement request the dossier is waiting for."""
    return selectors.supplement_items(dossier) if dossier.status == Status.SUPPLEMENT else []


@register.filter
def rating_link(dossier) -> str:
    """The satisfaction page of a returned dossier not rated yet, else an empty string."""
    if not dossier.can_be_rated or DossierRating.objects.filter(dossier=dossier).exists():
        return ""
    return rating_path(dossier)
