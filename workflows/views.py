"""The inbox, the generic task page and case registration (the start of CaseFlow)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.status import STATUS

from mediation.cases import permissions as case_permissions
from mediation.cases import selectors as case_selectors
from mediation.cases import services
from mediation.cases.forms import RegistrationForm
from mediation.cases.models import Channel
from mediation.clocks.selectors import clocks_for_tasks
from mediation.lib.idempotency import idempotent_post
from mediation.lib.security import no_store
from parties.models import County

from .engine import (
    OPEN_TASK_STATUSES,
    TaskConflict,
    TaskNotActionable,
    task_claim,
    task_get_for_user,
)
from .selectors import CLOCK_STATES, inbox_for, inbox_summary
from .services import case_open


def inbox_filters(request) -> dict:
    """The inbox filters of a request (also used by the inbox's Excel ledger)."""
    clock = request.GET.get("clock") or None
    who = request.GET.get("who") or None
    return {"kind": request.GET.get("kind") or None, "county": request.GET.get("county") or None,
            "clock": clock if clock in CLOCK_STATES else None, "who": who if who in ("mine", "queue") else None}


def _flag_limitation_risk(user, rows: list[dict]) -> None:
    """D12: mark the rows whose open case has a claim near or past its limitation date (one query a page).
    The union's advice to the worker: shown to union staff, as on the case page."""
    from mediation.cases.models import Case
    from mediation.cases.permissions import may_see_internal_records
    from mediation.cases.protective_selectors import cases_with_limitation_risk

    shown = may_see_internal_records(user)
    cases = [r["subject"] for r in rows if shown and isinstance(r["subject"], Case) and r["subject"].is_open]
    at_risk = cases_with_limitation_risk(cases)
    for row in rows:
        row["limitation_risk"] = getattr(row["subject"], "pk", None) in at_risk and isinstance(row["subject"], Case)


@login_required
def inbox(request):
    today = timezone.localdate()
    filters = inbox_filters(request)
    counts = inbox_summary(request.user, today=today)
    queryset = inbox_for(request.user, today=today, ids=counts["ids"], **filters)
    filtered = any(filters.values())
    paginator = Paginator(queryset, 25)  # the most urgent first: one screen of work
    if not filtered:
        paginator.count = counts["total"]  # already counted: spare the paginator its own COUNT
    page = paginator.get_page(request.GET.get("page"))
    tasks = list(page)
    clocks = clocks_for_tasks([t.pk for t in tasks])
    rows = []
    for task in tasks:
        process = task.process.coerced
        subject = getattr(process, "case", None) or getattr(process, "matter", None)
        rows.append({"task": task, "subject": subject, "clocks": clocks.get(task.pk, []),
                     "overdue": task.urgent_due is not None and task.urgent_due < today})
    _flag_limitation_risk(request.user, rows)
    county_labels = {k: str(v) for k, v in County.choices}
    kinds = sorted(((get_task_ref(node), str(node.task_title or node.name), n) for node, n in counts["kinds"]),
                   key=lambda k: k[1])
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "workflows/inbox.html", {
        "rows": rows, "page": page, "counts": counts, "filters": filters, "filtered": filtered,
        "kinds": kinds, "counties": sorted((c, county_labels.get(c, c), n) for c, n in counts["counties"].items()),
        "clock_states": [("overdue", _("已超期")), ("due_soon", _("临近届满")), ("running", _("计时中")),
                         ("paused", _("已暂停")), ("none", _("无时限"))],
        "querystring": params.urlencode(),
    })


@login_required
@no_store  # task pages show the parties (names, ID numbers, phones)
@idempotent_post
def task_detail(request, task_id):
    try:
        task = task_get_for_user(request.user, task_id)
    except TaskNotActionable as exc:
        return _task_not_actionable(request, exc.task)
    view = task.flow_task._view
    return view(request, task)


def _task_not_actionable(request, task):
    """A task of the user's queue that a colleague finished or took meanwhile: say who and
    when, and link to the case or matter, instead of a bare 404."""
    process = task.process.coerced
    subject, subject_url = getattr(process, "case", None), None
    if subject is not None:
        subject_url = reverse("case_detail", args=[subject.pk])
    elif getattr(process, "matter", None) is not None:
        subject = process.matter
        subject_url = reverse("supervision:matter_detail", args=[subject.pk])
    who = task.owner.staff.full_name if task.owner_id and hasattr(task.owner, "staff") else (
        task.owner.get_username() if task.owner_id else "")
    return render(request, "workflows/task_unavailable.html", {
        "task": task, "subject": subject, "who": who, "finished": task.status == STATUS.DONE,
        "open": task.status in OPEN_TASK_STATUSES, "subject_url": subject_url,
    })


@login_required
@require_POST
@idempotent_post
def task_take(request, task_id):
    try:
        task = task_get_for_user(request.user, task_id)
    except TaskNotActionable:
        return redirect("task_detail", task_id)  # says who took or finished it, and when
    try:
        task_claim(task=task, user=request.user)
    except TaskConflict as exc:
        messages.error(request, exc.message)
        return redirect("inbox")
    messages.success(request, _("已领取任务。"))
    return redirect("task_detail", task.pk)


def _limitation_warning(request, case) -> None:
    """The intake's result names each claim whose arbitration limitation date (D12) is near or passed."""
    from mediation.cases.protective_selectors import limitation_at_risk

    for row in limitation_at_risk(case):
        day = f"{row.due_on.year}年{row.due_on.month}月{row.due_on.day}日"
        text = (_("时效风险：%(claim)s 的仲裁时效已于%(day)s届满（《劳动争议调解仲裁法》第二十七条）。")
                if row.expired else
                _("时效风险：%(claim)s 的仲裁时效将于%(day)s届满（剩余%(n)s天），请提示申请人及时申请劳动仲裁（《劳动争议调解仲裁法》第二十七条）。"))
        messages.warning(request, text % {"claim": f"{row.claim.get_dispute_type_display()}·{row.claim.subtype}",
                                          "day": day, "n": row.days_left})


@login_required
@no_store  # the form comes back with the ID numbers typed and the open cases of those workers
@idempotent_post
def register(request):
    """T1/T2: intake at the union, or a delegation by a court / a referral by arbitration."""
    family = case_permissions.intake_family(request.user)
    if family is None:
        raise Http404
    staff = request.user.staff
    form = RegistrationForm(request.POST or None, agency=staff.agency)
    if family == "court":
        form.fields["channel"].choices = [(Channel.COURT_DELEGATED, Channel.COURT_DELEGATED.label),
                                          (Channel.COURT_ENTRUSTED, Channel.COURT_ENTRUSTED.label)]
        form.fields["county"].initial = staff.agency.county
    elif family == "arbitration":
        form.fields["channel"].choices = [(Channel.ARB_REFERRED, Channel.ARB_REFERRED.label)]
        form.fields["county"].initial = staff.agency.county
    duplicates = []
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        duplicates = list(case_selectors.open_cases_for_parties(
            request.user, id_numbers=[w["id_number"] for w in kwargs["workers"]],
            credit_codes=[r["credit_code"] for r in kwargs["respondents"] if r.get("credit_code")])[:5])
        if duplicates and not form.cleaned_data.get("confirm_duplicate"):
            form.add_error("confirm_duplicate", _("同一劳动者与同一单位已有未结案件，请先查看；确属新的争议的，勾选此项后再提交。"))
            return render(request, "workflows/case/register.html",
                          {"form": form, "family": family, "duplicates": duplicates})
        if family == "union":
            union = staff.agency
        else:
            # The partner hands the case to the union of the county it chose.
            union = services.union_for_county(kwargs["county"])
            kwargs["source_agency"] = staff.agency
        try:
            case = case_open(actor=request.user, agency=union, **kwargs)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("案件已登记：%(no)s") % {"no": case.case_no})
            _limitation_warning(request, case)
            return redirect("case_detail", case.pk)
    return render(request, "workflows/case/register.html", {"form": form, "family": family, "duplicates": duplicates})
