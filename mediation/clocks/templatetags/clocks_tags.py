"""{% clock_panel case %} for the case page, {% clock_badge clock %} for inbox rows."""

from django import template
from django.utils import timezone

from ..calendar import CalendarCache
from ..display import clock_view
from ..selectors import clocks_for_case

register = template.Library()


def _calendars(context) -> CalendarCache:
    # One calendar load per locality for a whole page, however many badges it shows.
    return context.render_context.setdefault("clocks_calendars", CalendarCache())


@register.inclusion_tag("clocks/_panel.html", takes_context=True)
def clock_panel(context, case):
    calendars, today = _calendars(context), timezone.localdate()
    return {"case": case, "views": [clock_view(c, calendars, today) for c in clocks_for_case(case)]}


@register.inclusion_tag("clocks/_badge.html", takes_context=True)
def clock_badge(context, clock):
    return {"v": clock_view(clock, _calendars(context), timezone.localdate(), detail=False)}


@register.inclusion_tag("clocks/_badge_words.html", takes_context=True)
def clock_words(context, clock):
    """Like clock_badge, in words: "完成企业/工会调解期限剩余4天" (the rule code in the tooltip)."""
    from ..display import deadline_words

    return {"v": deadline_words(clock, _calendars(context), timezone.localdate())}
