"""Template helpers for the supervision pages and the case page's supervision panel."""

from django import template

register = template.Library()


@register.filter
def pct(value):
    if value is None:
        return "—"
    return f"{value * 100:.0f}%"


@register.filter
def bar_pct(value, maximum):
    """Width of a CSS bar in percent of `maximum`."""
    try:
        return round(100 * float(value) / float(maximum), 1) if maximum else 0
    except (TypeError, ValueError):
        return 0


@register.simple_tag(takes_context=True)
def matters_for_case(context, case):
    """{"links": the matters linked to `case` the user may see, "may_register": may open one from it}."""
    from mediation.supervision.permissions import may_register_matter, staff_of
    from mediation.supervision.selectors import matters_for_case as select

    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    staff = staff_of(user)
    return {"links": select(user, case) if staff else [], "may_register": may_register_matter(user)}
