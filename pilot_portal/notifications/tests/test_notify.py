import smtplib
import threading

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connection

from pilot_portal.accounts.tests.factories import UserFactory
from pilot_portal.notifications import services
from pilot_portal.notifications.models import Kind, Notification, Preference
from pilot_portal.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def send(recipient, key="dossier:1:due:2025-06-20", kind=Kind.DOSSIER, title="Hồ sơ H56.14-250616-0001 sắp đến hạn"):
    return services.notify(recipient=recipient, kind=kind, key=key, title=title, body="Hạn: 20/06/2025", link="/units/")


def test_notify_stores_the_notification_and_emails_it_after_commit(unit_official, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = send(unit_official)
    assert len(callbacks) == 1
    assert Notification.objects.get().pk == notification.pk
    assert [m.to for m in mail.outbox] == [[unit_official.email]]
    assert mail.outbox[0].subject == "[Cổng thí điểm] Hồ sơ H56.14-250616-0001 sắp đến hạn"
    assert Notification.objects.get().emailed_at is not None


def test_the_same_key_for_the_same_recipient_is_stored_and_emailed_once(
    unit_official, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = send(unit_official)
        second = send(unit_official)
    assert first is not None
    assert second is None
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_the_same_key_reaches_each_recipient_once(unit_official, ward_clerk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(unit_official)
        send(ward_clerk)
        send(ward_clerk)
    assert sorted(Notification.objects.values_list("recipient_id", flat=True)) == sorted(
        [unit_official.pk, ward_clerk.pk]
    )
    assert len(mail.outbox) == 2


def test_nothing_is_emailed_when_the_transaction_rolls_back(unit_official, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        send(unit_official)
        transaction.set_rollback(True)
    assert callbacks == []
    assert mail.outbox == []


def test_a_user_who_turned_a_kind_off_gets_it_in_the_portal_but_not_by_email(
    unit_official, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=unit_official, email_kinds=[Kind.MILESTONE])
    with django_capture_on_commit_callbacks(execute=True):
        send(unit_official, kind=Kind.DOSSIER)
        send(unit_official, key="milestone:1:T-7:2025-06-25", kind=Kind.MILESTONE, title="Còn 7 ngày")
    assert Notification.objects.count() == 2
    assert [m.subject for m in mail.outbox] == ["[Cổng thí điểm] Còn 7 ngày"]


def test_a_user_on_the_daily_digest_gets_no_immediate_email(unit_official, django_capture_on_commit_callbacks):
    Preference.objects.create(user=unit_official, daily_digest=True)
    with django_capture_on_commit_callbacks(execute=True):
        send(unit_official)
    assert Notification.objects.count() == 1
    assert mail.outbox == []


def test_a_user_without_email_address_still_gets_the_notification(unit, django_capture_on_commit_callbacks):
    user = UserFactory(unit_official=True, unit=unit, email="")
    with django_capture_on_commit_callbacks(execute=True):
        send(user)
    assert Notification.objects.filter(recipient=user).count() == 1
    assert mail.outbox == []


def test_a_failing_mail_server_leaves_the_notification_stored_and_unmarked(
    unit_official, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1  # nothing listens on port 1
    with django_capture_on_commit_callbacks(execute=True):
        send(unit_official)
    notification = Notification.objects.get()
    assert notification.emailed_at is None


def test_notify_many_stores_only_the_new_ones_in_constant_queries(
    unit, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    users = UserFactory.create_batch(30, unit_official=True, unit=unit)
    messages = [
        services.Message(u.pk, Kind.DOSSIER, f"dossier:{i}:due", f"Hồ sơ {i}") for u in users for i in range(10)
    ]
    with django_capture_on_commit_callbacks(execute=False), django_assert_max_num_queries(4):
        assert len(services.notify_many(messages)) == 300
    with django_capture_on_commit_callbacks(execute=False), django_assert_max_num_queries(3):
        assert services.notify_many(messages) == []
    assert Notification.objects.count() == 300


def test_an_unknown_kind_is_refused(unit_official):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        send(unit_official, kind="khong-ton-tai")
    assert not Notification.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_notify_calls_store_and_email_once(unit_official):
    """Eight threads, each with its own database connection, call notify with the same key at the same moment."""
    barrier = threading.Barrier(8)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(send(unit_official))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len([r for r in results if r is not None]) == 1
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_an_email_task_run_twice_sends_once(unit_official, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        notification = send(unit_official)
    assert services.send_notification_emails(notification_ids=[notification.pk]) == 1
    assert services.send_notification_emails(notification_ids=[notification.pk]) == 0
    assert len(mail.outbox) == 1


def test_the_email_links_to_the_portal_on_its_public_origin(
    unit_official, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_BASE_URL = ""  # by default, the first trusted origin
    settings.CSRF_TRUSTED_ORIGINS = ["https://thidiem.example.gov.vn"]
    with django_capture_on_commit_callbacks(execute=True):
        send(unit_official)
    assert mail.outbox[0].body == "Hạn: 20/06/2025\n\nhttps://thidiem.example.gov.vn/units/"


def test_the_email_links_are_absolute_without_any_origin_set(
    unit_official, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_BASE_URL = ""
    settings.CSRF_TRUSTED_ORIGINS = []
    settings.ALLOWED_HOSTS = [".example.vn", "thidiem.example.vn"]
    with django_capture_on_commit_callbacks(execute=True):
        send(unit_official)
    assert mail.outbox[0].body.endswith("\n\nhttps://thidiem.example.vn/units/")


class MailServerFailingOnTheThirdMessage(locmem.EmailBackend):
    """A mail server that accepts two messages, then fails (as an SMTP server going down mid-batch)."""

    def send_messages(self, messages):
        if len(mail.outbox) >= 2:
            raise smtplib.SMTPServerDisconnected("connection lost")
        return super().send_messages(messages)


def test_a_mail_server_failing_mid_batch_leaves_only_the_rest_to_the_retry(unit, settings):
    users = UserFactory.create_batch(4, unit_official=True, unit=unit)
    ids = [NotificationFactory(recipient=u, title=f"Nhắc việc {i}").pk for i, u in enumerate(users)]
    settings.EMAIL_BACKEND = f"{__name__}.MailServerFailingOnTheThirdMessage"
    with pytest.raises(smtplib.SMTPException):
        services.send_notification_emails(notification_ids=ids)
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(pk__in=ids, emailed_at__isnull=False).count() == 2
    # The retry, with the server back, sends the two others only.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    assert services.send_notification_emails(notification_ids=ids) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users[2:])
    assert not Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).exists()


def test_a_recipient_given_by_id_and_no_body_or_link_is_stored_with_empty_ones(unit_official):
    notification = services.notify(recipient=unit_official.pk, kind=Kind.DOSSIER, key="k:1", title="Hồ sơ sắp đến hạn")
    stored = Notification.objects.get(pk=notification.pk)
    assert (stored.recipient, stored.body, stored.link) == (unit_official, "", "")


def test_on_postgresql_storing_and_choosing_whom_to_email_is_one_statement(unit, django_capture_on_commit_callbacks):
    from django.test.utils import CaptureQueriesContext

    users = UserFactory.create_batch(3, unit_official=True, unit=unit)
    messages = [services.Message(u.pk, Kind.DOSSIER, "dossier:1:due", "Hồ sơ 1") for u in users]
    with django_capture_on_commit_callbacks(execute=False), CaptureQueriesContext(connection) as queries:
        assert len(services.notify_many(messages)) == 3
    statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len([s for s in statements if "INSERT INTO" in s]) == 1
    assert not [s for s in statements if "INSERT INTO" not in s and "accounts_user" in s]


def test_a_title_longer_than_the_column_is_stored_cut_to_it(unit_official):
    notification = services.notify(recipient=unit_official, kind=Kind.DOSSIER, key="k:long", title="Đ" * 300)
    assert Notification.objects.get(pk=notification.pk).title == "Đ" * 255


def test_on_postgresql_more_notifications_than_a_sqlite_batch_are_still_one_statement(
    unit_official, django_capture_on_commit_callbacks
):
    from django.test.utils import CaptureQueriesContext

    count = services.INSERT_BATCH + 1
    messages = [
        services.Message(unit_official.pk, Kind.DOSSIER, f"dossier:{i}:due", f"Hồ sơ {i}") for i in range(count)
    ]
    with django_capture_on_commit_callbacks(execute=False), CaptureQueriesContext(connection) as queries:
        assert len(services.notify_many(messages)) == count
    assert len([q for q in queries.captured_queries if "INSERT INTO" in q["sql"]]) == 1


# --- On SQLite (``make run``'s database): the generic INSERT ... VALUES path ------------------------------------


def _with_what_they_point_to(models):
    """``models`` and every model their foreign keys lead to (SQLite checks that those tables exist)."""
    ordered, todo = [], list(models)
    while todo:
        model = todo.pop()
        if model not in ordered:
            ordered.append(model)
            todo.extend(f.related_model for f in model._meta.concrete_fields if f.is_relation)
    return ordered


@pytest.fixture
def on_sqlite(django_db_blocker):
    """The default database is an in-memory SQLite one (the portal's backend) while the test runs, with the tables
    of users, notifications and preferences."""
    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.db.utils import ConnectionHandler

    sqlite = ConnectionHandler({"default": {"ENGINE": "pilot_portal.core.sqlite3", "NAME": ":memory:"}})["default"]
    postgresql = connections["default"]
    with django_db_blocker.unblock():
        with sqlite.schema_editor() as editor:
            for model in _with_what_they_point_to([get_user_model(), Notification, Preference]):
                editor.create_model(model)
        connections._connections.default = sqlite
        try:
            yield sqlite
        finally:
            connections._connections.default = postgresql
            sqlite.close()


def sqlite_user(username, email=None):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create(
        username=username, email=f"{username}@ubnd.gov.vn" if email is None else email
    )


def test_on_sqlite_notify_stores_every_field_and_emails_it(on_sqlite, frozen_now):
    from django.utils import timezone

    user = sqlite_user("chuyenvien")
    notification = services.notify(
        recipient=user, kind=Kind.DOSSIER, key="k:1", title="Đ" * 300, body="Hạn: 20/06/2025", link="/units/"
    )

    assert connection.vendor == "sqlite"
    stored = Notification.objects.values().get(pk=notification.pk)
    assert {k: stored[k] for k in ("recipient_id", "kind", "key", "title", "body", "link", "created_at")} == {
        "recipient_id": user.pk,
        "kind": Kind.DOSSIER,
        "key": "k:1",
        "title": "Đ" * 255,
        "body": "Hạn: 20/06/2025",
        "link": "/units/",
        "created_at": timezone.now(),
    }
    assert stored["email_attempts"] == 0  # the database default, not a column of the insert
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert services.notify(recipient=user, kind=Kind.DOSSIER, key="k:1", title="Lần hai") is None


def test_on_sqlite_notify_many_returns_what_it_stored_and_emails_only_who_wants_it_now(on_sqlite):
    wants, digest, no_address = sqlite_user("a"), sqlite_user("b"), sqlite_user("c", email="")
    Preference.objects.create(user=digest, daily_digest=True, email_kinds=[Kind.DOSSIER])
    services.notify(recipient=wants, kind=Kind.DOSSIER, key="old", title="Cũ")
    mail.outbox.clear()
    messages = [
        services.Message(wants.pk, Kind.DOSSIER, "old", "Cũ"),
        services.Message(wants.pk, Kind.DOSSIER, "new", "Mới", "nội dung", "/a/"),
        services.Message(digest.pk, Kind.DOSSIER, "new", "Mới"),
        services.Message(no_address.pk, Kind.DOSSIER, "new", "Mới"),
    ]

    stored = services.notify_many(messages)

    assert [(s.message, s.email_now) for s in stored] == [(m, None) for m in messages[1:]]
    assert sorted(Notification.objects.filter(key="new").values_list("pk", flat=True)) == sorted(s.pk for s in stored)
    assert [m.to for m in mail.outbox] == [[wants.email]]


def test_on_sqlite_many_notifications_go_in_batches_of_insert_batch_rows(on_sqlite, django_capture_on_commit_callbacks):
    from django.test.utils import CaptureQueriesContext

    user = sqlite_user("a")
    count = services.INSERT_BATCH + 1
    messages = [services.Message(user.pk, Kind.DOSSIER, f"k:{i}", f"Hồ sơ {i}") for i in range(count)]
    with django_capture_on_commit_callbacks(execute=False), CaptureQueriesContext(on_sqlite) as queries:
        assert len(services.notify_many(messages)) == count
    assert len([q for q in queries.captured_queries if "INSERT INTO" in q["sql"]]) == 2
    assert Notification.objects.count() == count


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"kind": "khong-ton-tai"}, {"kind": ["Unknown kind of notification: 'khong-ton-tai'"]}),
        ({"key": ""}, {"key": ["A key of 1 to 200 characters is required: ''"]}),
        ({"key": "k" * 201}, {"key": [f"A key of 1 to 200 characters is required: '{'k' * 201}'"]}),
        ({"title": ""}, {"title": ["A title is required, and a link of at most 500 characters."]}),
        ({"link": "/" * 501}, {"title": ["A title is required, and a link of at most 500 characters."]}),
    ],
)
def test_a_message_outside_what_the_columns_take_is_refused_with_the_field_named(unit_official, fields, error):
    from django.core.exceptions import ValidationError

    message = {"recipient_id": unit_official.pk, "kind": Kind.DOSSIER, "key": "k:1", "title": "Hồ sơ", **fields}
    with pytest.raises(ValidationError) as refused:
        services.notify_many([services.Message(**message)])
    assert refused.value.message_dict == error
    assert not Notification.objects.exists()


def test_a_key_and_a_link_as_long_as_their_columns_are_stored(unit_official):
    message = services.Message(unit_official.pk, Kind.DOSSIER, "k" * 200, "Hồ sơ", link="/" * 500)
    assert len(services.notify_many([message])) == 1


def test_a_mail_setting_that_breaks_the_in_process_sending_while_the_broker_is_down_breaks_nothing(
    unit_official, settings, django_capture_on_commit_callbacks
):
    # With the broker unreachable the e-mails go out in-process, and only OSError is expected there: a broken mail
    # setting (TLS and SSL both on raises ValueError) is logged by the robust after-commit hook, never raised.
    from pilot_portal.celery import app as celery_app

    dead_broker = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CELERY_BROKER_URL = dead_broker
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = True
    saved = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = dead_broker, False
    celery_app._pool = celery_app.amqp._producer_pool = None
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            send(unit_official)
    finally:
        celery_app.conf.broker_url, celery_app.conf.task_always_eager = saved
        celery_app._pool = celery_app.amqp._producer_pool = None
    assert len(callbacks) == 1
    assert Notification.objects.get().emailed_at is None
