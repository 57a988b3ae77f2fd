"""The working-day calendar of a locality, read from the database.

The `chinese_calendar` package plus the admin's override days (city-wide rows, then
the county's own rows on top) and the years whose official schedule was entered.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from .models import CalendarOverride, CalendarYear
from .workdays import WorkCalendar


def calendar_for(county: str = "") -> WorkCalendar:
    """Two queries; the override table holds a few dozen rows a year."""
    rows = CalendarOverride.objects.filter(locality__in={"", county}).values_list("date", "kind", "name", "locality")
    overrides: dict[datetime.date, tuple[str, str]] = {}
    for day, kind, name, _locality in sorted(rows, key=lambda r: r[3] != ""):  # county rows last: they win
        overrides[day] = (kind, name)
    return WorkCalendar(overrides, CalendarYear.objects.values_list("year", flat=True))


class CalendarCache(dict):
    """Calendars by county for the length of one request, render or sweep."""

    def __missing__(self, county: str) -> WorkCalendar:
        self[county] = cal = calendar_for(county)
        return cal


def missing_years_text(years) -> str:
    """2028年节假日安排未载入 (one line for all the years)."""
    if not years:
        return ""
    return _("%(years)s年节假日安排未载入") % {"years": "、".join(str(y) for y in sorted(years))}


def provisional_text(years) -> str:
    """2027年节假日安排未载入，暂按法定节假日推算: what a provisional answer must say."""
    if not years:
        return ""
    return _("%(missing)s，暂按《全国年节及纪念日放假办法》规定的法定节假日推算（不含调休），仅供参考") % {
        "missing": missing_years_text(years)}
