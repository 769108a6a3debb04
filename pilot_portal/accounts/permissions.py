"""Role checks for views. Scope (which objects) is ``visible_to``; these say who may open a screen at all."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from .models import Role


def user_has_role(user, roles) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.role not in roles:
        return False
    if user.role == Role.PROVINCE_STAFF:
        return user.province_id is not None
    if user.role in (Role.UNIT_OFFICIAL, Role.WARD_CLERK, Role.DELEGATE):
        return user.unit_id is not None
    return True


#: Every role that works in the portal. Delegates are not among them: they open only the pages that name them
#: (their unit's published sessions and their documents).
ANY_ROLE = frozenset(Role.values) - {Role.DELEGATE}


def role_required(*roles):
    """403 unless the user holds one of ``roles`` (superusers always pass)."""
    allowed = frozenset(roles) or ANY_ROLE

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not user_has_role(request.user, allowed):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
