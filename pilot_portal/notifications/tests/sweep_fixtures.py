"""Hand-made data that makes one real reminder rule fire, for the tests that run real worker processes."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def dossier_due_tomorrow(user) -> dt.datetime:
    """A dossier of ``user``'s unit due within the next working day; returns the moment to sweep at."""
    from service_center.models import Status
    from service_center.tests.factories import DossierFactory

    at = dt.datetime(2025, 6, 17, 9, 0, tzinfo=HCM)  # a Tuesday, in office hours
    DossierFactory(
        unit=user.unit,
        status=Status.PROCESSING,
        received_at=dt.datetime(2025, 6, 12, 9, 0, tzinfo=HCM),
        due_at=dt.datetime(2025, 6, 18, 8, 0, tzinfo=HCM),
    )
    return at


def reminder_due_now(user) -> None:
    """A campaign of ``user``'s province whose review meeting is today, with ``user``'s unit taking part."""
    from pilot_portal.campaigns.tests.factories import CampaignFactory, CampaignUnitFactory

    today = timezone.localdate()
    campaign = CampaignFactory(
        province=user.unit.province,
        milestones={"pilot_start": today - dt.timedelta(days=9), "review_meeting": today},
    )
    CampaignUnitFactory(campaign=campaign, unit=user.unit)
