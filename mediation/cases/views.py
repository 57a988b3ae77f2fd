"""Case pages: home, list, the case file, attachments and the actions that are not flow steps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mediation.lib.idempotency import idempotent_post
from mediation.lib.masking import mask_id_number, mask_phone
from parties.models import County, Role
from workflows import services as flows

from . import selectors, services
from .forms import AgentForm, AttachmentForm, ExtensionForm, PartyCorrectionForm
from .models import CaseStatus, Channel


@login_required
def home(request):
    return redirect("inbox")


@login_required
def case_list(request):
    status = request.GET.get("status") or None
    county = request.GET.get("county") or None
    channel = request.GET.get("channel") or None
    q = (request.GET.get("q") or "").strip() or None
    qs = selectors.case_list_for_user(request.user, status=status, county=county, channel=channel, q=q)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    counts = selectors.status_counts_for_user(request.user)
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "cases/case_list.html", {
        "page": page, "counts": counts, "statuses": CaseStatus.choices, "counties": County.choices,
        "channels": Channel.choices, "filters": {"status": status, "county": county, "channel": channel, "q": q},
        "querystring": params.urlencode(),
        # Labels resolved once per page, not once per row (lazy choices are costly to rebuild).
        "labels": {"status": {k: str(v) for k, v in CaseStatus.choices},
                   "county": {k: str(v) for k, v in County.choices},
                   "channel": {k: str(v) for k, v in Channel.choices}},
    })


def _people(case, full: bool):
    """The workers as this case recorded them (never another case's name, phone or flags)."""
    rows = []
    day = case.received_on or timezone.localdate()
    for cw in case.case_workers.all():
        rows.append({
            "cw": cw, "name": cw.name,
            "id_number": cw.id_number if full else mask_id_number(cw.id_number),
            "phone": cw.phone if full else mask_phone(cw.phone),
            "groups": cw.special_groups(day),
            "child_labour": cw.possible_child_labour(day),
            "correction_form": PartyCorrectionForm(
                initial={f: getattr(cw, f) for f in PartyCorrectionForm.base_fields}, auto_id=f"cw{cw.pk}_%s"),
        })
    return rows


@login_required
def case_detail(request, case_id):
    case = selectors.case_detail_for_user(request.user, case_id)
    full = selectors.can_see_personal_data(request.user, case)
    partner = selectors.is_partner_view(request.user)
    if partner and full:
        # DOMAIN §5.1: every view of personal data by a partner agency is logged.
        services.personal_data_viewed(case=case, actor=request.user)
    from workflows.selectors import open_tasks_for_case

    staff = request.user.staff
    workers = _people(case, full)
    open_tasks = open_tasks_for_case(case)
    child_labour = [w for w in workers if w["child_labour"]]
    context = {
        "case": case, "workers": workers, "full_personal_data": full, "partner": partner,
        "open_tasks": open_tasks,
        "child_labour": child_labour,
        "inspection_referral_task": _inspection_referral_task(request.user, open_tasks) if child_labour else None,
        "can_edit": not partner and case.status != CaseStatus.ARCHIVED and services.may_work_on(request.user, case),
        "can_extend": (not partner and staff.has_role(Role.COMMITTEE_HEAD) and staff.agency_id == case.agency_id
                       and case.status in (CaseStatus.IN_MEDIATION, CaseStatus.EXTENDED)),
        "extension_form": ExtensionForm(initial={"consented_on": timezone.localdate()}),
        "attachment_form": AttachmentForm(), "agent_form": AgentForm(),
        "arbitration_window_open": any(e.action == "case.arbitration_window_open" for e in case.events.all())
        and case.is_open and not hasattr(case, "agreement"),
        "amount_claimed": sum((c.amount_claimed for c in case.claims.all()), 0),
        "progress": selectors.case_progress(case),
    }
    return render(request, "cases/case_detail.html", context)


def _inspection_referral_task(user, open_tasks):
    """The open step of this user where a referral to labour inspection is chosen (the mediation
    outcome or the follow-up of performance), for the possible-child-labour warning."""
    from workflows.engine import user_may_act

    for task in open_tasks:
        if task.flow_task.name in ("mediate", "follow_up") and user_may_act(user, task):
            return task
    return None


@login_required
def attachment_download(request, case_id, attachment_id):
    attachment = selectors.attachment_get_for_user(request.user, case_id, attachment_id)
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type, as_attachment=True,
                            filename=attachment.file.name.rsplit("/", 1)[-1])
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _case_for_work(request, case_id):
    case = selectors.case_get_for_user(request.user, case_id)
    if selectors.is_partner_view(request.user) or not services.may_work_on(request.user, case):
        raise Http404
    return case


@login_required
@require_POST
@idempotent_post
def attachment_upload(request, case_id):
    case = _case_for_work(request, case_id)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(case=case, actor=request.user, upload=form.cleaned_data["file"],
                                    title=form.cleaned_data["title"])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("材料已上传。"))
    else:
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("case_detail", case.pk)


@login_required
@require_POST
@idempotent_post
def case_extend(request, case_id):
    case = _case_for_work(request, case_id)
    form = ExtensionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            flows.case_extend(case=case, actor=request.user, days=d["days"],
                                 applicant_consent=d["applicant_consent"], respondent_consent=d["respondent_consent"],
                                 consented_on=d["consented_on"])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已延期调解%(d)d日。") % {"d": d["days"]})
    else:
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("case_detail", case.pk)


@login_required
@require_POST
@idempotent_post
def agent_add(request, case_id):
    case = _case_for_work(request, case_id)
    form = AgentForm(request.POST)
    if form.is_valid():
        try:
            services.agent_record(case=case, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已登记代理人。"))
    else:
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("case_detail", case.pk)


@login_required
def case_similar(request, case_id):
    """The similar-precedents panel of the case page, fetched after the page has loaded: a slow
    or dead search engine delays only this panel, about a second at most, and it says so."""
    from search.backends import SearchUnavailable
    from search.selectors import similar_precedents_for_case_page

    case = selectors.case_get_for_user(request.user, case_id)
    try:
        similar = {"items": similar_precedents_for_case_page(case, limit=5), "unavailable": None}
    except SearchUnavailable as exc:
        similar = {"items": [], "unavailable": exc.user_message}
    fragment = request.headers.get("X-Requested-With") == "fetch"
    template = "search/_similar_panel.html" if fragment else "search/similar_for_case_page.html"
    return render(request, template, {"case": case, "similar": similar})


@login_required
@require_POST
@idempotent_post
def case_worker_correct(request, case_id, case_worker_id):
    """Correct what this case says about one worker; only this case changes, and it is logged."""
    case = _case_for_work(request, case_id)
    case_worker = case.case_workers.filter(pk=case_worker_id).first()
    if case_worker is None:
        raise Http404
    form = PartyCorrectionForm(request.POST)
    if form.is_valid():
        try:
            services.case_worker_correct(case_worker=case_worker, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("当事人信息已更正，变更已记入案件日志。"))
    else:
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("case_detail", case.pk)
