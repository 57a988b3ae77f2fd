"""Reads of deadline rules and clocks."""

from __future__ import annotations

import calendar as _pycal
import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from .hooks import cases_visible_to
from .models import Clock, ClockPause, ClockStatus, DeadlineRule


def rule_current(code: str, county: str = "") -> DeadlineRule:
    """The current version of a rule for a locality: the county's own, else the city default."""
    rules = {r.locality: r for r in DeadlineRule.objects.current().filter(code=code, locality__in={"", county})}
    rule = rules.get(county) or rules.get("")
    if rule is None:
        raise ValidationError(_("未配置时限规则 %(code)s。") % {"code": code})
    return rule


def _with_details(qs: QuerySet[Clock]) -> QuerySet[Clock]:
    return qs.select_related("rule", "case").prefetch_related(
        Prefetch("pauses", queryset=ClockPause.objects.order_by("paused_on", "id")), "extensions"
    )


def clocks_for_subject(subject) -> QuerySet[Clock]:
    ct = ContentType.objects.get_for_model(subject)
    return _with_details(Clock.objects.filter(content_type=ct, object_id=subject.pk)).order_by("due_on", "id")


def clocks_for_case(case) -> QuerySet[Clock]:
    """Every clock of a case (DOMAIN §3.1: show every clock that applies, with its basis)."""
    return _with_details(Clock.objects.filter(case=case)).order_by("started_on", "due_on", "id")


def case_clocks_by_event(case, *, started_by: str | None = None, stopped_by: str | None = None,
                         active: bool = True) -> list[Clock]:
    """The case's clocks whose rule starts on `started_by` and/or stops on `stopped_by`
    (e.g. the mediation periods: the clocks an effective agreement stops — D3, D10, D11)."""
    qs = clocks_for_case(case)
    if active:
        qs = qs.filter(status__in=(ClockStatus.RUNNING, ClockStatus.PAUSED))
    return [c for c in qs
            if (started_by is None or c.rule.starts_on == started_by)
            and (stopped_by is None or stopped_by in (c.rule.stops_on or []))]


def clocks_for_tasks(task_ids: Iterable[int]) -> dict[int, list[Clock]]:
    """The clocks of inbox rows, by task id, in one query."""
    out: dict[int, list[Clock]] = defaultdict(list)
    ids = list(task_ids)
    if ids:
        for clock in Clock.objects.filter(task_id__in=ids).select_related("rule").order_by("due_on", "id"):
            out[clock.task_id].append(clock)
    return dict(out)


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(year, month, _pycal.monthrange(year, month)[1])


def _visible(qs: QuerySet[Clock], user) -> QuerySet[Clock]:
    return qs.filter(Q(case__isnull=True) | Q(case__in=cases_visible_to(user)))


def clocks_in_month_for_user(user, year: int, month: int) -> QuerySet[Clock]:
    """The user's own clocks due in a month: owned by them or on cases they lead,
    limited to cases they may see."""
    first, last = month_bounds(year, month)
    qs = Clock.objects.filter(due_on__range=(first, last)).filter(
        Q(owner=user) | Q(case__lead_mediator=user)
    )
    return _visible(qs, user).select_related("rule", "case").order_by("due_on", "id")


def clocks_in_month_for_agency(agency, year: int, month: int, *, viewer=None) -> QuerySet[Clock]:
    """An agency's clocks due in a month (its own, or on its cases); with `viewer`,
    only those on cases the viewer may see."""
    first, last = month_bounds(year, month)
    qs = Clock.objects.filter(due_on__range=(first, last)).filter(Q(agency=agency) | Q(case__agency=agency))
    if viewer is not None:
        qs = _visible(qs, viewer)
    return qs.select_related("rule", "case").order_by("due_on", "id")


def overdue_clocks_for(user, *, county: str | None = None) -> QuerySet[Clock]:
    """Running clocks past their due date on cases the user may see (DOMAIN §3.3: the
    supervisor's list of everything overdue, by county)."""
    import django.utils.timezone

    qs = Clock.objects.filter(status=ClockStatus.RUNNING, due_on__lt=django.utils.timezone.localdate(),
                              case__in=cases_visible_to(user))
    if county:
        qs = qs.filter(case__county=county)
    return qs.select_related("rule", "case", "agency", "owner__staff").order_by("due_on", "id")


def overdue_counts_by_county(user) -> list[tuple[str, int]]:
    from django.db.models import Count

    rows = overdue_clocks_for(user).order_by().values("case__county").annotate(n=Count("id")).order_by("-n")
    return [(r["case__county"], r["n"]) for r in rows]
