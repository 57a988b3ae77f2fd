"""The pages of each step of SupervisionFlow. Opened only through workflows.views.task_detail,
which has already checked that the user may act on the task."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mediation.supervision import documents, services, steps
from mediation.supervision.forms import (
    CloseDeclinedForm,
    ClueClosedForm,
    DeliveryForm,
    FeedbackForm,
    FilingForm,
    InvestigationForm,
    OpinionForm,
    RecommendationForm,
    ReminderForm,
    ReplyForm,
    ResultForm,
    SignOffForm,
    VerifyForm,
    ViolationFormSet,
)
from mediation.supervision.models import DraftState, LetterKind
from mediation.supervision.services import inspection_agency_for

from .engine import task_clocks_attach
from .task_pages import complete_step


def matter_of(task):
    return task.process.coerced.matter


def _page(request, task, template, **context):
    matter = matter_of(task)
    context.update(task=task, matter=matter, today=timezone.localdate())
    return render(request, f"supervision/tasks/{template}", context)


def _complete(request, task, form, entry, done_message, /, **kwargs):
    """Complete the step with its one entry point (mediation.supervision.steps)."""
    return complete_step(request, task, form, entry, done_message,
                         reverse("supervision:matter_detail", args=[matter_of(task).pk]), **kwargs)


def _letter_kwargs(d: dict) -> dict:
    """The form's fields for services.letter_draft; a 提示函/意见书's reply date is never typed (its clock's)."""
    keys = ("subject", "facts", "legal_basis", "requirements", "cc")
    kwargs = {k: d.get(k) for k in keys} | {"co_issuers": list(d.get("co_issuers") or [])}
    if "request_reply" in d:
        kwargs["request_reply"] = d["request_reply"]
    if "reply_due" in d:
        kwargs["reply_due"] = d["reply_due"]
    return kwargs


def investigate(request, task):
    matter = matter_of(task)
    form = InvestigationForm(request.POST or None, county=matter.county)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        response = _complete(
            request, task, form, steps.investigation_conclude, _("调查核实已记录。"),
            matter=matter, conducted_on=d["conducted_on"], method=d["method"], place=d["place"], findings=d["findings"], conclusion=d["conclusion"], investigators=d["investigators"],
        )
        if response:
            return response
    return _page(request, task, "investigate.html", form=form)


def _letter_initial(matter, kind):
    """A redraft starts from the returned draft's text."""
    draft = services.latest_draft(matter, kind)
    if draft is None or draft.state != DraftState.RETURNED:
        return {}
    return {k: v for k, v in draft.payload.items() if k in ("subject", "facts", "legal_basis", "requirements", "cc")}


def _returned(matter, kind):
    draft = services.latest_draft(matter, kind)
    return draft if draft is not None and draft.state == DraftState.RETURNED else None


def issue_reminder(request, task):
    matter = matter_of(task)
    form = ReminderForm(request.POST or None, county=matter.county,
                        initial=_letter_initial(matter, LetterKind.REMINDER))
    if request.method == "POST" and form.is_valid():
        kwargs = _letter_kwargs(form.cleaned_data)
        response = _complete(
            request, task, form, steps.letter_submit, _("提示函已报送工会主席或副主席签发。"),
            matter=matter, kind=LetterKind.REMINDER, **kwargs,
        )
        if response:
            return response
    return _page(request, task, "letter.html", form=form, kind_label=LetterKind.REMINDER.label,
                 returned=_returned(matter, LetterKind.REMINDER))


def issue_opinion(request, task):
    matter = matter_of(task)
    form = OpinionForm(request.POST or None, county=matter.county, initial=_letter_initial(matter, LetterKind.OPINION))
    formset = ViolationFormSet(request.POST or None, prefix="v")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        kwargs = _letter_kwargs(form.cleaned_data)
        violations = [f.cleaned_data for f in formset.forms if f.has_content()]
        response = _complete(
            request, task, form, steps.letter_submit, _("意见书已报送工会主席或副主席签发。"),
            matter=matter, kind=LetterKind.OPINION, violations=violations, **kwargs,
        )
        if response:
            return response
    return _page(request, task, "letter.html", form=form, formset=formset, kind_label=LetterKind.OPINION.label,
                 returned=_returned(matter, LetterKind.OPINION))


def issue_recommendation(request, task):
    matter = matter_of(task)
    initial = _letter_initial(matter, LetterKind.RECOMMENDATION) | {"department": inspection_agency_for(matter)}
    form = RecommendationForm(request.POST or None, county=matter.county, initial=initial)
    opinion = matter.letters.filter(kind=LetterKind.OPINION).order_by("-id").first()
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        kwargs = _letter_kwargs(d)
        response = _complete(
            request, task, form, steps.letter_submit, _("建议书已报送工会主席或副主席签发。"),
            matter=matter, kind=LetterKind.RECOMMENDATION, department=d["department"], recommended_actions=d["recommended_actions"], **kwargs,
        )
        if response:
            return response
    return _page(request, task, "letter.html", form=form, kind_label=LetterKind.RECOMMENDATION.label,
                 previous=opinion, returned=_returned(matter, LetterKind.RECOMMENDATION))


SIGN_OFF_KINDS = {"sign_off_reminder": LetterKind.REMINDER, "sign_off_opinion": LetterKind.OPINION,
                  "sign_off_recommendation": LetterKind.RECOMMENDATION}


def sign_off(request, task):
    """签发: the chair or vice-chair reads the draft as it will be printed, then issues it or returns it."""
    matter = matter_of(task)
    kind = SIGN_OFF_KINDS[task.flow_task.name]
    draft = services.pending_draft(matter, kind)
    form = SignOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        approve = d["decision"] == SignOffForm.APPROVE
        response = _complete(
            request, task, form, steps.letter_decide, _("文书已签发。") if approve else _("文书已退回拟稿人修改。"),
            draft=draft, approve=approve, reason=d["reason"],
        )
        if response:
            return response
    text, problems = services.draft_preview(draft, signer=request.user)
    return _page(request, task, "sign_off.html", form=form, draft=draft, kind_label=LetterKind(kind).label,
                 blocks=documents.parse_blocks(text), problems=problems)


FOLLOW_KINDS = {"follow_reminder": LetterKind.REMINDER, "follow_opinion": LetterKind.OPINION}


def follow_letter(request, task):
    """Delivery (recorded on its own) and then the reply and verification, which completes the step."""
    matter = matter_of(task)
    kind = FOLLOW_KINDS[task.flow_task.name]
    letter = matter.letters.filter(kind=kind).order_by("-id").first()
    recipient = letter.recipients.get()
    action = request.POST.get("action") if request.method == "POST" else None
    delivery_form = DeliveryForm(request.POST if action == "deliver" else None, prefix="d")
    reply_form = ReplyForm(request.POST if action == "reply" else None, prefix="r",
                           initial={"verified_on": timezone.localdate()})
    if action == "deliver" and delivery_form.is_valid():
        d = delivery_form.cleaned_data
        try:
            services.letter_delivery_record(actor=request.user, recipient=recipient, method=d["method"],
                                            delivered_on=d["delivered_on"], receipt=d["receipt"])
        except ValidationError as exc:
            for message in exc.messages:
                delivery_form.add_error(None, message)
        else:
            messages.success(request, _("送达情况已登记。"))
            return redirect("task_detail", task.pk)
    if action == "reply" and reply_form.is_valid():
        d = reply_form.cleaned_data
        response = _complete(
            request, task, reply_form, steps.letter_follow, _("回复与核查情况已登记。"),
            recipient=recipient, reply_kind=d["reply_kind"], replied_on=d["replied_on"], reply_content=d["reply_content"], verification=d["verification"], verified_on=d["verified_on"], verification_note=d["verification_note"], amount_recovered=d["amount_recovered"] or 0, workers_covered=d["workers_covered"] or 0,
        )
        if response:
            return response
    return _page(request, task, "follow_letter.html", letter=letter, recipient=recipient,
                 delivery_form=delivery_form, reply_form=reply_form)


def deliver_recommendation(request, task):
    matter = matter_of(task)
    letter = matter.letters.filter(kind=LetterKind.RECOMMENDATION).order_by("-id").first()
    recipient = letter.recipients.get()
    form = DeliveryForm(request.POST or None, prefix="d")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        response = _complete(
            request, task, form, steps.recommendation_deliver, _("建议书送达已登记，已转%(dept)s办理。") % {"dept": letter.department},
            recipient=recipient, method=d["method"], delivered_on=d["delivered_on"], receipt=d["receipt"],
        )
        if response:
            return response
    return _page(request, task, "deliver.html", letter=letter, recipient=recipient, form=form)


def _recommendation(matter):
    return matter.letters.select_related("department").filter(kind=LetterKind.RECOMMENDATION).order_by("-id").first()


def department_filing(request, task):
    matter = matter_of(task)
    letter = _recommendation(matter)
    form = FilingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        response = _complete(
            request, task, form, steps.department_decide, _("立案决定已登记。"),
            letter=letter, decision=d["decision"], decided_on=d["decided_on"], filing_no=d["filing_no"], refusal_reason=d["refusal_reason"],
        )
        if response:
            return response
    return _page(request, task, "department.html", letter=letter, form=form)


def department_result(request, task):
    matter = matter_of(task)
    letter = _recommendation(matter)
    form = ResultForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        response = _complete(
            request, task, form, steps.department_report, _("处理结果已反馈工会。"),
            letter=letter, result=d["result"], result_on=d["result_on"], result_doc_no=d["result_doc_no"], result_note=d["result_note"],
        )
        if response:
            return response
    return _page(request, task, "department.html", letter=letter, form=form)


def verify(request, task):
    matter = matter_of(task)
    letter = _recommendation(matter)
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        response = _complete(
            request, task, form, steps.matter_verify, _("复核完成，事项已结案。"),
            matter=matter, verification=d["verification"], verified_on=d["verified_on"], note=d["note"], amount_recovered=d["amount_recovered"] or 0, workers_covered=d["workers_covered"] or 0,
        )
        if response:
            return response
    return _page(request, task, "department.html", letter=letter, form=form)


def close_declined(request, task):
    matter = matter_of(task)
    letter = _recommendation(matter)
    form = CloseDeclinedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        response = _complete(
            request, task, form, steps.matter_close_after_refusal, _("事项已结案。"),
            matter=matter, closed_on=d["closed_on"], note=d["note"],
        )
        if response:
            return response
    return _page(request, task, "department.html", letter=letter, form=form)


def procuratorate_feedback(request, task):
    matter = matter_of(task)
    referral = task.process.coerced.referral
    closing = request.method == "POST" and request.POST.get("step_action") == "close"
    close_form = ClueClosedForm(request.POST if closing else None)
    if closing and close_form.is_valid():
        # A side action: the clue is closed, the D28 clock runs until the feedback completes the step.
        d = close_form.cleaned_data
        try:
            services.procuratorate_clue_close(actor=request.user, referral=referral, action=d["action"],
                                              closed_on=d["closed_on"])
        except ValidationError as exc:
            for message in exc.messages:
                close_form.add_error(None, message)
        else:
            task_clocks_attach(task)  # D28, started by the closing, runs on this task
            messages.success(request, _("已登记办结，请于办结后5日内反馈办理情况。"))
            return redirect(reverse("task_detail", args=[task.pk]))
    initial = {"action": referral.action, "closed_on": referral.closed_on} if referral.closed_on else None
    form = FeedbackForm(request.POST if request.method == "POST" and not closing else None, initial=initial)
    if request.method == "POST" and not closing and form.is_valid():
        d = form.cleaned_data
        response = _complete(
            request, task, form, steps.clue_feedback, _("办理情况已反馈工会。"),
            referral=referral, action=d["action"], closed_on=d["closed_on"], feedback=d["feedback"], feedback_on=d["feedback_on"],
        )
        if response:
            return response
    return _page(request, task, "feedback.html", referral=referral, form=form, matter_ref=matter,
                 close_form=close_form if not referral.closed_on else None)
