import os

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from sessions import services
from sessions.models import DocumentVersion, Session

from .factories import DocumentFactory, SessionFactory
from .helpers import PDF, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(unit, unit_official):
    document = DocumentFactory(session=SessionFactory(unit=unit))
    return services.document_upload_version(document=document, upload=pdf(), actor=unit_official, mark_ready=True)


def _body(response):
    return b"".join(response.streaming_content)


def test_official_of_the_unit_downloads_its_document(client, unit_official, version):
    client.force_login(unit_official)
    response = client.get(reverse("sessions:document_download", args=[version.pk]))
    assert response.status_code == 200
    assert _body(response) == PDF
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize("who", ["province_staff", "national_viewer", "ward_clerk"])
def test_readers_in_scope_download_documents(client, request, who, version):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("sessions:document_download", args=[version.pk])).status_code == 200


def test_document_of_another_unit_is_not_found(client, clerk_of_other_unit, version):
    client.force_login(clerk_of_other_unit)
    assert client.get(reverse("sessions:document_download", args=[version.pk])).status_code == 404


def test_user_without_role_is_refused_documents(client, user_without_role, version):
    client.force_login(user_without_role)
    assert client.get(reverse("sessions:document_download", args=[version.pk])).status_code == 403


def test_files_are_stored_outside_media_and_have_no_public_url(version):
    root = os.path.abspath(django_settings.PRIVATE_FILES_ROOT)
    assert os.path.abspath(version.file.path).startswith(root + os.sep)
    assert not os.path.abspath(version.file.path).startswith(os.path.abspath(django_settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        version.file.url  # noqa: B018


def _upload(client, session, document, upload):
    return client.post(
        reverse("sessions:document_version_add", args=[session.pk, document.pk]),
        {"upload": upload, "mark_ready": "on"},
    )


def test_oversized_upload_is_refused_with_a_message(client, settings, unit, unit_official):
    settings.SESSIONS_MAX_UPLOAD_MB = 0.001
    document = DocumentFactory(session=SessionFactory(unit=unit))
    client.force_login(unit_official)
    response = _upload(client, document.session, document, pdf(content=b"%PDF" + b"x" * 5000))
    assert response.status_code == 200
    assert "quá lớn" in response.content.decode()
    assert not DocumentVersion.objects.exists()


@pytest.mark.parametrize("name", ["chay.exe", "trang.html", "script.svg", "khong-co-duoi"])
def test_upload_of_a_type_outside_the_whitelist_is_refused(client, unit, unit_official, name):
    document = DocumentFactory(session=SessionFactory(unit=unit))
    client.force_login(unit_official)
    response = _upload(client, document.session, document, pdf(name=name))
    assert "Loại tệp này không được chấp nhận" in response.content.decode()
    assert not DocumentVersion.objects.exists()


@pytest.mark.parametrize(
    ("hostile", "stored"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\win.ini.docx", "win.ini.docx"),
        ("to trinh\x00.pdf", "to_trinh.pdf"),
        ("/tmp/a/b/Tờ trình số 1.PDF", "Tờ_trình_số_1.pdf"),
        ("..hidden.png", "hidden.png"),
    ],
)
def test_hostile_file_names_are_made_safe(unit, unit_official, hostile, stored):
    document = DocumentFactory(session=SessionFactory(unit=unit))
    version = services.document_upload_version(
        document=document, upload=pdf(name="x.pdf"), actor=unit_official, mark_ready=False
    )
    assert services.safe_filename(hostile) == stored
    root = os.path.abspath(django_settings.PRIVATE_FILES_ROOT)
    assert os.path.abspath(version.file.path).startswith(root + os.sep)


@pytest.mark.parametrize("hostile", ["../../etc/passwd", "a\x00", "../..", "/", ".pdf"])
def test_names_without_a_safe_stem_and_type_are_refused(unit, unit_official, hostile):
    from django.core.exceptions import ValidationError

    document = DocumentFactory(session=SessionFactory(unit=unit))
    upload = pdf()
    upload._name = hostile  # bypass the checks of Django's UploadedFile.name setter
    with pytest.raises(ValidationError):
        services.document_upload_version(document=document, upload=upload, actor=unit_official, mark_ready=False)
    assert not DocumentVersion.objects.exists()


def test_hostile_name_posted_through_the_form_is_stored_safely(client, unit, unit_official):
    document = DocumentFactory(session=SessionFactory(unit=unit))
    client.force_login(unit_official)
    response = _upload(client, document.session, document, pdf(name="../../etc/passwd.pdf"))
    assert response.status_code == 302
    version = DocumentVersion.objects.get()
    assert version.original_name == "passwd.pdf"
    assert ".." not in version.file.name


def test_new_versions_are_numbered_and_mark_the_document_ready(unit, unit_official):
    document = DocumentFactory(session=SessionFactory(unit=unit))
    services.document_upload_version(document=document, upload=pdf(), actor=unit_official, mark_ready=False)
    services.document_upload_version(document=document, upload=pdf(), actor=unit_official, mark_ready=True)
    document.refresh_from_db()
    assert list(document.versions.values_list("number", flat=True)) == [2, 1]
    assert document.is_ready


def test_a_document_without_file_cannot_be_marked_ready(client, unit, unit_official):
    document = DocumentFactory(session=SessionFactory(unit=unit))
    client.force_login(unit_official)
    response = client.post(
        reverse("sessions:document_ready", args=[document.session.pk, document.pk]), {"ready": "1"}, follow=True
    )
    assert "Hãy tải tệp lên trước" in response.content.decode()
    document.refresh_from_db()
    assert not document.is_ready


def test_documents_of_a_closed_session_cannot_change(unit, unit_official):
    document = DocumentFactory(session=SessionFactory(unit=unit, status=Session.Status.CLOSED))
    with pytest.raises(services.SessionError):
        services.document_upload_version(document=document, upload=pdf(), actor=unit_official, mark_ready=True)


def test_minutes_file_is_served_only_within_scope(client, unit, unit_official, clerk_of_other_unit):
    session = SessionFactory(unit=unit, status=Session.Status.IN_PROGRESS)
    services.session_close(
        session=session, actor=unit_official, minutes_summary="Tóm tắt", minutes_upload=pdf("bien ban.pdf")
    )
    client.force_login(unit_official)
    response = client.get(reverse("sessions:minutes_download", args=[session.pk]))
    assert response.status_code == 200 and _body(response) == PDF
    client.force_login(clerk_of_other_unit)
    assert client.get(reverse("sessions:minutes_download", args=[session.pk])).status_code == 404


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("to-trinh.pdf", b"<html><script>alert(1)</script></html>"),
        ("anh.png", b"MZ\x90\x00 an executable"),
        ("du-thao.docx", b"%PDF-1.4 a pdf named docx"),
    ],
)
def test_a_file_whose_content_does_not_match_its_type_is_refused(client, unit, unit_official, name, content):
    document = DocumentFactory(session=SessionFactory(unit=unit))
    client.force_login(unit_official)
    response = _upload(client, document.session, document, pdf(name=name, content=content))
    assert response.status_code == 200
    assert "Nội dung tệp không phải là tệp ." in response.content.decode()
    assert not DocumentVersion.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("du-thao.docx", b"PK\x03\x04 zipped office document"),
        ("bang-tinh.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old office"),
        ("anh-chup.jpg", b"\xff\xd8\xff\xe0 jpeg"),
    ],
)
def test_files_of_the_accepted_types_are_stored(unit, unit_official, name, content):
    document = DocumentFactory(session=SessionFactory(unit=unit))
    version = services.document_upload_version(
        document=document, upload=pdf(name=name, content=content), actor=unit_official, mark_ready=True
    )
    assert version.original_name == name
    assert version.file.open("rb").read() == content


def test_the_admin_shows_private_files_as_links_to_the_scoped_downloads(admin_client, unit, unit_official, version):
    session = SessionFactory(unit=unit, status=Session.Status.IN_PROGRESS)
    services.session_close(
        session=session, actor=unit_official, minutes_summary="Tóm tắt", minutes_upload=pdf("bien ban.pdf")
    )
    page = admin_client.get(reverse("admin:council_sessions_session_change", args=[session.pk]))
    assert page.status_code == 200
    minutes_url = reverse("sessions:minutes_download", args=[session.pk])
    assert minutes_url in page.content.decode()
    assert admin_client.get(minutes_url).status_code == 200
    page = admin_client.get(reverse("admin:council_sessions_documentversion_change", args=[version.pk]))
    assert page.status_code == 200
    assert reverse("sessions:document_download", args=[version.pk]) in page.content.decode()
