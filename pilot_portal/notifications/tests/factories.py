import factory

from pilot_portal.accounts.tests.factories import UserFactory
from pilot_portal.notifications.models import Kind, Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(
        UserFactory, unit_official=True, unit=factory.SubFactory("units.tests.factories.UnitFactory")
    )
    kind = Kind.DOSSIER
    key = factory.Sequence(lambda n: f"test:{n}")
    title = factory.Sequence(lambda n: f"Hồ sơ số {n} sắp đến hạn")
    body = "Hạn trả kết quả: 20/06/2025."
    link = "/units/"
