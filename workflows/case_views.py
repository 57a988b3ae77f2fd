"""The pages of each step of CaseFlow. Opened only through workflows.views.task_dispatch,
which has already checked that the user may act on the task."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mediation.cases import services, steps
from mediation.cases.document_selectors import documents_panel
from mediation.cases.forms import (
    AcceptanceForm,
    AssignForm,
    CloseForm,
    ConfirmationDecisionForm,
    ConfirmationFilingForm,
    CourtAcknowledgementForm,
    CourtExtensionForm,
    CourtReportForm,
    DebtorResponseForm,
    EnforcementAcceptForm,
    EnforcementResultForm,
    ExtensionForm,
    FollowUpForm,
    MediationOutcomeForm,
    PaymentForm,
    ReferralUpdateForm,
    ReviewForm,
    ServiceForm,
    SessionRecordForm,
    VisitForm,
)
from mediation.cases.models import (
    ConfirmationPath,
    CourtResult,
    Instalment,
    RequestDecision,
    RequestKind,
)
from mediation.cases.permissions import may_assign_mediator
from mediation.clocks.services import clocks_follow_task
from parties.models import Role

from .engine import TaskConflict, task_clocks_attach
from .task_pages import complete_step


def case_of(task):
    return task.process.coerced.case


def _parties_context(user, case) -> dict:
    """What a step's page shows of the parties and the file, so nobody detours to the case page:
    workers (ID numbers and phones masked unless the role may see them; a partner's view of
    them is logged, DOMAIN §5.1), respondents, claims, and the documents of the file (partners get
    the step's documents, not the confidential session records)."""
    from mediation.cases.permissions import is_partner_view, may_see_personal_data
    from mediation.lib.masking import mask_id_number, mask_phone

    full = may_see_personal_data(user, case)
    partner = is_partner_view(user)
    workers = [{"name": cw.name, "is_representative": cw.is_representative,
                "id_number": cw.worker.id_number if full else mask_id_number(cw.worker.id_number),
                "phone": cw.phone if full else mask_phone(cw.phone),
                "amount_claimed": cw.amount_claimed}
               for cw in case.case_workers.select_related("worker")]
    if partner and full and workers:
        services.personal_data_viewed(case=case, actor=user)
    attachments = case.attachments.order_by("uploaded_at", "id")
    if partner:
        attachments = attachments.filter(session__isnull=True)
    return {
        "workers": workers, "full_personal_data": full,
        "respondents": list(case.respondents.select_related("employer")),
        "claims": list(case.claims.select_related("case_worker__worker")),
        "agreement": getattr(case, "agreement", None),
        "requests": list(case.confirmation_requests.select_related("target_agency").order_by("id")),
        "attachments": list(attachments),
    }


def _page(request, task, template, **context):
    case = case_of(task)
    context.update(task=task, case=case, today=timezone.localdate(),
                   doc_panel=documents_panel(request.user, case, step=task.flow_task.name))
    return render(request, f"workflows/case/{template}", context)


def _complete(request, task, form, entry, done_message, /, **kwargs):
    """Complete the step with its one entry point (mediation.cases.steps)."""
    return complete_step(request, task, form, entry, done_message,
                         reverse("case_detail", args=[case_of(task).pk]), **kwargs)


def _side_action(request, form, call):
    """A write that does not complete the step (a session, a payment…)."""
    try:
        call()
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return False
    return True


def _mediators(case):
    return get_user_model().objects.filter(
        staff__agency=case.agency, staff__role_rows__role=Role.MEDIATOR
    ).select_related("staff").distinct()


def review(request, task):
    case = case_of(task)
    may_assign = may_assign_mediator(request.user, case)
    form = ReviewForm(request.POST or None, initial={"decided_on": timezone.localdate()},
                      mediators=_mediators(case) if may_assign else None)
    if request.method == "POST" and form.is_valid() and may_assign and form.cleaned_data.get("mediator"):
        d = form.cleaned_data
        from .services import case_accept_and_assign

        try:
            case_accept_and_assign(review_task=task, actor=request.user, accepted_on=d["decided_on"],
                                         respondent_consents=d["respondent_consents"], mediator=d["mediator"],
                                         assistants=d["assistants"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        except TaskConflict as exc:
            messages.error(request, exc.message)
            return redirect("inbox")
        else:
            messages.success(request, _("已受理并指派调解员。"))
            return redirect("case_detail", case.pk)
    elif request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        response = _complete(request, task, form, steps.review_decide, _("审查决定已保存。"), case=case,
                             decision=d["decision"], decided_on=d["decided_on"],
                             respondent_consents=d["respondent_consents"], reason=d["reason"],
                             redirected_to=d["redirected_to"])
        if response:
            return response
    return _page(request, task, "review.html", form=form, **_parties_context(request.user, case))


def assign(request, task):
    case = case_of(task)
    mediators = get_user_model().objects.filter(
        staff__agency=case.agency, staff__role_rows__role=Role.MEDIATOR
    ).select_related("staff").distinct()
    form = AssignForm(request.POST or None, mediators=mediators)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        response = _complete(request, task, form, steps.mediator_assign, _("已指派调解员。"), case=case,
                             mediator=d["mediator"], assistants=d["assistants"])
        if response:
            return response
    return _page(request, task, "assign.html", form=form)


def mediate(request, task):
    case = case_of(task)
    action = request.POST.get("action") if request.method == "POST" else None
    session_form = SessionRecordForm(request.POST if action == "session" else None, request.FILES or None,
                                     initial={"held_at": timezone.localtime().replace(second=0, microsecond=0)})
    outcome_initial = {"on": timezone.localdate()}
    if request.GET.get("refer") == "INSPECTION":
        # From the possible-child-labour warning on the case page.
        outcome_initial.update(outcome="failed", referral_kinds=["INSPECTION"])
    outcome_form = MediationOutcomeForm(request.POST if action == "outcome" else None, initial=outcome_initial)
    if action == "session" and session_form.is_valid():
        d = session_form.cleaned_data
        uploads = [d["attachment"]] if d.get("attachment") else []
        if _side_action(request, session_form, lambda: services.session_record(
                case=case, actor=request.user, held_at=d["held_at"], form=d["form"], place=d["place"],
                participants=d["participants"], points_in_dispute=d["points_in_dispute"],
                proposals=d["proposals"], result=d["result"], attachments=uploads)):
            messages.success(request, _("调解记录已保存。"))
            return redirect(reverse("task_detail", args=[task.pk]))
    if action == "outcome" and outcome_form.is_valid():
        d = outcome_form.cleaned_data
        response = _complete(
            request, task, outcome_form, steps.mediation_conclude, _("调解结果已保存。"), case=case,
            outcome=d["outcome"], on=d["on"], reason=d["reason"],
            referral_kinds=d["referral_kinds"] if d["outcome"] == "failed" else [],
            terms=d["terms"], amount_total=d["amount_total"] or 0, applicant_signed=d["applicant_signed"],
            respondent_signed=d["respondent_signed"], mediator_signed=d["mediator_signed"], sealed=d["sealed"],
            paid_on_spot=d["paid_on_spot"], instalments=d["instalments"],
            confirmation_path=d["confirmation_path"] or ConfirmationPath.NONE, **_lookback(d),
        )
        if response:
            return response
    extension_form = ExtensionForm(initial={"consented_on": timezone.localdate()})
    return _page(request, task, "mediate.html", session_form=session_form, outcome_form=outcome_form,
                 extension_form=extension_form)


def _lookback(d: dict) -> dict:
    """D31: what the mediator gave for a referral to labour inspection."""
    return {"violation_on": d.get("violation_on"), "lookback_acknowledged": bool(d.get("lookback_acknowledged"))}


def file_confirmation(request, task):
    """T11: the parties' joint application, filed with the mediator's help (D20 / D21)."""
    case = case_of(task)
    kind = (RequestKind.JUDICIAL_CONFIRMATION if case.agreement.confirmation_path == ConfirmationPath.JUDICIAL
            else RequestKind.ARBITRAL_REVIEW)
    form = ConfirmationFilingForm(request.POST or None, initial={"filed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        response = _complete(request, task, form, steps.confirmation_filing_decide, _("已保存。"), case=case,
                             apply=d["decision"] == "apply", filed_on=d["filed_on"], kind=kind)
        if response:
            return response
    return _page(request, task, "file_confirmation.html", form=form, kind_label=RequestKind(kind).label)


def _court_side_action(request, task, form, call, done):
    """A court step's side action (acceptance, extension, service): written, then the clocks it
    started are hung on the task, and the page is shown again. A task a colleague has taken is theirs."""
    if task.owner_id and task.owner_id != request.user.pk:
        form.add_error(None, _("此任务已由%(who)s领取办理。") % {"who": getattr(task.owner, "staff", task.owner)})
        return None
    if _side_action(request, form, call):
        task_clocks_attach(task)
        messages.success(request, done)
        return redirect(reverse("task_detail", args=[task.pk]))
    return None


def confirmation(request, task):
    """Court or arbitration liaison: the acceptance (D22 met, the decision period D22a starts), an
    extension approved by the court president (judicial confirmation), then the decision (T12/T13)."""
    case = case_of(task)
    kind = {"judicial_confirmation": RequestKind.JUDICIAL_CONFIRMATION,
            "arbitral_review": RequestKind.ARBITRAL_REVIEW}[task.flow_task.name]
    request_obj = case.confirmation_requests.filter(kind=kind, decision="").latest("id")
    action = request.POST.get("action", "decide") if request.method == "POST" else None
    accept_form = AcceptanceForm(request.POST if action == "accept" else None,
                                 initial={"accepted_on": timezone.localdate()})
    extension_form = CourtExtensionForm(request.POST if action == "extend" else None)
    form = ConfirmationDecisionForm(request.POST if action == "decide" else None, initial={
        "accepted_on": request_obj.accepted_on or request_obj.filed_on, "decided_on": timezone.localdate()})
    if action == "accept" and (response := _court_accepts(request, task, accept_form, request_obj)):
        return response
    if action == "extend" and extension_form.is_valid():
        d = extension_form.cleaned_data
        response = _court_side_action(request, task, extension_form, lambda: services.confirmation_request_extend(
            request=request_obj, actor=request.user, days=d["days"], approval=d["approval"],
            on=timezone.localdate()), _("已延长审查期限。"))
        if response:
            return response
    if action == "decide" and form.is_valid():
        d = form.cleaned_data
        response = _complete(
            request, task, form, steps.confirmation_rule, _("审查结果已反馈调解组织。"), request=request_obj,
            decision=d["decision"], decided_on=d["decided_on"], ruling_no=d["ruling_no"], reason=d["reason"],
            accepted_on=None if request_obj.accepted_on else d["accepted_on"],
        )
        if response:
            return response
    return _page(request, task, "confirmation.html", form=form, request_obj=request_obj, accept_form=accept_form,
                 extension_form=extension_form if kind == RequestKind.JUDICIAL_CONFIRMATION else None,
                 **_parties_context(request.user, case))


def _court_accepts(request, task, accept_form, request_obj):
    """The court's acceptance of a confirmation or payment-order application (D22 / D24 met; the
    decision period starts), recorded on the step's page without completing it."""
    if not accept_form.is_valid():
        return None
    return _court_side_action(request, task, accept_form, lambda: services.confirmation_request_accept(
        request=request_obj, actor=request.user, accepted_on=accept_form.cleaned_data["accepted_on"]),
        _("已登记受理。"))


def payment_order(request, task):
    """Court liaison: the payment-order application accepted (D24), then issued or refused (D25)."""
    case = case_of(task)
    request_obj = case.confirmation_requests.filter(kind=RequestKind.PAYMENT_ORDER, decision="").latest("id")
    action = request.POST.get("action", "decide") if request.method == "POST" else None
    accept_form = AcceptanceForm(request.POST if action == "accept" else None,
                                 initial={"accepted_on": timezone.localdate()})
    form = ConfirmationDecisionForm(request.POST if action == "decide" else None, initial={
        "accepted_on": request_obj.accepted_on or request_obj.filed_on, "decided_on": timezone.localdate()})
    if action == "accept" and (response := _court_accepts(request, task, accept_form, request_obj)):
        return response
    if action == "decide" and form.is_valid():
        d = form.cleaned_data
        response = _complete(
            request, task, form, steps.payment_order_decide, _("支付令审查结果已反馈调解组织。"), request=request_obj,
            decision=d["decision"], decided_on=d["decided_on"], ruling_no=d["ruling_no"], reason=d["reason"],
            accepted_on=None if request_obj.accepted_on else d["accepted_on"],
        )
        if response:
            return response
    return _page(request, task, "confirmation.html", form=form, request_obj=request_obj, accept_form=accept_form,
                 extension_form=None, **_parties_context(request.user, case))


def payment_order_response(request, task):
    """Court liaison: the order served on the debtor (D26 starts), then the debtor's answer."""
    case = case_of(task)
    request_obj = (case.confirmation_requests.filter(kind=RequestKind.PAYMENT_ORDER, decision=RequestDecision.CONFIRMED)
                   .latest("id"))
    action = request.POST.get("action") if request.method == "POST" else None
    service_form = ServiceForm(request.POST if action == "serve" else None,
                               initial={"served_on": timezone.localdate()})
    form = DebtorResponseForm(request.POST if action == "respond" else None, initial={"on": timezone.localdate()})
    if action == "serve" and service_form.is_valid():
        response = _court_side_action(request, task, service_form, lambda: services.payment_order_serve(
            request=request_obj, actor=request.user, served_on=service_form.cleaned_data["served_on"]),
            _("已登记送达。"))
        if response:
            return response
    if action == "respond" and form.is_valid():
        d = form.cleaned_data
        response = _complete(request, task, form, steps.payment_order_respond, _("债务人答复已登记。"),
                             request=request_obj, response=d["response"], on=d["on"], note=d["note"])
        if response:
            return response
    return _page(request, task, "payment_order_response.html", form=form, service_form=service_form,
                 request_obj=request_obj, **_parties_context(request.user, case))


def enforcement(request, task):
    """Court liaison: the enforcement application filed (立案, case number), then its result (T16)."""
    case = case_of(task)
    application = case.enforcement_applications.select_related("title", "court").latest("id")
    action = request.POST.get("action") if request.method == "POST" else None
    accept_form = EnforcementAcceptForm(request.POST if action == "accept" else None,
                                        initial={"accepted_on": timezone.localdate(), "case_no": application.case_no})
    form = EnforcementResultForm(request.POST if action == "result" else None,
                                 initial={"result_on": timezone.localdate()})
    if action == "accept" and accept_form.is_valid():
        d = accept_form.cleaned_data
        response = _court_side_action(request, task, accept_form, lambda: services.enforcement_accept(
            application=application, actor=request.user, accepted_on=d["accepted_on"], case_no=d["case_no"]),
            _("已登记立案执行。"))
        if response:
            return response
    if action == "result" and form.is_valid():
        d = form.cleaned_data
        response = _complete(request, task, form, steps.enforcement_conclude, _("执行结果已反馈调解组织。"),
                             application=application, result=d["result"], on=d["result_on"], note=d["note"])
        if response:
            return response
    return _page(request, task, "enforcement.html", form=form, accept_form=accept_form, application=application,
                 **_parties_context(request.user, case))


def follow_up(request, task):
    case = case_of(task)
    action = request.POST.get("action") if request.method == "POST" else None
    payment_form = PaymentForm(request.POST if action == "payment" else None,
                               initial={"paid_on": timezone.localdate()})
    visit_form = VisitForm(request.POST if action == "visit" else None, initial={"visited_on": timezone.localdate()})
    outcome_initial = {"on": timezone.localdate()}
    if request.GET.get("refer") == "INSPECTION":
        outcome_initial.update(outcome="refer", referral_kinds=["INSPECTION"])
    # Which ways out this agreement has: enforcement once confirmed, never arbitration then (§3.4).
    outcome_form = FollowUpForm(request.POST if action == "outcome" else None, initial=outcome_initial,
                                paths=services.performance_paths(case),
                                referral_kinds=services.referral_kinds_allowed(case))
    if action == "payment" and payment_form.is_valid():
        d = payment_form.cleaned_data
        instalment = Instalment.objects.filter(agreement__case=case, pk=d["instalment"]).first()
        if instalment is None:
            payment_form.add_error(None, _("找不到该期款项。"))
        elif _side_action(request, payment_form, lambda: services.instalment_record_payment(
                instalment=instalment, actor=request.user, paid_on=d["paid_on"], proof=d["proof"])):
            messages.success(request, _("已登记付款。"))
            return redirect(reverse("task_detail", args=[task.pk]))
    if action == "visit" and visit_form.is_valid():
        d = visit_form.cleaned_data
        if _side_action(request, visit_form, lambda: services.visit_record(
                case=case, actor=request.user, visited_on=d["visited_on"], method=d["method"],
                findings=d["findings"])):
            messages.success(request, _("已登记回访。"))
            return redirect(reverse("task_detail", args=[task.pk]))
    if action == "outcome" and outcome_form.is_valid():
        d = outcome_form.cleaned_data
        response = _complete(
            request, task, outcome_form, steps.performance_conclude, _("履行情况已保存。"), case=case,
            outcome=d["outcome"], on=d["on"], note=d["note"],
            referral_kinds=d["referral_kinds"] if d["outcome"] == "refer" else [], **_lookback(d),
        )
        if response:
            return response
    instalments = list(Instalment.objects.filter(agreement__case=case)) if hasattr(case, "agreement") else []
    return _page(request, task, "follow_up.html", payment_form=payment_form, visit_form=visit_form,
                 outcome_form=outcome_form, instalments=instalments)


def referral(request, task):
    """The receiving agency records receipt, decision and result of a referral (T20)."""
    case = case_of(task)
    kind = {"arbitration": "ARBITRATION", "legal_aid": "LEGAL_AID",
            "supporting_prosecution": "SUPPORT_PROSECUTION", "labor_inspection": "INSPECTION",
            "litigation": "LITIGATION"}[task.flow_task.name]
    referral_obj = case.referrals.filter(kind=kind).latest("id")
    initial = {"received_on": referral_obj.received_on or timezone.localdate(),
               "decided_on": referral_obj.decided_on, "decision_note": referral_obj.decision_note,
               "result": referral_obj.result, "document_no": referral_obj.document_no,
               "result_on": referral_obj.result_on,
               "accepted": {True: "yes", False: "no"}.get(referral_obj.accepted, "")}
    arbitration = kind == "ARBITRATION"
    if arbitration:
        initial.update(tribunal_notified_on=referral_obj.tribunal_notified_on, award_on=referral_obj.award_on,
                       award_kind=referral_obj.award_kind, award_received_on=referral_obj.award_received_on,
                       award_extension_days=referral_obj.award_extension_days or None,
                       award_challenged_on=referral_obj.award_challenged_on)
    form = ReferralUpdateForm(request.POST or None, initial=initial, arbitration=arbitration)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fields = dict(received_on=d["received_on"], accepted=d["accepted"], decided_on=d["decided_on"],
                      decision_note=d["decision_note"], result=d["result"], document_no=d["document_no"],
                      result_on=d["result_on"],
                      **{k: d[k] for k in ("tribunal_notified_on", "award_extension_days", "award_on",
                                           "award_kind", "award_received_on", "award_challenged_on") if k in d})
        if d["finish"]:
            response = _complete(request, task, form, steps.referral_answer, _("处理结果已反馈调解组织。"),
                                 referral=referral_obj, **fields)
            if response:
                return response
        elif _side_action(request, form, lambda: services.referral_update(referral=referral_obj,
                                                                           actor=request.user, **fields)):
            # Clocks the agency's own steps started (D13 on receipt, D14/D15 on acceptance) follow this task.
            clocks_follow_task(subject=referral_obj, task=task, agency=referral_obj.target_agency,
                               owner=task.owner if task.owner_id else None)
            messages.success(request, _("办理进度已保存。"))
            return redirect(reverse("task_detail", args=[task.pk]))
    return _page(request, task, "referral.html", form=form, referral=referral_obj, lookback=_referral_lookback(referral_obj),
                 **_parties_context(request.user, case))


def report_to_court(request, task):
    """DOMAIN §2.3: the union reports a delegated / entrusted mediation back to the court."""
    case = case_of(task)
    form = CourtReportForm(request.POST or None, initial={"sent_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        response = _complete(request, task, form, steps.court_report_send, _("调解结果已反馈法院。"), case=case,
                             sent_on=d["sent_on"], follow_up=d["follow_up"], note=d["note"])
        if response:
            return response
    result = services.court_report_result(case)
    return _page(request, task, "report_to_court.html", form=form, result=result,
                 result_label=CourtResult(result).label if result else "",
                 is_success=result == CourtResult.SUCCESS, attached=steps.court_report_document(case),
                 **_parties_context(request.user, case))


def court_acknowledge(request, task):
    """The delegating court's liaison acknowledges the union's report."""
    case = case_of(task)
    report = case.court_reports.select_related("document", "sent_by__staff").latest("id")
    form = CourtAcknowledgementForm(request.POST or None, initial={"acknowledged_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        response = _complete(request, task, form, steps.court_report_acknowledge, _("已确认收到调解结果。"),
                             report=report, acknowledged_on=d["acknowledged_on"], note=d["note"],
                             court_case_no=d["court_case_no"])
        if response:
            return response
    return _page(request, task, "court_acknowledge.html", form=form, report=report,
                 **_parties_context(request.user, case))


def _referral_lookback(referral_obj):
    """D31 on the inspection liaison's page: the violation's day and whether two years have run."""
    if not referral_obj.violation_on:
        return None
    from mediation.cases.protective_selectors import inspection_lookback

    return inspection_lookback(referral_obj.violation_on, referred_on=referral_obj.sent_on,
                               county=referral_obj.case.county)


def close(request, task):
    case = case_of(task)
    form = CloseForm(request.POST or None, initial={"closed_on": timezone.localdate(),
                                                    "closing_code": services.suggested_closing_code(case)})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        response = _complete(request, task, form, steps.case_close_decide, _("案件已结案。"), case=case,
                             closing_code=d["closing_code"], on=d["closed_on"], note=d["note"],
                             follow_up_done=d["follow_up_done"])
        if response:
            return response
    return _page(request, task, "close.html", form=form)


def archive(request, task):
    case = case_of(task)
    from django import forms as django_forms

    form = django_forms.Form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = _complete(request, task, form, steps.case_file_archive, _("卷宗已归档，此后只读。"), case=case)
        if response:
            return response
    return _page(request, task, "archive.html", form=form)

