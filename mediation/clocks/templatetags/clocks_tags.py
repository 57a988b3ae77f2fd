"""{% clock_panel case %} for the case page, {% clock_badge clock %} / {% clock_words clock %} for
rows. All of them say what a deadline counts in words ("完成企业/工会调解期限剩余4天"); the rule
code stays in the tooltip (issue 10 item 4)."""

from django import template
from django.utils import timezone

from ..calendar import CalendarCache
from ..display import deadline_words
from ..selectors import clocks_for_case

register = template.Library()


def _calendars(context) -> CalendarCache:
    # One calendar load per locality for a whole page, however many badges it shows.
    return context.render_context.setdefault("clocks_calendars", CalendarCache())


@register.inclusion_tag("clocks/_panel.html", takes_context=True)
def clock_panel(context, case):
    calendars, today = _calendars(context), timezone.localdate()
    views = [deadline_words(c, calendars, today, detail=True) for c in clocks_for_case(case)]
    return {"case": case, "views": views}


@register.inclusion_tag("clocks/_badge_words.html", takes_context=True)
def clock_badge(context, clock):
    return {"v": deadline_words(clock, _calendars(context), timezone.localdate())}


@register.inclusion_tag("clocks/_badge_words.html", takes_context=True)
def clock_words(context, clock):
    """The inbox's badge: "完成企业/工会调解期限剩余4天" (the rule code in the tooltip)."""
    return {"v": deadline_words(clock, _calendars(context), timezone.localdate())}
