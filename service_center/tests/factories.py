import datetime as dt

import factory
from django.utils import timezone

from pilot_portal.accounts.tests.factories import UserFactory
from service_center.models import Channel, Dossier, DossierEvent, PaperKind, Procedure, ProcedurePaper, Status
from units.tests.factories import UnitFactory


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"1.00{n:04d}")
    name = factory.Sequence(lambda n: f"Đăng ký khai sinh {n}")
    field = "Hộ tịch"
    time_limit = 3
    time_unit = Procedure.TimeUnit.WORKING_DAYS
    fee = 0
    online_level = Procedure.OnlineLevel.FULL
    legal_basis = "Luật Hộ tịch 2014"


class ProcedurePaperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcedurePaper

    procedure = factory.SubFactory(ProcedureFactory)
    name = factory.Sequence(lambda n: f"Giấy tờ số {n}")
    kind = PaperKind.ORIGINAL
    copies = 1
    is_required = True
    position = factory.Sequence(lambda n: n)


def _cccd(n: int) -> str:
    return f"0310{90 + n % 10:02d}{n % 1_000_000:06d}"


class DossierFactory(factory.django.DjangoModelFactory):
    """A dossier written directly (no service): for read-side tests that need a precise state."""

    class Meta:
        model = Dossier

    code = factory.Sequence(lambda n: f"TEST-250616-{n:04d}")
    unit = factory.SubFactory(UnitFactory)
    procedure = factory.SubFactory(ProcedureFactory)
    applicant_name = factory.Sequence(lambda n: f"Nguyễn Văn Công Dân {n}")
    applicant_id_number = factory.Sequence(_cccd)
    applicant_phone = "0912345678"
    applicant_address = "Số 1 phố Trần Hưng Đạo"
    channel = Channel.DIRECT
    received_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    due_at = factory.LazyAttribute(lambda d: d.received_at + dt.timedelta(days=3))
    status = Status.RECEIVED


class DossierEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DossierEvent

    dossier = factory.SubFactory(DossierFactory)
    at = factory.LazyFunction(timezone.now)
    actor = factory.SubFactory(UserFactory)
    kind = DossierEvent.Kind.TRANSITION
