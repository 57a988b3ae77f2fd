from django import template

from ..selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def notifications_unread(context) -> int:
    """Unread notifications of the signed-in user (the header bell)."""
    user = context.get("user") or getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return unread_count(user)
