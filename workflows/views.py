"""The inbox, the generic task page and case registration (the start of CaseFlow)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mediation.cases import selectors as case_selectors
from mediation.cases import services
from mediation.cases.forms import RegistrationForm
from mediation.cases.models import Channel
from mediation.clocks.selectors import clocks_for_tasks
from mediation.lib.idempotency import idempotent_post

from .engine import TaskConflict, task_claim, task_get_for_user
from .selectors import inbox_for
from .services import case_open


@login_required
def inbox(request):
    queryset = inbox_for(request.user)
    counts = queryset.aggregate(total=Count("id"), mine=Count("id", filter=Q(owner=request.user)))
    paginator = Paginator(queryset, 50)
    paginator.count = counts["total"]  # already counted above: spare the paginator its own COUNT
    page = paginator.get_page(request.GET.get("page"))
    tasks = list(page)
    clocks = clocks_for_tasks([t.pk for t in tasks])
    rows = []
    for task in tasks:
        process = task.process.coerced
        subject = getattr(process, "case", None) or getattr(process, "matter", None)
        rows.append({"task": task, "subject": subject, "clocks": clocks.get(task.pk, [])})
    return render(request, "workflows/inbox.html", {
        "rows": rows, "page": page, "total": counts["total"], "mine": counts["mine"],
        "queue": counts["total"] - counts["mine"],
    })


@login_required
@idempotent_post
def task_detail(request, task_id):
    task = task_get_for_user(request.user, task_id)
    view = task.flow_task._view
    return view(request, task)


@login_required
@require_POST
@idempotent_post
def task_take(request, task_id):
    task = task_get_for_user(request.user, task_id)
    try:
        task_claim(task=task, user=request.user)
    except TaskConflict as exc:
        messages.error(request, exc.message)
        return redirect("inbox")
    messages.success(request, _("已领取任务。"))
    return redirect("task_detail", task.pk)


def _may_register(user) -> str | None:
    staff = getattr(user, "staff", None)
    return staff.intake_family if staff else None


@login_required
@idempotent_post
def register(request):
    """T1/T2: intake at the union, or a delegation by a court / a referral by arbitration."""
    family = _may_register(request.user)
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
            return redirect("case_detail", case.pk)
    return render(request, "workflows/case/register.html", {"form": form, "family": family, "duplicates": duplicates})
