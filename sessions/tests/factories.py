import datetime as dt

import factory
from django.utils import timezone

from sessions.models import AgendaItem, Document, Participant, Session
from units.tests.factories import UnitFactory


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    unit = factory.SubFactory(UnitFactory)
    kind = Session.Kind.HDND
    number = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda s: f"Kỳ họp thứ nhất HĐND {s.unit.name}")
    scheduled_start = factory.LazyFunction(lambda: timezone.make_aware(dt.datetime(2025, 6, 16, 8, 0)))
    venue = "Hội trường UBND"
    chair = "Nguyễn Văn An"
    budget_minutes = 45


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    session = factory.SubFactory(SessionFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Nội dung {n + 1}")
    presenter = "Thường trực HĐND"
    planned_minutes = 10


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    session = factory.SubFactory(SessionFactory)
    kind = Document.Kind.SUBMISSION
    title = factory.Sequence(lambda n: f"Tờ trình số {n + 1}")
    is_required = True


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    session = factory.SubFactory(SessionFactory)
    name = factory.Faker("name", locale="vi_VN")
    position = "Đại biểu HĐND"
