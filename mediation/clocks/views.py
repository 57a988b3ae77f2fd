"""The month calendar of deadlines, for a user or an agency."""

from __future__ import annotations

import datetime
from collections import defaultdict
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mediation.lib.queries import YEAR_MAX, YEAR_MIN, BadQuery, bad_request
from parties.models import Agency, Role

from . import workdays
from .calendar import calendar_for, missing_years_text
from .selectors import (
    clocks_in_month_for_agency,
    clocks_in_month_for_user,
    month_bounds,
    overdue_clocks_for,
    overdue_counts_by_county,
)

WEEKDAYS = [gettext_lazy("周一"), gettext_lazy("周二"), gettext_lazy("周三"), gettext_lazy("周四"),
            gettext_lazy("周五"), gettext_lazy("周六"), gettext_lazy("周日")]


def _month(value: str | None, today: datetime.date) -> tuple[int, int]:
    """`?month=2026-10`; empty means this month, anything else that is not a month is refused."""
    if not (value or "").strip():
        return today.year, today.month
    try:
        year, month = (int(part) for part in value.strip().split("-"))
        datetime.date(year, month, 1)
    except ValueError:
        year = None
    if year is None or not YEAR_MIN <= year <= YEAR_MAX:
        raise BadQuery(_("月份“%(v)s”无效：请按“年-月”填写%(lo)d至%(hi)d年间的月份，例如 2026-10。")
                       % {"v": value[:20], "lo": YEAR_MIN, "hi": YEAR_MAX})
    return year, month


def _may_view_any_agency(user) -> bool:
    staff = getattr(user, "staff", None)
    if user.is_superuser:
        return True
    return bool(staff and (staff.has_role(Role.ADMIN)
                           or (staff.agency.is_union and staff.agency.is_city and staff.has_role(Role.UNION_SUPERVISOR))))


def _agency_for(user, agency_id: str | None) -> Agency:
    """The user's own agency; any agency for the city supervisor and administrators. 404 otherwise."""
    staff = getattr(user, "staff", None)
    if not agency_id:
        if staff is None:
            raise Http404
        return staff.agency
    if staff is not None and str(staff.agency_id) == agency_id:
        return staff.agency
    if not _may_view_any_agency(user):
        raise Http404
    try:
        return Agency.objects.get(pk=int(agency_id))
    except (Agency.DoesNotExist, ValueError):
        raise Http404 from None


@login_required
def calendar(request):
    today = timezone.localdate()
    try:
        year, month = _month(request.GET.get("month"), today)
    except BadQuery as exc:
        return bad_request(request, exc.message, back_url=reverse("clocks:calendar"))
    scope = "agency" if request.GET.get("scope") == "agency" else "me"
    staff = getattr(request.user, "staff", None)
    agency = None
    if scope == "agency":
        agency = _agency_for(request.user, request.GET.get("agency"))
        clocks = list(clocks_in_month_for_agency(agency, year, month, viewer=request.user))
        title = _("%(agency)s · 时限日历") % {"agency": agency.short_name or agency.name}
    else:
        clocks = list(clocks_in_month_for_user(request.user, year, month))
        title = _("我的时限日历")
    county = (agency or (staff.agency if staff else None)).county if (agency or staff) else ""
    cal = calendar_for(county)

    by_day = defaultdict(list)
    for clock in clocks:
        by_day[clock.due_on].append(clock)
    weeks = [
        [{"day": cal.day(d), "in_month": d.month == month, "is_today": d == today, "clocks": by_day.get(d, [])}
         for d in week]
        for week in workdays.month_grid(year, month)
    ]
    first, _last = month_bounds(year, month)
    prev_first = (first - workdays.ONE_DAY).replace(day=1)
    next_first = (first + datetime.timedelta(days=32)).replace(day=1)

    def query(day: datetime.date) -> str:
        params = {"month": f"{day:%Y-%m}", "scope": scope}
        if agency is not None:
            params["agency"] = agency.pk
        return urlencode(params)

    return render(request, "clocks/calendar.html", {
        "title": title, "scope": scope, "agency": agency, "first": first, "weeks": weeks,
        "weekdays": WEEKDAYS, "clocks": clocks, "month_value": f"{first:%Y-%m}",
        "missing": missing_years_text([year] if not cal.is_loaded(year) else []),
        "prev_query": query(prev_first), "next_query": query(next_first),
        "agencies": Agency.objects.order_by("kind", "county", "name") if _may_view_any_agency(request.user) else None,
    })


@login_required
def overdue(request):
    """Everything overdue on the cases the user may see, by county (the supervisor's dashboard)."""
    from django.core.paginator import Paginator

    from parties.models import County

    county = request.GET.get("county") or None
    labels = {k: str(v) for k, v in County.choices}
    counts = [(code, labels.get(code, code), n) for code, n in overdue_counts_by_county(request.user)]
    biggest = max((n for _c, _l, n in counts), default=0)
    page = Paginator(overdue_clocks_for(request.user, county=county), 50).get_page(request.GET.get("page"))
    return render(request, "clocks/overdue.html", {
        "counts": [{"code": c, "label": lbl, "n": n, "width": round(100 * n / biggest) if biggest else 0}
                   for c, lbl, n in counts],
        "page": page, "rows": [(c, (timezone.localdate() - c.due_on).days) for c in page], "county": county, "county_label": labels.get(county or "", ""),
        "today": timezone.localdate(),
    })
