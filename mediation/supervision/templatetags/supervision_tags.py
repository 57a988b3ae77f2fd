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
    from mediation.supervision.selectors import matters_for_case as select

    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    staff = getattr(user, "staff", None) if user is not None and user.is_authenticated else None
    may_register = bool(staff and staff.agency.is_union and staff.has_role("LABOR_SUPERVISOR", "UNION_SUPERVISOR"))
    return {"links": select(user, case) if staff else [], "may_register": may_register}
