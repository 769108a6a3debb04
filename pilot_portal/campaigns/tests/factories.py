"""Factories of the pilot campaigns (the registry's are in ``units.tests.factories``)."""

import datetime as dt

import factory
from django.utils import timezone

from pilot_portal.campaigns.models import (
    Block,
    Campaign,
    CampaignUnit,
    ChecklistItem,
    IssueCategory,
    IssueSeverity,
    Milestone,
    PilotIssue,
    Wave,
)
from units.tests.factories import ProvinceFactory, UnitFactory

SEED_MILESTONES = {
    "pilot_start": dt.date(2025, 6, 16),
    "review_meeting": dt.date(2025, 6, 25),
    "old_procedure_cutoff": dt.date(2025, 6, 30),
    "go_live": dt.date(2025, 7, 1),
}


class CampaignFactory(factory.django.DjangoModelFactory):
    """A campaign with the seeds' four milestones."""

    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    province = factory.SubFactory(ProvinceFactory)
    name = factory.LazyAttribute(lambda c: f"Vận hành thử nghiệm {c.province.name}")

    @factory.post_generation
    def milestones(obj, create, extracted, **kwargs):
        if create:
            for kind, day in (extracted or SEED_MILESTONES).items():
                Milestone.objects.create(campaign=obj, kind=kind, date=day)


class WaveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Wave

    campaign = factory.SubFactory(CampaignFactory)
    name = "Sáng 16/6"
    starts_at = factory.LazyFunction(lambda: timezone.make_aware(dt.datetime(2025, 6, 16, 8, 0)))


class CampaignUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignUnit

    campaign = factory.SubFactory(CampaignFactory)
    unit = factory.SubFactory(UnitFactory, province=factory.SelfAttribute("..campaign.province"))


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    """A hand-made item, without a template."""

    class Meta:
        model = ChecklistItem

    campaign_unit = factory.SubFactory(CampaignUnitFactory)
    block = Block.PARTY
    title = factory.Sequence(lambda n: f"Việc chuẩn bị {n}")
    owner = "Đảng ủy"
    milestone = factory.LazyAttribute(lambda i: i.campaign_unit.campaign.milestones.get(kind="pilot_start"))
    offset_days = 0


class PilotIssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PilotIssue

    campaign_unit = factory.SubFactory(CampaignUnitFactory)
    category = IssueCategory.OBSTACLE
    severity = IssueSeverity.MEDIUM
    title = factory.Sequence(lambda n: f"Vướng mắc số {n}")
    raised_by = factory.SubFactory(
        "pilot_portal.accounts.tests.factories.UserFactory",
        unit_official=True,
        unit=factory.SelfAttribute("..campaign_unit.unit"),
    )
