"""{% similar_precedents_for_case case 5 as similar %} — for the mediation case page."""

from django import template

from ..backends import SearchUnavailable
from ..selectors import similar_precedents_for_case

register = template.Library()


@register.simple_tag(name="similar_precedents_for_case")
def similar_precedents_for_case_tag(case, limit=5):
    """{"items": [hits], "unavailable": message or None}; an engine outage never breaks the page."""
    try:
        return {"items": similar_precedents_for_case(case, limit=int(limit)), "unavailable": None}
    except SearchUnavailable as exc:
        return {"items": [], "unavailable": exc.user_message}
