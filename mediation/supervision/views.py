"""Pages of 一函两书: the matter list and page, registering a clue, mass reminder letters,
letter downloads (PDF / .docx from the frozen text), links to cases, statistics.

The steps of the ladder itself are task pages (workflows/supervision_views.py)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mediation.cases.selectors import case_get_for_user, cases_visible_to
from mediation.clocks.selectors import clocks_for_subject
from mediation.lib.idempotency import idempotent_post
from mediation.lib.queries import BadQuery, bad_request, year_param
from mediation.lib.security import no_store
from parties.models import County, Employer

from . import documents, hooks, permissions, selectors, services
from .forms import (
    CampaignForm,
    DeliveryForm,
    LinkCaseForm,
    MatterRegisterForm,
    ReferralForm,
    ReplyForm,
    SignOffForm,
    SpawnCaseForm,
)
from .models import ClueSource, LetterKind, LinkDirection, MatterStatus

# The main path of the ladder shown on the matter page (DOMAIN §4.3).
LADDER = [MatterStatus.CLUE_FOUND, MatterStatus.INVESTIGATING, MatterStatus.REMINDER_ISSUED,
          MatterStatus.OPINION_ISSUED, MatterStatus.RECOMMENDATION_ISSUED, MatterStatus.DEPT_FILED,
          MatterStatus.DEPT_DECIDED]


def _form_errors(form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


@login_required
def matter_list(request):
    status = request.GET.get("status") or ""
    county = request.GET.get("county") or ""
    q = (request.GET.get("q") or "").strip()
    matters = selectors.matter_list_for_user(request.user, status=status, county=county, q=q)[:200]
    return render(request, "supervision/matter_list.html", {
        "matters": matters, "status": status, "county": county, "q": q,
        "statuses": MatterStatus.choices, "counties": County.choices,
        "may_write": permissions.may_register_matter(request.user),
        "may_see_stats": permissions.may_see_statistics(request.user),
    })


@login_required
@idempotent_post
def matter_new(request):
    """Register a clue and start the supervision flow (from a case: ?case=<id>)."""
    if not permissions.may_register_matter(request.user):
        raise Http404
    staff = request.user.staff
    case = None
    if request.GET.get("case") or request.POST.get("case"):
        case = case_get_for_user(request.user, request.GET.get("case") or request.POST.get("case"))
    employers = Employer.objects.all()
    if not staff.agency.is_city:
        employers = employers.filter(county=staff.agency.county)
    initial = {}
    if case is not None:
        respondent = case.respondents.filter(employer__isnull=False).select_related("employer").first()
        initial = {"source": ClueSource.CASE, "title": _("%(title)s（调解中发现的用工问题）") % {"title": case.title},
                   "employer": respondent.employer if respondent else None}
    form = MatterRegisterForm(request.POST or None, employers=employers, initial=initial)
    if case is None:
        form.fields["source"].choices = [c for c in form.fields["source"].choices if c[0] != ClueSource.CASE]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            matter = hooks.matter_open(actor=request.user, title=d["title"], source=d["source"], clue=d["clue"],
                                 employer=d["employer"], source_case=case, source_ref=d["source_ref"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已登记监督事项 %(no)s，请进行调查核实。") % {"no": matter.matter_no})
            return redirect("supervision:matter_detail", matter.pk)
    return render(request, "supervision/matter_form.html", {"form": form, "case": case})


@login_required
@no_store
def matter_detail(request, matter_id):
    matter = selectors.matter_detail_for_user(request.user, matter_id)
    may_write = permissions.may_write(request.user, matter)
    tasks = [(t, hooks.user_may_act(request.user, t)) for t in selectors.open_tasks_for_matter(matter)]
    letters = list(matter.letters.all())
    for letter in letters:
        for r in letter.recipients.all():
            r.clock_list = list(clocks_for_subject(r))
    passed = set()
    for event in matter.events.all():
        passed.update(v for v in (event.changes or {}).get("status", []) if v)
    ladder = [(s.value, s.label) for s in LADDER]
    if matter.is_closed:
        ladder.append((matter.status, matter.get_status_display()))
    context = {
        "matter": matter, "may_write": may_write, "tasks": tasks, "ladder": ladder, "passed": passed,
        "may_see_internal_records": permissions.may_see_internal_records(request.user),
        "letters": letters,
        "draft": services.pending_draft(matter),
    }
    if (context["draft"] is not None and not matter.processes.exists()
            and permissions.may_sign_off(request.user, matter)):
        context["sign_off_form"] = SignOffForm(prefix="so")  # a campaign has no flow: signed off here
    if may_write:
        context["referral_form"] = ReferralForm(county=matter.county, prefix="ref",
                                                initial={"agency": services.procuratorate_for(matter)})
        context["link_form"] = LinkCaseForm(prefix="link")
        context["spawn_form"] = SpawnCaseForm(prefix="spawn")
        context["may_refer"] = permissions.may_refer_to_procuratorate(request.user, matter)
        if matter.is_campaign:
            context["delivery_form"] = DeliveryForm(prefix="d")
            context["reply_form"] = ReplyForm(prefix="r", initial={"verified_on": timezone.localdate()})
    return render(request, "supervision/matter_detail.html", context)


def _writable(request, matter_id):
    matter = selectors.matter_get_for_user(request.user, matter_id)
    if not permissions.may_write(request.user, matter):
        raise Http404
    return matter


def _refused(form) -> ValidationError:
    """Every reason a form was refused, each with its field's label (nothing fails silently)."""
    return ValidationError([f"{form.fields[k].label}：{'；'.join(v)}" if k in form.fields else "；".join(v)
                            for k, v in form.errors.items()])


def _back_with_errors(request, matter, exc: ValidationError):
    for message in exc.messages:
        messages.error(request, message)
    return redirect("supervision:matter_detail", matter.pk)


@login_required
@require_POST
@idempotent_post
def matter_refer(request, matter_id):
    matter = _writable(request, matter_id)
    form = ReferralForm(request.POST, county=matter.county, prefix="ref")
    if not form.is_valid():
        return _back_with_errors(request, matter, _refused(form))
    d = form.cleaned_data
    try:
        hooks.referral_open(actor=request.user, matter=matter, agency=d["agency"], sent_on=d["sent_on"],
                      grounds=d["grounds"], note=d["note"])
    except ValidationError as exc:
        return _back_with_errors(request, matter, exc)
    messages.success(request, _("线索已移送%(a)s。") % {"a": d["agency"]})
    return redirect("supervision:matter_detail", matter.pk)


@login_required
@require_POST
@idempotent_post
def matter_link_case(request, matter_id):
    matter = _writable(request, matter_id)
    form = LinkCaseForm(request.POST, prefix="link")
    if not form.is_valid():
        return _back_with_errors(request, matter, ValidationError(_("请填写调解案件案号。")))
    case = cases_visible_to(request.user).filter(case_no=form.cleaned_data["case_no"].strip()).first()
    if case is None:
        return _back_with_errors(request, matter, ValidationError(_("未找到该案号的调解案件，或您无权查看。")))
    try:
        services.matter_link_case(actor=request.user, matter=matter, case=case,
                                  direction=LinkDirection.MATTER_SPAWNED_CASE)
    except ValidationError as exc:
        return _back_with_errors(request, matter, exc)
    messages.success(request, _("已关联调解案件 %(no)s。") % {"no": case.case_no})
    return redirect("supervision:matter_detail", matter.pk)


@login_required
@require_POST
@idempotent_post
def matter_spawn_case(request, matter_id):
    matter = _writable(request, matter_id)
    form = SpawnCaseForm(request.POST, prefix="spawn")
    if not form.is_valid():
        return _back_with_errors(request, matter, _refused(form))
    d = form.cleaned_data
    try:
        case = services.matter_spawn_case(
            actor=request.user, matter=matter, facts=d["facts"], received_on=timezone.localdate(),
            worker={"name": d["name"], "id_number": d["id_number"], "phone": d["phone"],
                    "amount_claimed": d["amount_claimed"], "is_migrant": d["is_migrant"]},
            claims=[{"dispute_type": "WAGES", "subtype": d["subtype"], "amount_claimed": d["amount_claimed"],
                     "worker_index": 0}],
            register=hooks.case_open,
        )
    except ValidationError as exc:
        return _back_with_errors(request, matter, exc)
    messages.success(request, _("已为劳动者登记调解案件 %(no)s。") % {"no": case.case_no})
    return redirect("supervision:matter_detail", matter.pk)


def _campaign_recipient(request, matter_id, recipient_id):
    matter = _writable(request, matter_id)
    if not matter.is_campaign:
        raise Http404
    try:
        recipient = selectors.recipient_of_matter(matter, recipient_id)
    except ValueError:
        raise Http404 from None
    return matter, recipient


@login_required
@require_POST
@idempotent_post
def recipient_deliver(request, matter_id, recipient_id):
    """Delivery of a mass 提示函, tracked per employer."""
    matter, recipient = _campaign_recipient(request, matter_id, recipient_id)
    form = DeliveryForm(request.POST, prefix="d")
    if not form.is_valid():
        return _back_with_errors(request, matter, _refused(form))
    d = form.cleaned_data
    try:
        services.letter_delivery_record(actor=request.user, recipient=recipient, method=d["method"],
                                        delivered_on=d["delivered_on"], receipt=d["receipt"])
    except ValidationError as exc:
        return _back_with_errors(request, matter, exc)
    messages.success(request, _("已登记%(name)s的送达情况。") % {"name": recipient.name})
    return redirect("supervision:matter_detail", matter.pk)


@login_required
@require_POST
@idempotent_post
def recipient_reply(request, matter_id, recipient_id):
    matter, recipient = _campaign_recipient(request, matter_id, recipient_id)
    form = ReplyForm(request.POST, prefix="r")
    if not form.is_valid():
        return _back_with_errors(request, matter, _refused(form))
    d = form.cleaned_data
    try:
        services.letter_reply_record(
            actor=request.user, recipient=recipient, reply_kind=d["reply_kind"], replied_on=d["replied_on"],
            reply_content=d["reply_content"], verification=d["verification"], verified_on=d["verified_on"],
            verification_note=d["verification_note"], amount_recovered=d["amount_recovered"] or 0,
            workers_covered=d["workers_covered"] or 0)
    except ValidationError as exc:
        return _back_with_errors(request, matter, exc)
    messages.success(request, _("已登记%(name)s的回复情况。") % {"name": recipient.name})
    return redirect("supervision:matter_detail", matter.pk)


@login_required
@require_POST
@idempotent_post
def draft_sign_off(request, matter_id, draft_id):
    """The chair's sign-off of a draft outside the flow (a mass 提示函 has no flow process)."""
    matter = selectors.matter_get_for_user(request.user, matter_id)
    draft = services.pending_draft(matter)
    if draft is None or draft.pk != draft_id or matter.processes.exists() or not permissions.may_sign_off(
            request.user, matter):
        raise Http404
    form = SignOffForm(request.POST, prefix="so")
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("supervision:matter_detail", matter.pk)
    approve = form.cleaned_data["decision"] == SignOffForm.APPROVE
    try:
        services.letter_sign_off(actor=request.user, draft=draft, approve=approve, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        return _back_with_errors(request, matter, exc)
    messages.success(request, _("文书已签发。") if approve else _("文书已退回拟稿人修改。"))
    return redirect("supervision:matter_detail", matter.pk)


@login_required
@idempotent_post
def campaign_new(request):
    """One 提示函 to the employers of a county and industry, e.g. before the Spring Festival."""
    if not permissions.may_register_matter(request.user):
        raise Http404
    staff = request.user.staff
    form = CampaignForm(request.POST or None, county=staff.agency.county)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            draft = services.reminder_campaign_draft(
                actor=request.user, title=d["title"], county=d["county"], industry=d["industry"],
                subject=d["subject"], facts=d["facts"], legal_basis=d["legal_basis"],
                requirements=d["requirements"], request_reply=d["request_reply"],
                employers=list(d["employers"]) or None, co_issuers=list(d["co_issuers"]),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("提示函已拟稿（%(n)d家用人单位），报工会主席或副主席签发。")
                             % {"n": len(draft.payload.get("employers") or [])})
            return redirect("supervision:matter_detail", draft.matter_id)
    return render(request, "supervision/campaign_form.html", {"form": form})


@login_required
@no_store
def letter_detail(request, matter_id, letter_id):
    letter = selectors.letter_get_for_user(request.user, matter_id, letter_id)
    return render(request, "supervision/letter_detail.html", {
        "letter": letter, "matter": letter.matter, "blocks": documents.parse_blocks(letter.rendered_text),
        "recipients": list(letter.recipients.all()),
    })


def _download(letter, content: bytes, ext: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    filename = f"{letter.doc_no}{letter.get_kind_display()}.{ext}"
    ascii_name = f"letter-{letter.pk}.{ext}"
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    response["X-Content-SHA256"] = letter.content_sha256
    return response


@login_required
@no_store
def letter_pdf(request, matter_id, letter_id):
    letter = selectors.letter_get_for_user(request.user, matter_id, letter_id)
    try:
        content = documents.letter_pdf(letter.rendered_text, title=f"{letter.doc_no} {letter.full_title}")
    except ImproperlyConfigured as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    return _download(letter, content, "pdf", "application/pdf")


@login_required
@no_store
def letter_docx(request, matter_id, letter_id):
    letter = selectors.letter_get_for_user(request.user, matter_id, letter_id)
    content = documents.letter_docx(letter.rendered_text, title=f"{letter.doc_no} {letter.full_title}")
    return _download(letter, content, "docx",
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@login_required
def statistics(request):
    if not permissions.may_see_statistics(request.user):
        raise Http404
    try:
        year = year_param(request.GET.get("year"), default=timezone.localdate().year)
    except BadQuery as exc:
        return bad_request(request, exc.message, back_url=reverse("supervision:statistics"))
    county = request.GET.get("county") or ""
    if county not in County.values:
        county = ""
    stats = selectors.supervision_statistics(request.user, year=year, county=county or None)
    kinds = LetterKind.choices
    return render(request, "supervision/statistics.html", {
        "stats": stats, "year": year, "county": county, "counties": County.choices, "kinds": kinds,
        "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
    })
