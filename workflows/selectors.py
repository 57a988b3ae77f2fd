"""Reads of tasks for a user: the inbox and the tasks of a case."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from viewflow.workflow.models import Task

from .engine import OPEN_TASK_STATUSES

# Flows add the path from a task to the record it works on, so the inbox loads it in one query.
INBOX_SELECT_RELATED = ["process", "address__agency", "owner__staff", "process__caseprocess__case__agency",
                        "process__supervisionprocess__matter"]


# The clock states the inbox filters by (?clock=…).
CLOCK_STATES = ("overdue", "due_soon", "running", "paused", "none")


def _inbox_base(user) -> QuerySet[Task]:
    staff = getattr(user, "staff", None) if user.is_authenticated else None
    if staff is None:
        return Task.objects.none()
    addressed = Q(owner__isnull=True, address__agency_id=staff.agency_id, address__role__in=list(staff.roles))
    return Task.objects.filter(status__in=OPEN_TASK_STATUSES, flow_task_type="HUMAN").filter(Q(owner=user) | addressed)


def _with_urgency(qs: QuerySet[Task]) -> QuerySet[Task]:
    """`urgent_due`: the earliest due date of the task's running clocks (None: no running clock)."""
    from mediation.clocks.models import Clock, ClockStatus

    running = Clock.objects.filter(task=OuterRef("pk"), status=ClockStatus.RUNNING).order_by("due_on")
    return qs.annotate(urgent_due=Subquery(running.values("due_on")[:1]))


def _clock_filter(state: str, today: datetime.date) -> Q:
    from mediation.clocks.models import ACTIVE_STATUSES, Clock, ClockStatus

    clocks = Clock.objects.filter(task=OuterRef("pk"))
    if state == "overdue":
        return Q(urgent_due__lt=today)
    if state == "due_soon":
        return Q(Exists(clocks.filter(status=ClockStatus.RUNNING, warn_on__lte=today, due_on__gte=today)))
    if state == "running":
        return Q(urgent_due__gte=today)
    if state == "paused":
        return Q(Exists(clocks.filter(status=ClockStatus.PAUSED)))
    return ~Q(Exists(clocks.filter(status__in=ACTIVE_STATUSES)))


def _county_of_subject():
    return Coalesce(F("process__caseprocess__case__county"), F("process__supervisionprocess__matter__county"))


def inbox_for(user, *, kind: str | None = None, county: str | None = None, clock: str | None = None,
              who: str | None = None, today: datetime.date | None = None) -> QuerySet[Task]:
    """Open tasks assigned to the user or addressed to their agency and one of their roles,
    most urgent first: overdue, then the soonest due date, then by arrival.

    Filters: `kind` (the flow node, e.g. "workflows/case_flow.CaseFlow.review"), `county` (of the
    case or matter), `clock` (one of CLOCK_STATES), `who` ("mine" or "queue")."""
    today = today or timezone.localdate()
    qs = _with_urgency(_inbox_base(user))
    if kind:
        qs = qs.filter(flow_task=kind)
    if county:
        qs = qs.filter(Q(process__caseprocess__case__county=county)
                       | Q(process__supervisionprocess__matter__county=county))
    if clock in CLOCK_STATES:
        qs = qs.filter(_clock_filter(clock, today))
    if who == "mine":
        qs = qs.filter(owner=user)
    elif who == "queue":
        qs = qs.filter(owner__isnull=True)
    return qs.select_related(*INBOX_SELECT_RELATED).order_by(F("urgent_due").asc(nulls_last=True), "created", "id")


def inbox_counts(user, *, today: datetime.date | None = None) -> dict:
    """The figures at the top of the inbox (each one a link to its filter), in three queries:
    totals by owner and clock state, by kind of task, by county."""
    from mediation.clocks.models import Clock, ClockStatus

    today = today or timezone.localdate()
    base = _with_urgency(_inbox_base(user))
    due_soon = Exists(Clock.objects.filter(task=OuterRef("pk"), status=ClockStatus.RUNNING, warn_on__lte=today,
                                           due_on__gte=today))
    totals = base.annotate(soon=due_soon).aggregate(
        total=Count("id"), mine=Count("id", filter=Q(owner=user)),
        overdue=Count("id", filter=Q(urgent_due__lt=today)), due_soon=Count("id", filter=Q(soon=True)),
    )
    totals["queue"] = totals["total"] - totals["mine"]
    kinds = [(node, n) for node, n in base.order_by().values_list("flow_task").annotate(n=Count("id"))
             .values_list("flow_task", "n") if node is not None]
    counties = dict(base.order_by().annotate(subject_county=_county_of_subject())
                    .values_list("subject_county").annotate(n=Count("id")).values_list("subject_county", "n"))
    counties.pop(None, None)
    return {**totals, "kinds": kinds, "counties": counties}


def open_tasks_for_case(case) -> list[Task]:
    return list(
        Task.objects.filter(process__caseprocess__case=case, status__in=OPEN_TASK_STATUSES, flow_task_type="HUMAN")
        .select_related("address__agency", "owner__staff")
        .order_by("created")
    )
