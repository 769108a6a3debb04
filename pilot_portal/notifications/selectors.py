"""Reads of the notifications app: a user only ever reads their own notifications."""

from django.db.models import QuerySet

from .models import Notification, Preference


def unread_count(*, user) -> int:
    return Notification.objects.for_recipient(user).unread().count()


def notification_list(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.for_recipient(user)
    if unread_only:
        notifications = notifications.unread()
    return notifications.order_by("-created_at", "-id")


def notification_for(*, user, pk: int) -> Notification:
    """One of ``user``'s notifications; raises ``Notification.DoesNotExist`` for anyone else's."""
    return Notification.objects.for_recipient(user).get(pk=pk)


def preference_for(*, user) -> Preference:
    """The stored preference, or the default one (every kind by e-mail, no digest) without saving it."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)
