"""Reads of tasks for a user: the inbox and the tasks of a case."""

from __future__ import annotations

import datetime

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
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
              who: str | None = None, today: datetime.date | None = None,
              ids: list[int] | None = None) -> QuerySet[Task]:
    """Open tasks assigned to the user or addressed to their agency and one of their roles,
    most urgent first: overdue, then the soonest due date, then by arrival.

    Filters: `kind` (the flow node, e.g. "workflows/case_flow.CaseFlow.review"), `county` (of the
    case or matter), `clock` (one of CLOCK_STATES), `who` ("mine" or "queue"). `ids`: the user's
    inbox as already read by `inbox_summary` (spares the database finding it again)."""
    today = today or timezone.localdate()
    base = Task.objects.filter(pk__in=ids) if ids is not None else _inbox_base(user)
    qs = _with_urgency(base)
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


def inbox_summary(user, *, today: datetime.date | None = None) -> dict:
    """The figures at the top of the inbox (each one a link to its filter) and the ids of the
    user's open tasks, from one query: totals by owner and clock state, by kind, by county."""
    from mediation.clocks.models import Clock, ClockStatus

    today = today or timezone.localdate()
    due_soon = Exists(Clock.objects.filter(task=OuterRef("pk"), status=ClockStatus.RUNNING, warn_on__lte=today,
                                           due_on__gte=today))
    rows = list(_with_urgency(_inbox_base(user)).annotate(soon=due_soon, subject_county=_county_of_subject())
                .order_by().values_list("id", "flow_task", "owner_id", "urgent_due", "soon", "subject_county"))
    kinds: dict = {}
    counties: dict[str, int] = {}
    for _id, node, _owner, _due, _soon, county in rows:
        if node is not None:
            kinds[node] = kinds.get(node, 0) + 1
        if county:
            counties[county] = counties.get(county, 0) + 1
    mine = sum(1 for r in rows if r[2] == user.pk)
    return {
        "ids": [r[0] for r in rows], "total": len(rows), "mine": mine, "queue": len(rows) - mine,
        "overdue": sum(1 for r in rows if r[3] is not None and r[3] < today),
        "due_soon": sum(1 for r in rows if r[4]), "kinds": list(kinds.items()), "counties": counties,
    }


def open_tasks_for_case(case) -> list[Task]:
    return list(
        Task.objects.filter(process__caseprocess__case=case, status__in=OPEN_TASK_STATUSES, flow_task_type="HUMAN")
        .select_related("address__agency", "owner__staff")
        .order_by("created")
    )
