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
from mediation.lib.security import no_store
from parties.models import County

from . import (
    document_selectors,
    hooks,
    permissions,
    protective_selectors,
    protective_services,
    selectors,
    services,
)
from .forms import (
    AgentForm,
    AttachmentForm,
    ClockPauseForm,
    ClockResumeForm,
    ExtensionForm,
    PartyCorrectionForm,
    WithdrawForm,
)
from .models import CaseStatus, Channel


@login_required
@no_store
def case_list(request):
    status = request.GET.get("status") or None
    county = request.GET.get("county") or None
    channel = request.GET.get("channel") or None
    q = (request.GET.get("q") or "").strip() or None
    extra, extra_labels = _extra_filters(request.GET)
    qs = selectors.case_list_for_user(request.user, status=status, county=county, channel=channel, q=q, **extra)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    counts = selectors.status_counts_for_user(request.user)
    params = request.GET.copy()
    params.pop("page", None)
    full = permissions.may_see_personal_data_in_lists(request.user)
    # Lists never show a full ID number (the case page does, per role); the phone per role.
    # D12: a page's open cases with a claim whose arbitration limitation is near or passed (one query).
    # The union's advice to the worker: shown to union staff, as on the case page.
    at_risk = (protective_selectors.cases_with_limitation_risk([c for c in page if c.is_open])
               if permissions.may_see_internal_records(request.user) else set())
    rows = [{"case": c, "applicant_id": mask_id_number(c.applicant_id_number), "limitation_risk": c.pk in at_risk,
             "applicant_phone": c.applicant_phone if full else mask_phone(c.applicant_phone),
             "respondent": c.respondent_employer or c.respondent_person or ""} for c in page]
    return render(request, "cases/case_list.html", {
        "page": page, "rows": rows, "counts": counts, "statuses": CaseStatus.choices, "counties": County.choices,
        "channels": Channel.choices, "filters": {"status": status, "county": county, "channel": channel, "q": q},
        "querystring": params.urlencode(),
        "extra_filters": extra_labels,
        "extra_hidden": [(k, request.GET[k]) for k in extra],
        # Labels resolved once per page, not once per row (lazy choices are costly to rebuild).
        "labels": {"status": {k: str(v) for k, v in CaseStatus.choices},
                   "county": {k: str(v) for k, v in County.choices},
                   "channel": {k: str(v) for k, v in Channel.choices}},
    })


def _extra_filters(params) -> tuple[dict, list[tuple[str, str]]]:
    """The cockpit's drill-down filters (selectors.EXTRA_CASE_FILTERS): values that do not parse are
    ignored; returns the parsed filters and (label, value) pairs to show above the list."""
    import datetime

    from parties.models import Agency

    from .models import ClosingCode, DisputeType

    names = {
        "open": _("未结案件"), "agency": _("承办机构"), "dispute_type": _("争议类型"), "received_from": _("收件日期自"),
        "received_to": _("收件日期至"), "closed_from": _("结案日期自"), "closed_to": _("结案日期至"),
        "closing_code": _("结案方式"), "outcome": _("结果"), "clock": _("时限"), "referral_agency": _("移送机构"),
        "referred_from": _("移送日期自"), "referred_to": _("移送日期至"), "worker_group": _("劳动者群体"),
        "paid_from": _("履行日期自"), "paid_to": _("履行日期至"), "referral_answered": _("移送答复"),
    }
    choices = {
        "open": {"1": _("是")}, "dispute_type": dict(DisputeType.choices), "closing_code": dict(ClosingCode.choices),
        "outcome": {"settled": _("调解成功"), "failed": _("调解不成")},
        "clock": {"overdue": _("已逾期"), "at_risk": _("临近届满")},
        "worker_group": {"migrant": _("农民工"), "nef": _("新就业形态劳动者")},
        "referral_answered": {"1": _("已答复")},
    }
    parsed, labels = {}, []
    for key in selectors.EXTRA_CASE_FILTERS:
        raw = (params.get(key) or "").strip()
        if not raw:
            continue
        if key.endswith(("_from", "_to")):
            try:
                value = datetime.date.fromisoformat(raw)
            except ValueError:
                continue
            shown = f"{value.year}年{value.month}月{value.day}日"
        elif key in ("agency", "referral_agency"):
            agency = Agency.objects.filter(pk=int(raw)).only("name").first() if raw.isdigit() else None
            if agency is None:
                continue
            value, shown = agency.pk, agency.name
        elif raw in choices[key]:
            value, shown = raw, str(choices[key][raw])
        else:
            continue
        parsed[key] = value
        labels.append((str(names[key]), shown))
    return parsed, labels


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
@no_store
def case_detail(request, case_id):
    case = selectors.case_detail_for_user(request.user, case_id)
    full = permissions.may_see_personal_data(request.user, case)
    if full and permissions.personal_data_view_is_logged(request.user):
        # DOMAIN §5.1: every view of personal data by a partner agency is logged.
        services.personal_data_viewed(case=case, actor=request.user)
    internal = permissions.may_see_internal_records(request.user)
    workers = _people(case, full)
    open_tasks = hooks.open_tasks_for_case(case)
    child_labour = [w for w in workers if w["child_labour"]]
    context = {
        "case": case, "workers": workers, "full_personal_data": full,
        "may_see_internal_records": internal,
        "may_nominate": permissions.may_nominate_typical_case(request.user, case),
        # The 办理 button only where the user may do the step (the same rule as the task page).
        "open_tasks": [{"task": t, "may_act": hooks.user_may_act(request.user, t)} for t in open_tasks],
        "child_labour": child_labour if internal else [],
        "inspection_referral_task": _inspection_referral_task(request.user, open_tasks) if child_labour else None,
        "may_edit": permissions.may_edit(request.user, case),
        "may_extend": permissions.may_extend(request.user, case),
        "extension_form": ExtensionForm(initial={"consented_on": timezone.localdate()}),
        # T21: withdrawal from any open state, by the union staff who work the case.
        "may_withdraw": permissions.may_withdraw(request.user, case),
        "withdraw_form": WithdrawForm(initial={"on": timezone.localdate()}),
        "attachment_form": AttachmentForm(), "agent_form": AgentForm(),
        "arbitration_window_open": any(e.action == "case.arbitration_window_open" for e in case.events.all())
        and case.is_open and not hasattr(case, "agreement"),
        "amount_claimed": sum((c.amount_claimed for c in case.claims.all()), 0),
        "progress": selectors.case_progress(case),
        "documents_panel": document_selectors.documents_panel(request.user, case),
        **_protective_context(request.user, case),
    }
    return render(request, "cases/case_detail.html", context)


def _protective_context(user, case) -> dict:
    """D12 per claim and the pause/resume of the clocks (issue 8 item B9)."""
    limitations = protective_selectors.claim_limitations(case)
    may_pause = permissions.may_pause_clocks(user, case)
    today = timezone.localdate()
    lookbacks = [(r, protective_selectors.inspection_lookback(r.violation_on, referred_on=r.sent_on,
                                                              county=case.county))
                 for r in case.referrals.all() if r.violation_on]
    return {
        "limitations": limitations,
        "inspection_lookbacks": lookbacks,
        "limitation_risks": [row for row in limitations if row.at_risk],
        "limitation_risk_days": protective_selectors.risk_days(),
        "can_pause_clocks": may_pause and bool(protective_services.pausable_clocks(case)),
        "can_resume_clocks": may_pause and bool(protective_services.pausable_clocks(case, paused=True)),
        "pause_form": ClockPauseForm(initial={"on": today}, auto_id="pause_%s"),
        "resume_form": ClockResumeForm(initial={"on": today}, auto_id="resume_%s"),
    }


def _inspection_referral_task(user, open_tasks):
    """The open step of this user where a referral to labour inspection is chosen (the mediation
    outcome or the follow-up of performance), for the possible-child-labour warning."""
    for task in open_tasks:
        if task.flow_task.name in ("mediate", "follow_up") and hooks.user_may_act(user, task):
            return task
    return None


@login_required
@no_store
def attachment_download(request, case_id, attachment_id):
    attachment = selectors.attachment_get_for_user(request.user, case_id, attachment_id)
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type, as_attachment=True,
                            filename=attachment.file.name.rsplit("/", 1)[-1])
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _case_for_work(request, case_id):
    case = selectors.case_get_for_user(request.user, case_id)
    if permissions.is_partner_view(request.user) or not permissions.may_work_on(request.user, case):
        raise Http404
    return case


def _case_action(request, case, form, call, done):
    """A case-page form that writes and comes back to the case: `call(cleaned_data)` runs the service;
    a refusal or a bad field is said in a message, and nothing is saved. `done` is the success message
    (or a function of the cleaned data that makes it)."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, done(form.cleaned_data) if callable(done) else done)
    else:
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("case_detail", case.pk)


@login_required
@require_POST
@idempotent_post
def attachment_upload(request, case_id):
    case = _case_for_work(request, case_id)
    return _case_action(
        request, case, AttachmentForm(request.POST, request.FILES),
        lambda d: services.attachment_add(case=case, actor=request.user, upload=d["file"], title=d["title"]),
        _("材料已上传。"))


@login_required
@require_POST
@idempotent_post
def case_extend(request, case_id):
    case = _case_for_work(request, case_id)
    return _case_action(
        request, case, ExtensionForm(request.POST),
        lambda d: hooks.case_extend(case=case, actor=request.user, days=d["days"],
                                    applicant_consent=d["applicant_consent"],
                                    respondent_consent=d["respondent_consent"], consented_on=d["consented_on"]),
        lambda d: _("已延期调解%(d)d日。") % {"d": d["days"]})


@login_required
@require_POST
@idempotent_post
def case_withdraw(request, case_id):
    """T21 from any open state: the flow's open steps are cancelled and the case goes to closing."""
    case = _case_for_work(request, case_id)
    return _case_action(
        request, case, WithdrawForm(request.POST),
        lambda d: hooks.case_withdraw(case=case, actor=request.user, reason=d["reason"], on=d["on"]),
        _("已登记撤回，请结案。"))


@login_required
@require_POST
@idempotent_post
def agent_add(request, case_id):
    case = _case_for_work(request, case_id)
    return _case_action(request, case, AgentForm(request.POST),
                        lambda d: services.agent_record(case=case, actor=request.user, **d), _("已登记代理人。"))


@login_required
@require_POST
@idempotent_post
def case_worker_correct(request, case_id, case_worker_id):
    """Correct what this case says about one worker; only this case changes, and it is logged."""
    case = _case_for_work(request, case_id)
    case_worker = case.case_workers.filter(pk=case_worker_id).first()
    if case_worker is None:
        raise Http404
    return _case_action(
        request, case, PartyCorrectionForm(request.POST),
        lambda d: services.case_worker_correct(case_worker=case_worker, actor=request.user, **d),
        _("当事人信息已更正，变更已记入案件日志。"))


@login_required
@require_POST
@idempotent_post
def case_clocks_pause(request, case_id):
    """暂停计时 (D34): the clocks whose rules pause on it stand still, with the reason."""
    case = _case_for_work(request, case_id)
    return _case_action(
        request, case, ClockPauseForm(request.POST),
        lambda d: hooks.case_clocks_pause(case=case, actor=request.user, reason=d["reason"], note=d["note"],
                                          on=d["on"]),
        _("已暂停计时。"))


@login_required
@require_POST
@idempotent_post
def case_clocks_resume(request, case_id):
    case = _case_for_work(request, case_id)
    return _case_action(
        request, case, ClockResumeForm(request.POST),
        lambda d: hooks.case_clocks_resume(case=case, actor=request.user, on=d["on"]),
        _("已恢复计时，届满日已顺延。"))
