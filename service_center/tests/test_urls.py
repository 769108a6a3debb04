"""Staff addresses are in one language (English paths); the first version's Vietnamese paths, still in bookmarks
and in notifications already sent, lead to the same pages. The citizen's /tra-cuu/ is printed on receipts: it stays."""

import pytest
from django.urls import reverse

from .factories import DossierFactory

pytestmark = pytest.mark.django_db


def test_staff_pages_have_english_paths_and_the_lookup_keeps_its_printed_one(ward_clerk):
    dossier = DossierFactory(unit=ward_clerk.unit)
    assert reverse("service_center:intake") == "/service-center/intake/"
    assert reverse("service_center:detail", args=[dossier.code]) == f"/service-center/dossiers/{dossier.code}/"
    assert (
        reverse("service_center:print", args=[dossier.code, "01"])
        == f"/service-center/dossiers/{dossier.code}/forms/01/"
    )
    assert reverse("lookup:lookup") == "/tra-cuu/"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/service-center/tiep-nhan/", "/service-center/intake/"),
        ("/service-center/so-theo-doi/?start=2025-07-01", "/service-center/book/?start=2025-07-01"),
        ("/service-center/thong-ke/", "/service-center/statistics/"),
        ("/service-center/ho-so/{code}/", "/service-center/dossiers/{code}/"),
        ("/service-center/ho-so/{code}/mau-01/", "/service-center/dossiers/{code}/forms/01/"),
    ],
)
def test_an_old_vietnamese_address_leads_to_the_same_page(client, ward_clerk, old, new):
    dossier = DossierFactory(unit=ward_clerk.unit)
    client.force_login(ward_clerk)
    response = client.get(old.format(code=dossier.code))
    assert (response.status_code, response["Location"]) == (301, new.format(code=dossier.code))
    assert client.get(response["Location"]).status_code == 200
