"""The refusal of the campaign's services."""

from pilot_portal.core.workflow import DomainError


class CampaignError(DomainError):
    """A rule of the campaign refused the change; the message is shown to the user."""
