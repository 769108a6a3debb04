from django import template

register = template.Library()


@register.filter
def minutes(delta) -> int:
    """Whole minutes of a timedelta, rounded up."""
    seconds = int(delta.total_seconds())
    return -(-seconds // 60)
