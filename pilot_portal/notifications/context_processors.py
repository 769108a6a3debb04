from . import selectors


def notifications(request):
    """``notifications_unread``: one COUNT on a partial index, run only when a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.has_portal_role:
        return {}
    return {"notifications_unread": lambda: selectors.unread_count(user=user)}
