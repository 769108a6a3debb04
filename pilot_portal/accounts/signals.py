"""A ward clerk's session ends when the browser closes: counter computers are shared."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .models import Role


@receiver(user_logged_in, dispatch_uid="accounts.clerk_session_ends_with_the_browser")
def clerk_session_ends_with_the_browser(sender, request, user, **kwargs):
    if request is not None and getattr(user, "role", None) == Role.WARD_CLERK:
        request.session.set_expiry(0)
