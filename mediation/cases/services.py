"""Writes on mediation cases: one function per step of DOMAIN §2.3 (T1–T23).

Each runs in one transaction, checks the transition against TRANSITIONS, writes the
audit event in the same transaction and starts or stops the statutory clocks.
Business refusals raise ValidationError with a message for the user.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mediation.clocks import services as clocks
from mediation.clocks.events import Event, referral_event
from mediation.clocks.selectors import case_clocks_by_event
from mediation.lib.numbering import next_number
from mediation.lib.uploads import discard_on_rollback, inspect_upload
from mediation.notifications.services import notify
from parties.models import WORKER_FLAGS, Agency, AgencyKind, AgencyUnit, Employer, Role, Worker
from parties.validators import normalize_code, normalize_phone, validate_mobile

from . import permissions
from .audit import diff, record_event, snapshot
from .models import (
    COURT_CHANNELS,
    ENFORCEMENT_OPEN,
    MAX_AMOUNT,
    Agreement,
    Attachment,
    Case,
    CaseAgent,
    CaseDocument,
    CaseRespondent,
    CaseStatus,
    CaseWorker,
    Channel,
    Claim,
    ClosingCode,
    ConfirmationPath,
    ConfirmationRequest,
    CourtFollowUp,
    CourtProcedure,
    CourtReport,
    CourtResult,
    DebtorResponse,
    DocumentKind,
    EnforcementApplication,
    EnforcementStatus,
    Extension,
    FollowUpVisit,
    Instalment,
    MediationSession,
    Referral,
    ReferralKind,
    ReferralStatus,
    RequestDecision,
    RequestKind,
    claim_item_for,
)
from .protective_steps import arbitration_record, cn_date, inspection_lookback_check

S = CaseStatus

# Collective dispute: ten or more workers with a common claim (调解仲裁法 Art. 7).
COLLECTIVE_THRESHOLD = 10

# Which steps may leave which states (DOMAIN §2.3). One table, read in one screen.
TRANSITIONS: dict[str, tuple[set[str], str | None]] = {
    "submit": ({S.DRAFT}, S.RECEIVED),
    "accept": ({S.RECEIVED}, S.ACCEPTED),
    "not_accept": ({S.RECEIVED}, S.NOT_ACCEPTED),
    "redirect": ({S.RECEIVED}, S.REDIRECTED),
    "assign": ({S.ACCEPTED, S.IN_MEDIATION, S.EXTENDED}, None),
    "session": ({S.ACCEPTED, S.IN_MEDIATION, S.EXTENDED, S.CONFIRMATION_REFUSED}, S.IN_MEDIATION),
    "extend": ({S.IN_MEDIATION, S.EXTENDED}, S.EXTENDED),
    "agree": ({S.IN_MEDIATION, S.EXTENDED, S.CONFIRMATION_REFUSED}, S.AGREEMENT_EFFECTIVE),
    "request_confirmation": ({S.AGREEMENT_EFFECTIVE, S.PERFORMING}, S.CONFIRMATION_PENDING),
    "confirm": ({S.CONFIRMATION_PENDING}, S.CONFIRMED),
    "refuse_confirmation": ({S.CONFIRMATION_PENDING}, S.CONFIRMATION_REFUSED),
    "start_performance": ({S.AGREEMENT_EFFECTIVE, S.CONFIRMED, S.ENFORCEMENT}, S.PERFORMING),
    "record_payment": ({S.AGREEMENT_EFFECTIVE, S.CONFIRMED, S.PERFORMING, S.DEFAULTED, S.ENFORCEMENT}, None),
    "default": ({S.PERFORMING, S.AGREEMENT_EFFECTIVE, S.CONFIRMED}, S.DEFAULTED),
    "payment_order": ({S.DEFAULTED}, S.ENFORCEMENT),
    # The court refuses the payment order: back in default, where the other ways out are open again.
    "payment_order_refused": ({S.ENFORCEMENT}, S.DEFAULTED),
    # T16: a confirmed agreement, or a payment order the debtor let stand, is enforced by the court.
    "enforce": ({S.DEFAULTED, S.ENFORCEMENT}, S.ENFORCEMENT),
    "performed": ({S.AGREEMENT_EFFECTIVE, S.CONFIRMED, S.PERFORMING, S.DEFAULTED, S.ENFORCEMENT}, S.PERFORMED),
    "fail": ({S.ACCEPTED, S.IN_MEDIATION, S.EXTENDED, S.CONFIRMATION_REFUSED}, S.MEDIATION_FAILED),
    # T17/T19, and a payment order the debtor objects to goes to litigation.
    "refer": ({S.MEDIATION_FAILED, S.DEFAULTED, S.ENFORCEMENT}, S.REFERRED_OUT),
    # T21: from every open state up to enforcement (a referred-out case is in the receiving agency's hands).
    "withdraw": (set(permissions.WITHDRAWABLE_STATUSES), S.WITHDRAWN),
    # T22; an enforcement the court ended without full performance is closed from ENFORCEMENT.
    "close": ({S.PERFORMED, S.REFERRED_OUT, S.NOT_ACCEPTED, S.REDIRECTED, S.WITHDRAWN, S.ENFORCEMENT}, S.CLOSED),
    "archive": ({S.CLOSED}, S.ARCHIVED),
}

ACTION_LABELS = {
    "submit": gettext_lazy("提交申请"), "accept": gettext_lazy("受理"), "not_accept": gettext_lazy("不予受理"), "redirect": gettext_lazy("分流转办"),
    "assign": gettext_lazy("指派调解员"), "session": gettext_lazy("记录调解"), "extend": gettext_lazy("延期调解"), "agree": gettext_lazy("签订调解协议"),
    "request_confirmation": gettext_lazy("申请确认"), "confirm": gettext_lazy("确认调解协议"), "refuse_confirmation": gettext_lazy("驳回确认申请"),
    "start_performance": gettext_lazy("进入履行"), "record_payment": gettext_lazy("记录履行"), "default": gettext_lazy("登记逾期未履行"),
    "payment_order": gettext_lazy("申请支付令"), "payment_order_refused": gettext_lazy("登记支付令申请被驳回"), "enforce": gettext_lazy("申请强制执行"), "performed": gettext_lazy("确认履行完毕"), "fail": gettext_lazy("终止调解"), "refer": gettext_lazy("转出移送"),
    "withdraw": gettext_lazy("撤回"), "close": gettext_lazy("结案"), "archive": gettext_lazy("归档"),
}

# The closing codes that fit each state a case is closed from (§2.5).
CLOSING_CODES_BY_STATE = {
    S.PERFORMED: {ClosingCode.SUCCESS_PAID_ON_SPOT, ClosingCode.SUCCESS_INSTALMENTS_DONE,
                  ClosingCode.SUCCESS_JUDICIAL_CONFIRMED, ClosingCode.SUCCESS_ARB_REVIEWED,
                  ClosingCode.SUCCESS_PAYMENT_ORDER, ClosingCode.SUPERVISION_RECTIFIED},
    S.REFERRED_OUT: {ClosingCode.FAILED_TO_ARBITRATION, ClosingCode.FAILED_TO_LITIGATION_LEGAL_AID,
                     ClosingCode.FAILED_TO_LITIGATION_PROCURATORATE, ClosingCode.REFERRED_INSPECTION,
                     # the debtor objected to the payment order: the matter went on to litigation
                     ClosingCode.SUCCESS_PAYMENT_ORDER},
    S.ENFORCEMENT: {ClosingCode.SUCCESS_JUDICIAL_CONFIRMED, ClosingCode.SUCCESS_ARB_REVIEWED,
                    ClosingCode.SUCCESS_PAYMENT_ORDER},
    S.NOT_ACCEPTED: {ClosingCode.NOT_ACCEPTED},
    S.REDIRECTED: {ClosingCode.REDIRECTED},
    S.WITHDRAWN: {ClosingCode.WITHDRAWN},
}

# Which unit of which agency receives each referral (T19).
REFERRAL_TARGETS = {
    ReferralKind.ARBITRATION: (AgencyKind.HRSS, AgencyUnit.ARBITRATION),
    ReferralKind.INSPECTION: (AgencyKind.HRSS, AgencyUnit.INSPECTION),
    ReferralKind.LEGAL_AID: (AgencyKind.JUSTICE, AgencyUnit.LEGAL_AID),
    ReferralKind.SUPPORT_PROSECUTION: (AgencyKind.PROCURATORATE, AgencyUnit.MAIN),
    ReferralKind.LITIGATION: (AgencyKind.COURT, AgencyUnit.MAIN),
}


# ---------------------------------------------------------------- helpers

def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _check(case: Case, step: str) -> str | None:
    allowed, target = TRANSITIONS[step]
    if case.status == S.ARCHIVED:
        raise ValidationError(_("案件已归档，只能查阅，不能再修改。"), code="archived")
    if case.status not in allowed:
        raise ValidationError(
            _("案件当前状态为“%(status)s”，不能%(action)s。")
            % {"status": case.get_status_display(), "action": ACTION_LABELS[step]},
            code="illegal_transition",
        )
    return target


def _move(case: Case, step: str, *, actor, summary: str = "", changes: dict | None = None,
          visible_to_partners: bool = False) -> Case:
    """Validate and apply the transition `step`, and record it."""
    target = _check(case, step)
    before = case.status
    all_changes = dict(changes or {})
    if target and target != before:
        case.status = target
        all_changes["status"] = [before, target]
    case.save()
    record_event(case, actor=actor, action=f"case.{step}", summary=summary or ACTION_LABELS[step],
                 changes=all_changes, visible_to_partners=visible_to_partners)
    return case


def _not_future(day: datetime.date | datetime.datetime | None, label: str) -> None:
    if day is None:
        raise ValidationError(_("请填写%(label)s。") % {"label": label}, code="required")
    today = timezone.localdate()
    value = timezone.localtime(day).date() if isinstance(day, datetime.datetime) and timezone.is_aware(day) else day
    if isinstance(value, datetime.datetime):
        value = value.date()
    if value > today:
        raise ValidationError(_("%(label)s不能晚于今天。") % {"label": label}, code="future_date")


def _amount(value, label: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except Exception:
        raise ValidationError(_("%(label)s不是有效的金额。") % {"label": label}, code="amount") from None
    if amount < 0:
        raise ValidationError(_("%(label)s不能为负数。") % {"label": label}, code="negative")
    if amount > MAX_AMOUNT:
        raise ValidationError(_("%(label)s超过一亿元，请核对是否输入有误。") % {"label": label}, code="absurd")
    return amount


def _require_text(value: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(_("请填写%(label)s。") % {"label": label}, code="required")
    return value


def _full_clean(obj, exclude=None):
    obj.full_clean(exclude=exclude)
    return obj


def agency_for(case: Case, kind: str, unit: str = AgencyUnit.MAIN) -> Agency:
    """The partner agency of `kind`/`unit` in the case's county, else at city level."""
    qs = Agency.objects.filter(kind=kind, unit=unit)
    return qs.filter(county=case.county).first() or qs.filter(level="CITY").first()


# ---------------------------------------------------------------- T1/T2: registration

@transaction.atomic
def case_register(
    *,
    actor,
    agency: Agency,
    channel: str,
    title: str,
    facts: str,
    county: str,
    received_on: datetime.date,
    workers: list[dict],
    respondents: list[dict],
    claims: list[dict],
    town: str = "",
    industry: str = "OTHER",
    employment_form: str = "STANDARD",
    source_agency: Agency | None = None,
    source_ref: str = "",
    hotline_ticket: str = "",
    court_prefiling_no: str = "",
    court_due_date: datetime.date | None = None,
    court_procedure: str = "",
    is_restricted: bool = False,
    joint_peoples_mediation: bool = False,
    submit: bool = True,
) -> Case:
    """Register a case (T1) and, when the application is complete, fix its receipt (T2).

    workers: dicts with name, id_number, phone, flags…, amount_claimed, is_representative.
    respondents: dicts with either employer (Employer) or employer fields, or person_name; role.
    claims: dicts with dispute_type, subtype, amount_claimed, worker_index (optional), basis, and for the
    limitation period (D12) knew_on, employment_continuing, employment_ended_on (all optional).
    """
    if not agency.is_union or not agency.case_prefix:
        raise ValidationError(_("只有设置了案号前缀的工会调解组织可以登记案件。"), code="agency")
    if channel not in Channel.values:
        raise ValidationError(_("来源渠道无效。"), code="channel")
    title = _require_text(title, _("案由摘要"))
    facts = _require_text(facts, _("事实与理由"))
    _not_future(received_on, _("收件日期"))
    if channel in (Channel.COURT_DELEGATED, Channel.COURT_ENTRUSTED, Channel.ARB_REFERRED) and not source_ref:
        raise ValidationError(_("法院委派或仲裁转交的案件必须填写来源文号。"), code="source_ref")
    _court_terms_check(channel, received_on, court_due_date, court_procedure)
    if not workers:
        raise ValidationError(_("至少需要一名申请人（劳动者）。"), code="workers")
    if not respondents:
        raise ValidationError(_("至少需要一名被申请人。"), code="respondents")
    if not claims:
        raise ValidationError(_("至少需要一项请求事项。"), code="claims")

    year = received_on.year
    number = next_number(f"case:{agency.pk}", year)
    case = Case(
        case_no=f"{agency.case_prefix}〔{year}〕第{number:04d}号",
        year=year, agency=agency, county=county, town=town, channel=channel, title=title, facts=facts,
        industry=industry, employment_form=employment_form, source_agency=source_agency,
        source_ref=source_ref, hotline_ticket=hotline_ticket, court_prefiling_no=court_prefiling_no,
        court_due_date=court_due_date, court_procedure=court_procedure, is_restricted=is_restricted,
        joint_peoples_mediation=bool(joint_peoples_mediation),
        status=S.RECEIVED if submit else S.DRAFT, received_on=received_on if submit else None,
        created_by=actor, workers_count=len(workers), is_collective=len(workers) >= COLLECTIVE_THRESHOLD,
    )
    _full_clean(case, exclude=["created_by"])
    case.save()

    case_workers = []
    seen_ids = set()
    for i, data in enumerate(workers, start=1):
        cw = _case_worker(case, data, i, seen_ids)
        case_workers.append(cw)
    if case.is_collective and not any(cw.is_representative for cw in case_workers):
        raise ValidationError(_("十人以上的集体争议应推举代表参加调解（调解仲裁法第七条）。"), code="representatives")
    _worker_tallies_update(case)

    for i, data in enumerate(respondents, start=1):
        employer = data.get("employer")
        if employer is None and data.get("credit_code"):
            code = normalize_code(data["credit_code"])
            employer = Employer.objects.filter(credit_code=code).first()
            if employer is None:
                fields = {k: v for k, v in data.items() if k not in ("role", "person_name", "person_phone")}
                employer = Employer(**{**fields, "credit_code": code,
                                       "contact_phone": normalize_phone(fields.get("contact_phone", ""))})
                try:
                    _full_clean(employer)
                except ValidationError as exc:
                    raise ValidationError(_("第%(n)d个被申请人：%(err)s") % {"n": i, "err": "；".join(exc.messages)}) from None
                employer.save()
        if employer is None and not data.get("person_name"):
            raise ValidationError(_("第%(n)d个被申请人缺少单位或自然人姓名。") % {"n": i}, code="respondent")
        CaseRespondent.objects.create(
            case=case, employer=employer, person_name=data.get("person_name", ""),
            person_phone=normalize_phone(data.get("person_phone", "")), role=data.get("role", "EMPLOYER"),
        )

    for i, data in enumerate(claims, start=1):
        idx = data.get("worker_index")
        claim = Claim(
            case=case, dispute_type=data.get("dispute_type", ""), subtype=(data.get("subtype") or "").strip(),
            # The item decides payment-order eligibility (Art. 16); typed at intake or read from the sub-type.
            item=data.get("item") or claim_item_for(data.get("dispute_type", ""), data.get("subtype") or ""),
            case_worker=case_workers[idx] if idx is not None else None,
            period_from=data.get("period_from"), period_to=data.get("period_to"),
            amount_claimed=_amount(data.get("amount_claimed") or 0, _("第%(n)d项请求金额") % {"n": i}),
            basis=data.get("basis", ""),
            knew_on=data.get("knew_on"), employment_continuing=bool(data.get("employment_continuing")),
            employment_ended_on=data.get("employment_ended_on"),
        )
        try:
            _claim_dates_check(claim)
            _full_clean(claim)
        except ValidationError as exc:
            raise ValidationError(_("第%(n)d项请求：%(err)s") % {"n": i, "err": "；".join(exc.messages)}) from None
        claim.save()

    record_event(case, actor=actor, action="case.registered",
                 summary=_("登记案件 %(no)s（%(channel)s）") % {"no": case.case_no, "channel": case.get_channel_display()},
                 changes={"status": [None, case.status]}, visible_to_partners=source_agency is not None)
    day = case.received_on or timezone.localdate()
    children = [cw for cw in case_workers if cw.possible_child_labour(day)]
    if children:
        record_event(case, actor=actor, action="case.child_labour_flagged",
                     summary=_("疑似使用童工：%(names)s 收件时未满16周岁，可移送劳动保障监察")
                     % {"names": "、".join(cw.name for cw in children)})
    if submit:
        _start_receipt_clocks(case, actor)
    return case


def _court_terms_check(channel: str, received_on: datetime.date, due: datetime.date | None, procedure: str) -> None:
    """What a delegation / entrustment may carry: the court's own due date (after the delegation
    day) and, for an entrusted case, the court's procedure (it sets D11: 15 or 7 days)."""
    if due is not None:
        if channel not in COURT_CHANNELS:
            raise ValidationError(_("只有法院委派或委托的案件可以填写法院确定的调解期限。"), code="court_due_date")
        if received_on and due <= received_on:
            raise ValidationError(_("法院确定的调解期限应晚于委派（委托）日期。"), code="court_due_date")
    if channel == Channel.COURT_ENTRUSTED and not procedure and due is None:
        # 15 days under the ordinary procedure, 7 under the summary one (D11/D11s): never guess.
        raise ValidationError(_("法院立案后委托调解的案件，请选择法院的审理程序（普通程序或简易程序）或填写法院确定的调解期限。"),
                              code="court_procedure")
    if procedure:
        if procedure not in CourtProcedure.values:
            raise ValidationError(_("法院审理程序无效。"), code="court_procedure")
        if channel != Channel.COURT_ENTRUSTED:
            raise ValidationError(_("只有法院立案后委托调解的案件需要填写审理程序（普通程序或简易程序）。"),
                                  code="court_procedure")


def _claim_dates_check(claim: Claim) -> None:
    """The dates the limitation period (D12) runs from lie in the past."""
    today = timezone.localdate()
    if claim.knew_on and claim.knew_on > today:
        raise ValidationError(_("知道或者应当知道权利被侵害之日不能晚于今天。"), code="knew_on")
    if claim.employment_ended_on and claim.employment_ended_on > today:
        raise ValidationError(_("劳动关系终止日期不能晚于今天。"), code="employment_ended_on")


def _worker_tallies_update(case: Case) -> None:
    """Recount the case's stored tallies of 农民工 / 新就业形态 workers from its own CaseWorker
    rows (what the cockpit sums; mediation/statistics). Called wherever those rows change."""
    tallies = CaseWorker.objects.filter(case=case).aggregate(
        migrant=Count("id", filter=Q(is_migrant=True)),
        nef=Count("id", filter=Q(is_new_employment_form=True)),
    )
    case.workers_migrant, case.workers_nef = tallies["migrant"], tallies["nef"]
    Case.objects.filter(pk=case.pk).update(workers_migrant=case.workers_migrant, workers_nef=case.workers_nef)


def _case_worker(case: Case, data: dict, i: int, seen_ids: set) -> CaseWorker:
    """The i-th worker of a new case: what this case says about the person, kept on the case.

    The person record (Worker) is matched by ID number only as an identity; its name, phone and
    flags are never overwritten from here, and nothing from another case is copied into this
    one (issue 9 item 1) — a registration of a known ID number shows the registering user only
    what they typed themselves.
    """
    id_number = normalize_code(data.get("id_number"))
    if id_number in seen_ids:
        raise ValidationError(_("第%(n)d名劳动者的身份证号码与前面重复。") % {"n": i}, code="duplicate_worker")
    seen_ids.add(id_number)
    said = {
        "name": (data.get("name") or "").strip(),
        "phone": normalize_phone(data.get("phone")),
        **{flag: bool(data.get(flag, False)) for flag in WORKER_FLAGS},
    }
    extra = {k: v for k, v in data.items()
             if k in ("household_type", "origin", "job_title", "monthly_wage", "gender", "birth_date")}
    candidate = Worker(id_number=id_number, **said, **extra)
    try:
        _full_clean(candidate)
    except ValidationError as exc:
        raise ValidationError(_("第%(n)d名劳动者：%(err)s") % {"n": i, "err": "；".join(exc.messages)}) from None
    worker = Worker.objects.filter(id_number=id_number).order_by("pk").first()
    if worker is None:
        candidate.save()
        worker = candidate
    cw = CaseWorker(
        case=case, worker=worker, is_representative=bool(data.get("is_representative")),
        authorization=data.get("authorization", ""),
        amount_claimed=_amount(data.get("amount_claimed") or 0, _("第%(n)d名劳动者的请求金额") % {"n": i}),
        **said,
    )
    cw.save()
    return cw


@transaction.atomic
def case_worker_correct(*, case_worker: CaseWorker, actor, name: str, phone: str, **flags) -> CaseWorker:
    """Correct what one case says about a person (name, phone, flags). Only this case changes;
    the change is recorded with its before and after values."""
    case = _lock(case_worker.case)
    if case.status == S.ARCHIVED:
        raise ValidationError(_("案件已归档，只能查阅，不能再修改。"), code="archived")
    cw = CaseWorker.objects.select_for_update().get(pk=case_worker.pk, case=case)
    fields = ["name", "phone", *WORKER_FLAGS]
    before = snapshot(cw, fields)
    cw.name = _require_text(name, _("姓名"))[:40]
    cw.phone = normalize_phone(phone)
    validate_mobile(cw.phone)
    for flag in WORKER_FLAGS:
        if flag in flags:
            setattr(cw, flag, bool(flags[flag]))
    changes = diff(before, snapshot(cw, fields))
    if changes:
        cw.save(update_fields=list(changes))
        _worker_tallies_update(case)
        record_event(case, actor=actor, action="case.party_corrected",
                     summary=_("更正当事人信息：%(name)s") % {"name": cw.name}, changes=changes)
    return cw


def _emit(event: str, *, case: Case, on: datetime.date, actor, subject=None, **kwargs) -> None:
    """The step happened: the clock service starts and stops what the rule table says."""
    clocks.event_emit(event, subject=subject or case, case=case, on=on, actor=actor, county=case.county, **kwargs)


def _start_receipt_clocks(case: Case, actor) -> None:
    _emit(Event.CASE_RECEIVED, case=case, on=case.received_on, actor=actor)
    if case.channel not in COURT_CHANNELS:
        return
    # The court owns the clock (DOMAIN §3.4): its own due date, when the letter gives one, is the due date.
    fixed = {"due_on": case.court_due_date, "due_set_by": _court_letter(case)} if case.court_due_date else {}
    if case.channel == Channel.COURT_DELEGATED:
        _emit(Event.COURT_DELEGATED, case=case, on=case.received_on, actor=actor, **fixed)
    elif case.court_procedure == CourtProcedure.SUMMARY:
        _emit(Event.COURT_ENTRUSTED_SUMMARY, case=case, on=case.received_on, actor=actor, **fixed)
    else:
        _emit(Event.COURT_ENTRUSTED, case=case, on=case.received_on, actor=actor, **fixed)


def _court_letter(case: Case) -> str:
    court = case.source_agency.name if case.source_agency_id else _("委派法院")
    return f"{court}{case.source_ref}"[:200]


@transaction.atomic
def case_submit(*, case: Case, actor, received_on: datetime.date) -> Case:
    """T2: the application is complete; the receipt date starts D1 and D2."""
    case = _lock(case)
    _not_future(received_on, _("收件日期"))
    case.received_on = received_on
    _move(case, "submit", actor=actor, changes={"received_on": [None, received_on]})
    _start_receipt_clocks(case, actor)
    return case


# ---------------------------------------------------------------- T3–T5: acceptance review

@transaction.atomic
def case_accept(*, case: Case, actor, accepted_on: datetime.date, respondent_consents: bool) -> Case:
    """T3. Mediation is voluntary: the respondent must agree to mediate."""
    case = _lock(case)
    _check(case, "accept")
    if not respondent_consents:
        raise ValidationError(_("被申请人不同意调解的，不能受理，请选择“不予受理”并说明理由。"), code="consent")
    _not_future(accepted_on, _("受理日期"))
    if case.received_on and accepted_on < case.received_on:
        raise ValidationError(_("受理日期不能早于收件日期。"), code="date_order")
    case.accepted_on = accepted_on
    _move(case, "accept", actor=actor, changes={"accepted_on": [None, accepted_on]}, visible_to_partners=True)
    _emit(Event.COURT_CASE_ACCEPTED if case.channel in COURT_CHANNELS else Event.CASE_ACCEPTED,
          case=case, on=accepted_on, actor=actor)
    if case.joint_peoples_mediation:
        _emit(Event.JOINT_MEDIATION_ACCEPTED, case=case, on=accepted_on, actor=actor)
    return case


@transaction.atomic
def case_not_accept(*, case: Case, actor, reason: str, on: datetime.date) -> Case:
    """T4: written reasons; the applicant is told of arbitration and the 1-year limitation (D12)."""
    case = _lock(case)
    _check(case, "not_accept")
    case.decision_reason = _require_text(reason, _("不予受理理由"))
    _not_future(on, _("决定日期"))
    _move(case, "not_accept", actor=actor, summary=_("不予受理：%(r)s") % {"r": case.decision_reason},
          changes={"decision_reason": ["", case.decision_reason]}, visible_to_partners=True)
    _emit(Event.CASE_NOT_ACCEPTED, case=case, on=on, actor=actor)
    return case


@transaction.atomic
def case_redirect(*, case: Case, actor, to: str, reason: str, on: datetime.date) -> Case:
    """T5: sent to a more suitable body."""
    case = _lock(case)
    _check(case, "redirect")
    case.redirected_to = _require_text(to, _("转办去向"))
    case.decision_reason = _require_text(reason, _("转办理由"))
    _not_future(on, _("决定日期"))
    _move(case, "redirect", actor=actor, summary=_("转办至%(to)s") % {"to": case.redirected_to},
          changes={"redirected_to": ["", case.redirected_to]}, visible_to_partners=True)
    _emit(Event.CASE_REDIRECTED, case=case, on=on, actor=actor)
    return case


@transaction.atomic
def case_assign_mediator(*, case: Case, actor, mediator, assistants: Iterable = ()) -> Case:
    case = _lock(case)
    _check(case, "assign")
    staff = getattr(mediator, "staff", None)
    if not permissions.may_lead_mediation(mediator, case):
        raise ValidationError(_("只能指派本调解组织的调解员。"), code="mediator")
    before = case.lead_mediator
    case.lead_mediator = mediator
    _move(case, "assign", actor=actor, summary=_("指派调解员 %(name)s") % {"name": staff.full_name},
          changes={"lead_mediator": [str(before) if before else None, str(mediator)]})
    assistants = [a for a in assistants if a.pk != mediator.pk]
    for a in assistants:
        if not permissions.may_assist_mediation(a, case):
            raise ValidationError(_("协办调解员必须是本调解组织的工作人员。"), code="assistant")
    case.assistant_mediators.set(assistants)
    return case


# ---------------------------------------------------------------- T6–T7: sessions, extension

@transaction.atomic
def session_record(*, case: Case, actor, held_at: datetime.datetime, form: str, place: str,
                   participants: str, points_in_dispute: str, proposals: str = "", result: str = "",
                   attachments: Iterable = ()) -> MediationSession:
    case = _lock(case)
    _check(case, "session")
    _not_future(held_at, _("调解时间"))
    if case.accepted_on and timezone.localtime(held_at).date() < case.accepted_on:
        raise ValidationError(_("调解时间不能早于受理日期。"), code="date_order")
    if case.sessions.filter(held_at=held_at).exists():
        # Two tabs or a resubmission: one session at one time is recorded once.
        raise ValidationError(_("该时间的调解记录已经保存，请勿重复提交。"), code="duplicate_session")
    session = MediationSession(
        case=case, held_at=held_at, form=form, place=place.strip(),
        participants=_require_text(participants, _("参加人员")),
        points_in_dispute=_require_text(points_in_dispute, _("争议焦点")),
        proposals=proposals, result=result, recorded_by=actor,
    )
    _full_clean(session, exclude=["recorded_by"])
    session.save()
    for upload in attachments:
        _attachment_create(case=case, actor=actor, upload=upload, title=upload.name, session=session)
    n = case.sessions.count()
    _move(case, "session", actor=actor,
          summary=_("第%(n)d次调解（%(form)s）") % {"n": n, "form": session.get_form_display()})
    return session


@transaction.atomic
def case_extend(*, case: Case, actor, days: int, applicant_consent: str, respondent_consent: str,
                consented_on: datetime.date) -> Extension:
    """T7 / D3a: both parties' consent recorded; the total extension is capped."""
    case = _lock(case)
    _check(case, "extend")
    if not permissions.may_approve(actor):
        raise ValidationError(_("延期须经调解委员会主任批准。"), code="approver")
    applicant_consent = _require_text(applicant_consent, _("申请人同意延期的方式"))
    respondent_consent = _require_text(respondent_consent, _("被申请人同意延期的方式"))
    _not_future(consented_on, _("同意日期"))
    if days is None or days <= 0:
        raise ValidationError(_("延长天数必须为正数。"), code="days")
    used = sum(e.days for e in case.extensions.all())
    # The cap is set on the rule (D3a, configurable per locality); the clock enforces it.
    _emit(Event.MEDIATION_EXTENDED, case=case, on=consented_on, actor=actor,
          extension={"days": days, "applicant_consent": applicant_consent, "respondent_consent": respondent_consent})
    ext = Extension.objects.create(case=case, days=days, applicant_consent=applicant_consent,
                                   respondent_consent=respondent_consent, consented_on=consented_on,
                                   approved_by=actor)
    _move(case, "extend", actor=actor, summary=_("延期调解%(d)d日（双方同意）") % {"d": days},
          changes={"extension_days": [used, used + days]}, visible_to_partners=True)
    return ext


# ---------------------------------------------------------------- pauses (e.g. 等待工伤认定, D34)

PAUSABLE_STATES = {S.ACCEPTED, S.IN_MEDIATION, S.EXTENDED}


@transaction.atomic
def case_pause(*, case: Case, actor, reason: str, on: datetime.date) -> Case:
    """Mediation waits (等待工伤认定 / 劳动能力鉴定…): the clocks whose rules pause on it stand still."""
    case = _lock(case)
    if case.status not in PAUSABLE_STATES:
        raise ValidationError(_("案件当前状态为“%(status)s”，不能暂停计时。") % {"status": case.get_status_display()},
                              code="illegal_transition")
    reason = _require_text(reason, _("暂停原因"))
    _not_future(on, _("暂停日期"))
    if case.accepted_on and on < case.accepted_on:
        raise ValidationError(_("暂停日期不能早于受理日期。"), code="date_order")
    record_event(case, actor=actor, action="case.paused", summary=_("暂停计时：%(r)s") % {"r": reason},
                 visible_to_partners=True)
    _emit(Event.MEDIATION_PAUSED, case=case, on=on, actor=actor, reason=reason)
    return case


@transaction.atomic
def case_resume(*, case: Case, actor, on: datetime.date) -> Case:
    """The wait is over: the paused clocks run again, their due dates moved by the pause."""
    case = _lock(case)
    if case.status == S.ARCHIVED:
        raise ValidationError(_("案件已归档，只能查阅，不能再修改。"), code="archived")
    _not_future(on, _("恢复日期"))
    record_event(case, actor=actor, action="case.resumed", summary=_("恢复计时"), visible_to_partners=True)
    _emit(Event.MEDIATION_RESUMED, case=case, on=on, actor=actor)
    return case


# ---------------------------------------------------------------- T8–T17: agreement and after

@transaction.atomic
def agreement_sign(*, case: Case, actor, terms: str, amount_total, signed_on: datetime.date,
                   applicant_signed: bool, respondent_signed: bool, mediator_signed: bool, sealed: bool,
                   paid_on_spot: bool = False, instalments: Iterable[tuple[datetime.date, Decimal]] = (),
                   confirmation_path: str = ConfirmationPath.NONE, default_clause: str = "") -> Agreement:
    """T8: effective once both parties and the mediator sign and the organisation seals (Art. 14)."""
    case = _lock(case)
    _check(case, "agree")
    if not case.sessions.exists():
        raise ValidationError(_("尚无调解记录，不能签订调解协议。"), code="no_session")
    if not (applicant_signed and respondent_signed and mediator_signed and sealed):
        raise ValidationError(_("调解协议须双方当事人签名或盖章、调解员签名并加盖调解组织印章后方生效。"), code="signatures")
    terms = _require_text(terms, _("协议内容"))
    amount_total = _amount(amount_total, _("协议金额"))
    _not_future(signed_on, _("签订日期"))
    instalments = [(due, _amount(amt, _("分期金额"))) for due, amt in instalments]
    if not paid_on_spot:
        if not instalments:
            raise ValidationError(_("非当场履行的协议须填写履行期限和金额。"), code="schedule")
        if sum(a for _d, a in instalments) != amount_total:
            raise ValidationError(_("分期金额合计应等于协议金额。"), code="schedule_sum")
        if any(due < signed_on for due, _a in instalments):
            raise ValidationError(_("履行期限不能早于协议签订日期。"), code="schedule_date")
    if hasattr(case, "agreement"):
        old = case.agreement
        record_event(case, actor=actor, action="agreement.replaced",
                     summary=_("原协议（%(d)s）被新协议替代") % {"d": old.signed_on},
                     changes={"agreement": [old.terms[:200], terms[:200]]})
        old.delete()
    agreement = Agreement.objects.create(
        case=case, terms=terms, amount_total=amount_total, signed_on=signed_on,
        applicant_signed=True, respondent_signed=True, mediator_signed=True, sealed=True,
        paid_on_spot=paid_on_spot, confirmation_path=confirmation_path, default_clause=default_clause,
    )
    Instalment.objects.bulk_create([Instalment(agreement=agreement, due_on=d, amount=a) for d, a in instalments])
    case.agreement_effective_on = signed_on
    _move(case, "agree", actor=actor, summary=_("签订调解协议，金额%(a)s元") % {"a": amount_total},
          changes={"agreement_effective_on": [None, signed_on]}, visible_to_partners=True)
    # Both confirmation windows open when the agreement takes effect, whatever path was chosen
    # at signing (DOMAIN §3.4): D20 and D21 start on agreement.effective.
    _emit(Event.AGREEMENT_EFFECTIVE, case=case, on=signed_on, actor=actor)
    if paid_on_spot:
        _move(case, "performed", actor=actor, summary=_("当场履行完毕"))
        _emit(Event.AGREEMENT_PERFORMED, case=case, on=signed_on, actor=actor)
    return agreement


def _confirmed_requests(case: Case) -> list[ConfirmationRequest]:
    return [r for r in case.confirmation_requests.all()
            if r.kind != RequestKind.PAYMENT_ORDER and r.decision == RequestDecision.CONFIRMED]


def enforceable_title(case: Case) -> ConfirmationRequest | None:
    """What the court can enforce (T16): a confirmation ruling or arbitration mediation statement, or a
    payment order the debtor neither paid nor objected to within its period (D26). None otherwise."""
    confirmed = _confirmed_requests(case)
    if confirmed:
        return confirmed[-1]
    lapsed = [r for r in case.confirmation_requests.all()
              if r.kind == RequestKind.PAYMENT_ORDER and r.debtor_response == DebtorResponse.LAPSED]
    return lapsed[-1] if lapsed else None


def performance_paths(case: Case) -> set[str]:
    """The ways out of the follow-up (§2.4, T15–T17, DOMAIN §3.4), values of outcomes.PerformanceOutcome:
    performed; enforcement with an enforceable title (T16); otherwise a payment order when the
    agreement covers an eligible item (Art. 16) and referral (arbitration, Art. 15 — never for a
    confirmed agreement, whose way is enforcement)."""
    paths = {"performed", "refer"}
    if enforceable_title(case) is not None:
        paths.add("enforcement")
    elif not _confirmed_requests(case) and any(c.payment_order_eligible for c in case.claims.all()):
        paths.add("payment_order")
    return paths


def referral_kinds_allowed(case: Case) -> list[str]:
    """A confirmed agreement (or a payment order the debtor let stand) is enforced, not taken to
    arbitration (DOMAIN §3.4); litigation after a payment-order objection is routed by the court's
    step, not chosen here."""
    kinds = [k for k in ReferralKind.values if k != ReferralKind.LITIGATION]
    if enforceable_title(case) is not None:
        kinds.remove(ReferralKind.ARBITRATION)
    return kinds


def _window_check(case: Case, *, filed_event: str, kind_label: str, filed_on: datetime.date) -> None:
    """D20 / D21: an application after its window is refused, citing the rule's legal basis."""
    windows = case_clocks_by_event(case, started_by=Event.AGREEMENT_EFFECTIVE, stopped_by=filed_event, active=False)
    if not windows:
        return
    window = max(windows, key=lambda c: (c.started_on, c.pk))
    if filed_on > window.due_on:
        raise ValidationError(
            _("申请%(kind)s的期限已过。%(basis)s本案调解协议于%(effective)s生效，申请期限已于%(due)s届满，"
              "不能再申请%(kind)s。双方可以不申请确认、直接进入履行；逾期不履行的，可以依法申请支付令"
              "（符合条件时）或者申请劳动仲裁。")
            % {"kind": kind_label, "basis": window.rule.legal_basis, "effective": f"{window.started_on:%Y-%m-%d}",
               "due": f"{window.due_on:%Y-%m-%d}"},
            code="window_closed",
        )


def _payment_order_check(case: Case) -> None:
    """调解仲裁法 Art. 16 by claim item (DOMAIN §3.4), not by dispute type."""
    claims = list(case.claims.all())
    if not any(c.payment_order_eligible for c in claims):
        items = "、".join(dict.fromkeys(str(c.get_item_display()) for c in claims))
        raise ValidationError(
            _("支付令仅适用于因拖欠劳动报酬（含加班费）、工伤医疗费、经济补偿或者赔偿金达成的调解协议（《劳动争议"
              "调解仲裁法》第十六条）。本案调解协议的请求项目“%(items)s”不在此列，不能申请支付令；"
              "逾期不履行的，可以申请劳动仲裁（第十五条）。") % {"items": items},
            code="payment_order_ineligible",
        )
    if _confirmed_requests(case):
        raise ValidationError(_("调解协议已经确认，可以直接向人民法院申请强制执行，无需申请支付令。"),
                              code="payment_order_confirmed")


@transaction.atomic
def confirmation_request_file(*, case: Case, actor, kind: str, filed_on: datetime.date,
                              target_agency: Agency | None = None) -> ConfirmationRequest:
    """T11 (judicial confirmation / arbitral review) and T15 (payment order)."""
    case = _lock(case)
    if kind == RequestKind.PAYMENT_ORDER:
        _check(case, "payment_order")
        _payment_order_check(case)
        step, event = "payment_order", Event.PAYMENT_ORDER_FILED
        target_agency = target_agency or agency_for(case, AgencyKind.COURT)
    else:
        _check(case, "request_confirmation")
        if not hasattr(case, "agreement"):
            raise ValidationError(_("没有生效的调解协议，不能申请确认。"), code="no_agreement")
        step = "request_confirmation"
        if kind == RequestKind.JUDICIAL_CONFIRMATION:
            event = Event.JUDICIAL_CONFIRMATION_FILED
            # A court-delegated case goes back to the delegating court (S17 Art. 2).
            target_agency = target_agency or (
                case.source_agency if case.channel == Channel.COURT_DELEGATED and case.source_agency
                else agency_for(case, AgencyKind.COURT)
            )
        else:
            event = Event.ARBITRAL_REVIEW_FILED
            target_agency = target_agency or agency_for(case, AgencyKind.HRSS, AgencyUnit.ARBITRATION)
        _window_check(case, filed_event=event, kind_label=RequestKind(kind).label, filed_on=filed_on)
    _not_future(filed_on, _("申请日期"))
    request = ConfirmationRequest.objects.create(case=case, kind=kind, target_agency=target_agency, filed_on=filed_on)
    _move(case, step, actor=actor,
          summary=_("向%(a)s申请%(k)s") % {"a": target_agency.name, "k": request.get_kind_display()},
          visible_to_partners=True)
    _emit(event, case=case, subject=request, on=filed_on, actor=actor, agency=target_agency)
    return request


ACCEPTED_EVENTS = {RequestKind.JUDICIAL_CONFIRMATION: Event.JUDICIAL_CONFIRMATION_ACCEPTED,
                   RequestKind.PAYMENT_ORDER: Event.PAYMENT_ORDER_ACCEPTED}


def _lock_request(request: ConfirmationRequest) -> tuple[Case, ConfirmationRequest]:
    case = _lock(request.case)
    request = ConfirmationRequest.objects.select_for_update().get(pk=request.pk)
    if case.status == S.ARCHIVED:
        raise ValidationError(_("案件已归档，只能查阅，不能再修改。"), code="archived")
    return case, request


def _accept(case: Case, request: ConfirmationRequest, *, actor, accepted_on: datetime.date) -> None:
    if request.accepted_on:
        raise ValidationError(_("该申请已于%(d)s受理。") % {"d": f"{request.accepted_on:%Y-%m-%d}"}, code="accepted")
    _not_future(accepted_on, _("受理日期"))
    if accepted_on < request.filed_on:
        raise ValidationError(_("受理日期不能早于申请日期。"), code="date_order")
    request.accepted_on = accepted_on
    request.save(update_fields=["accepted_on"])
    record_event(case, actor=actor, action="case.request_accepted",
                 summary=_("%(a)s受理%(k)s申请") % {"a": request.target_agency.name, "k": request.get_kind_display()},
                 changes={"accepted_on": [None, accepted_on]}, visible_to_partners=True)
    if request.kind in ACCEPTED_EVENTS:
        # Judicial confirmation: D22 met, the decision period D22a starts; payment order: D24 met, D25 starts.
        _emit(ACCEPTED_EVENTS[request.kind], case=case, subject=request, on=accepted_on, actor=actor,
              agency=request.target_agency)


@transaction.atomic
def confirmation_request_accept(*, request: ConfirmationRequest, actor, accepted_on: datetime.date) -> ConfirmationRequest:
    """The court (or the arbitration commission) accepts the application: the acceptance stage ends and
    the decision period runs from here (法释〔2011〕5号 Arts. 4–5; 民事诉讼法 督促程序)."""
    case, request = _lock_request(request)
    if request.decision:
        raise ValidationError(_("该申请已有处理结果。"), code="decided")
    _accept(case, request, actor=actor, accepted_on=accepted_on)
    return request


@transaction.atomic
def confirmation_request_extend(*, request: ConfirmationRequest, actor, days: int, approval: str,
                                on: datetime.date) -> ConfirmationRequest:
    """The court extends its decision period on a judicial confirmation (法释〔2011〕5号 Art. 5): the court
    president's approval is recorded; the parties' consent is not needed. The rule caps the extension."""
    case, request = _lock_request(request)
    if request.kind != RequestKind.JUDICIAL_CONFIRMATION:
        raise ValidationError(_("只有司法确认的审查期限可以经院长批准延长。"), code="kind")
    if request.decision:
        raise ValidationError(_("该申请已有处理结果。"), code="decided")
    if not request.accepted_on:
        raise ValidationError(_("请先记录受理日期，再延长审查期限。"), code="not_accepted")
    approval = _require_text(approval, _("院长批准情况（延长审查期限须经院长批准）"))
    _not_future(on, _("批准日期"))
    if not isinstance(days, int) or days <= 0:
        raise ValidationError(_("延长天数必须为正数。"), code="days")
    _emit(Event.JUDICIAL_CONFIRMATION_EXTENDED, case=case, subject=request, on=on, actor=actor,
          extension={"days": days, "applicant_consent": "", "respondent_consent": ""})
    before = request.extension_days
    request.extension_days += days
    request.extension_approval = approval[:200]
    request.save(update_fields=["extension_days", "extension_approval"])
    record_event(case, actor=actor, action="case.request_extended",
                 summary=_("司法确认审查期限延长%(d)d日（%(a)s）") % {"d": days, "a": request.extension_approval},
                 changes={"extension_days": [before, request.extension_days]}, visible_to_partners=True)
    return request


@transaction.atomic
def confirmation_decide(*, request: ConfirmationRequest, actor, decision: str, decided_on: datetime.date,
                        ruling_no: str = "", reason: str = "",
                        accepted_on: datetime.date | None = None) -> ConfirmationRequest:
    """T12/T13 and the payment order (T15): the court or arbitration liaison records the decision. A
    confirmation or an issued payment order follows the acceptance (given here or recorded before);
    a refusal may come without one (不予受理)."""
    case, request = _lock_request(request)
    if decision not in (RequestDecision.CONFIRMED, RequestDecision.REFUSED):
        raise ValidationError(_("请选择处理结果。"), code="decision")
    if request.kind != RequestKind.PAYMENT_ORDER:
        _check(case, "confirm" if decision == RequestDecision.CONFIRMED else "refuse_confirmation")
    if request.decision:
        raise ValidationError(_("该申请已有处理结果。"), code="decided")
    _not_future(decided_on, _("决定日期"))
    if decided_on < request.filed_on:
        raise ValidationError(_("决定日期不能早于申请日期。"), code="date_order")
    if accepted_on and not request.accepted_on:
        _accept(case, request, actor=actor, accepted_on=accepted_on)
    if decision == RequestDecision.CONFIRMED and not request.accepted_on:
        raise ValidationError(_("请先记录受理日期：%(k)s申请须先受理，再作出决定。") % {"k": request.get_kind_display()},
                              code="not_accepted")
    if request.accepted_on and decided_on < request.accepted_on:
        raise ValidationError(_("决定日期不能早于受理日期。"), code="date_order")
    request.decided_on = decided_on
    if decision == RequestDecision.CONFIRMED:
        request.ruling_no = _require_text(ruling_no, _("裁定书/调解书/支付令文号"))
        request.decision = RequestDecision.CONFIRMED
        request.save()
        if request.kind == RequestKind.PAYMENT_ORDER:
            record_event(case, actor=actor, action="case.payment_order_issued",
                         summary=_("法院发出支付令 %(no)s") % {"no": request.ruling_no},
                         changes={"ruling_no": ["", request.ruling_no]}, visible_to_partners=True)
        else:
            _move(case, "confirm", actor=actor,
                  summary=_("%(k)s：已确认，文号 %(no)s") % {"k": request.get_kind_display(), "no": request.ruling_no},
                  changes={"ruling_no": ["", request.ruling_no]}, visible_to_partners=True)
    else:
        request.reason = _require_text(reason, _("驳回理由"))
        request.decision = RequestDecision.REFUSED
        request.save()
        if request.kind == RequestKind.PAYMENT_ORDER:
            _move(case, "payment_order_refused", actor=actor,
                  summary=_("支付令申请被驳回：%(r)s") % {"r": request.reason}, visible_to_partners=True)
        else:
            _move(case, "refuse_confirmation", actor=actor,
                  summary=_("%(k)s被驳回：%(r)s") % {"k": request.get_kind_display(), "r": request.reason},
                  visible_to_partners=True)
    decided = {RequestKind.PAYMENT_ORDER: Event.PAYMENT_ORDER_DECIDED,
               RequestKind.JUDICIAL_CONFIRMATION: Event.JUDICIAL_CONFIRMATION_DECIDED,
               RequestKind.ARBITRAL_REVIEW: Event.ARBITRAL_REVIEW_DECIDED}[request.kind]
    _emit(decided, case=case, subject=request, on=decided_on, actor=actor)
    if request.kind == RequestKind.PAYMENT_ORDER and request.decision == RequestDecision.CONFIRMED:
        _emit(Event.PAYMENT_ORDER_ISSUED, case=case, subject=request, on=decided_on, actor=actor,
              agency=case.agency)
    return request


def _issued_payment_order(request: ConfirmationRequest) -> None:
    if request.kind != RequestKind.PAYMENT_ORDER or request.decision != RequestDecision.CONFIRMED:
        raise ValidationError(_("只有已发出的支付令才能登记送达和债务人答复。"), code="not_issued")


@transaction.atomic
def payment_order_serve(*, request: ConfirmationRequest, actor, served_on: datetime.date) -> ConfirmationRequest:
    """The order is served on the debtor: its 15 days (D26) run from service, not from issue."""
    case, request = _lock_request(request)
    _issued_payment_order(request)
    if request.served_on:
        raise ValidationError(_("支付令已于%(d)s送达。") % {"d": f"{request.served_on:%Y-%m-%d}"}, code="served")
    _not_future(served_on, _("送达日期"))
    if served_on < request.decided_on:
        raise ValidationError(_("送达日期不能早于支付令发出日期。"), code="date_order")
    request.served_on = served_on
    request.save(update_fields=["served_on"])
    record_event(case, actor=actor, action="case.payment_order_served",
                 summary=_("支付令 %(no)s 已送达债务人") % {"no": request.ruling_no},
                 changes={"served_on": [None, served_on]}, visible_to_partners=True)
    _emit(Event.PAYMENT_ORDER_SERVED, case=case, subject=request, on=served_on, actor=actor,
          agency=request.target_agency)
    return request


def _settle_instalments(case: Case, *, on: datetime.date, proof: str) -> None:
    agreement = getattr(case, "agreement", None)
    if agreement is not None:
        agreement.instalments.filter(paid_on__isnull=True).update(paid_on=on, proof=proof[:200])


@transaction.atomic
def payment_order_respond(*, request: ConfirmationRequest, actor, response: str, on: datetime.date,
                          note: str = "") -> ConfirmationRequest:
    """D26: the debtor pays, or objects in writing — the payment-order procedure ends and the matter
    goes to litigation (民事诉讼法 Art. 228) — or lets the 15 days from service pass, after which the
    worker may apply for enforcement."""
    case, request = _lock_request(request)
    _issued_payment_order(request)
    if not request.served_on:
        raise ValidationError(_("请先登记支付令送达债务人的日期。"), code="not_served")
    if request.debtor_response:
        raise ValidationError(_("已登记债务人答复：%(r)s。") % {"r": request.get_debtor_response_display()},
                              code="answered")
    if response not in (DebtorResponse.PAID, DebtorResponse.OBJECTED, DebtorResponse.LAPSED):
        raise ValidationError(_("请选择债务人的答复。"), code="response")
    _not_future(on, _("日期"))
    if on < request.served_on:
        raise ValidationError(_("日期不能早于送达日期。"), code="date_order")
    if response == DebtorResponse.LAPSED:
        periods = case_clocks_by_event(case, started_by=Event.PAYMENT_ORDER_SERVED, active=False)
        due = max((c.due_on for c in periods), default=None)
        if due is not None and on <= due:
            raise ValidationError(
                _("债务人自收到支付令之日起十五日内可以清偿或者提出书面异议，本案期限至%(due)s届满；"
                  "届满后方可登记“期满未异议也未清偿”。") % {"due": f"{due:%Y-%m-%d}"}, code="period_running")
    if response == DebtorResponse.OBJECTED:
        note = _require_text(note, _("异议情况"))
    request.debtor_response, request.debtor_response_on, request.debtor_response_note = response, on, note.strip()
    request.save(update_fields=["debtor_response", "debtor_response_on", "debtor_response_note"])
    label = request.get_debtor_response_display()
    record_event(case, actor=actor, action="case.payment_order_answered",
                 summary=_("支付令 %(no)s：%(r)s") % {"no": request.ruling_no, "r": label} + (f"（{note}）" if note else ""),
                 changes={"debtor_response": ["", response]}, visible_to_partners=True)
    if response == DebtorResponse.PAID:
        _settle_instalments(case, on=on, proof=_("支付令%(no)s：债务人清偿") % {"no": request.ruling_no})
        _move(case, "performed", actor=actor, summary=_("债务人按支付令清偿，协议履行完毕"), visible_to_partners=True)
        _emit(Event.AGREEMENT_PERFORMED, case=case, on=on, actor=actor)
    elif response == DebtorResponse.OBJECTED:
        _emit(Event.PAYMENT_ORDER_OBJECTED, case=case, subject=request, on=on, actor=actor)
        referral = Referral.objects.create(
            case=case, kind=ReferralKind.LITIGATION, target_agency=request.target_agency, sent_on=on,
            note=_("债务人对支付令 %(no)s 提出书面异议，督促程序终结，转入诉讼程序。") % {"no": request.ruling_no})
        _move(case, "refer", actor=actor, summary=_("支付令异议：转入诉讼（%(a)s）") % {"a": request.target_agency.name},
              visible_to_partners=True)
        _emit(referral_event(referral.kind, "sent"), case=case, subject=referral, on=on, actor=actor,
              agency=referral.target_agency)
    else:
        _emit(Event.PAYMENT_ORDER_LAPSED, case=case, subject=request, on=on, actor=actor)
    return request


# ---------------------------------------------------------------- T16: enforcement

def enforcement_title_required(case: Case) -> ConfirmationRequest:
    title = enforceable_title(case)
    if title is None:
        raise ValidationError(
            _("只有经司法确认或仲裁审查确认的调解协议、或者债务人期满既未异议也未清偿的支付令，才能申请强制执行。"
              "未经确认的调解协议逾期不履行的，可以申请支付令（符合条件时）或者申请劳动仲裁。"),
            code="no_title",
        )
    return title


@transaction.atomic
def enforcement_file(*, case: Case, actor, filed_on: datetime.date, note: str = "") -> EnforcementApplication:
    """T16: the worker applies to the court to enforce a confirmed agreement or a payment order the
    debtor let stand — never arbitration for a confirmed agreement (DOMAIN §3.4)."""
    case = _lock(case)
    _check(case, "enforce")
    title = enforcement_title_required(case)
    if case.enforcement_applications.filter(status__in=ENFORCEMENT_OPEN).exists():
        raise ValidationError(_("已有正在办理的强制执行申请。"), code="duplicate")
    _not_future(filed_on, _("申请日期"))
    court = title.target_agency if title.target_agency.kind == AgencyKind.COURT else agency_for(case, AgencyKind.COURT)
    application = EnforcementApplication.objects.create(case=case, title=title, court=court, filed_on=filed_on)
    _move(case, "enforce", actor=actor,
          summary=_("向%(c)s申请强制执行（执行依据：%(k)s %(no)s）") % {
              "c": court.name, "k": title.get_kind_display(), "no": title.ruling_no} + (f"（{note}）" if note else ""),
          visible_to_partners=True)
    _emit(Event.ENFORCEMENT_FILED, case=case, subject=application, on=filed_on, actor=actor, agency=court)
    return application


def _lock_application(application: EnforcementApplication) -> tuple[Case, EnforcementApplication]:
    case = _lock(application.case)
    application = EnforcementApplication.objects.select_for_update().get(pk=application.pk)
    if case.status == S.ARCHIVED:
        raise ValidationError(_("案件已归档，只能查阅，不能再修改。"), code="archived")
    if application.status not in ENFORCEMENT_OPEN:
        raise ValidationError(_("该强制执行申请已办结。"), code="done")
    return case, application


@transaction.atomic
def enforcement_accept(*, application: EnforcementApplication, actor, accepted_on: datetime.date,
                       case_no: str) -> EnforcementApplication:
    """The court files the enforcement case (立案执行) under its case number."""
    case, application = _lock_application(application)
    if application.accepted_on:
        raise ValidationError(_("该强制执行申请已立案。"), code="accepted")
    _not_future(accepted_on, _("立案日期"))
    if accepted_on < application.filed_on:
        raise ValidationError(_("立案日期不能早于申请日期。"), code="date_order")
    application.case_no = _require_text(case_no, _("执行案号"))[:80]
    application.accepted_on, application.status = accepted_on, EnforcementStatus.ACCEPTED
    application.save(update_fields=["case_no", "accepted_on", "status"])
    record_event(case, actor=actor, action="case.enforcement_accepted",
                 summary=_("%(c)s立案执行，案号 %(no)s") % {"c": application.court.name, "no": application.case_no},
                 changes={"case_no": ["", application.case_no]}, visible_to_partners=True)
    return application


@transaction.atomic
def enforcement_conclude(*, application: EnforcementApplication, actor, result: str, on: datetime.date,
                         note: str = "") -> EnforcementApplication:
    """The court's enforcement ends: performed in full, or terminated (终结执行 / 终结本次执行)."""
    case, application = _lock_application(application)
    if result not in (EnforcementStatus.ENFORCED, EnforcementStatus.TERMINATED):
        raise ValidationError(_("请选择执行结果。"), code="result")
    if not application.accepted_on:
        raise ValidationError(_("请先登记法院立案执行，再登记执行结果。"), code="not_accepted")
    _not_future(on, _("结果日期"))
    if on < application.accepted_on:
        raise ValidationError(_("结果日期不能早于立案执行日期。"), code="date_order")
    if result == EnforcementStatus.TERMINATED:
        note = _require_text(note, _("终结执行的情况"))
    application.status, application.result_on, application.result_note = result, on, note.strip()
    application.save(update_fields=["status", "result_on", "result_note"])
    record_event(case, actor=actor, action="case.enforcement_concluded",
                 summary=_("强制执行：%(r)s") % {"r": application.get_status_display()} + (f"（{note}）" if note else ""),
                 changes={"status": [EnforcementStatus.ACCEPTED, result]}, visible_to_partners=True)
    _emit(Event.ENFORCEMENT_CONCLUDED, case=case, subject=application, on=on, actor=actor)
    if result == EnforcementStatus.ENFORCED:
        _settle_instalments(case, on=on, proof=_("强制执行 %(no)s") % {"no": application.case_no or application.court.name})
        _move(case, "performed", actor=actor, summary=_("经强制执行，协议履行完毕"), visible_to_partners=True)
        _emit(Event.AGREEMENT_PERFORMED, case=case, on=on, actor=actor)
    return application


@transaction.atomic
def instalment_record_payment(*, instalment: Instalment, actor, paid_on: datetime.date, proof: str) -> Case:
    case = _lock(instalment.agreement.case)
    _check(case, "record_payment")
    instalment = Instalment.objects.select_for_update().get(pk=instalment.pk)
    if instalment.paid_on:
        raise ValidationError(_("该期款项已登记为已支付。"), code="paid")
    _not_future(paid_on, _("实付日期"))
    instalment.paid_on = paid_on
    instalment.proof = _require_text(proof, _("付款凭证"))
    instalment.save()
    record_event(case, actor=actor, action="case.payment_recorded",
                 summary=_("收到第%(d)s期款 %(a)s元") % {"d": instalment.due_on, "a": instalment.amount},
                 changes={"paid_on": [None, paid_on]})
    if case.status in (S.AGREEMENT_EFFECTIVE, S.CONFIRMED):
        _move(case, "start_performance", actor=actor)
    return case


@transaction.atomic
def performance_complete(*, case: Case, actor, on: datetime.date) -> Case:
    case = _lock(case)
    _check(case, "performed")
    agreement = getattr(case, "agreement", None)
    if agreement is None:
        raise ValidationError(_("没有调解协议，不能确认履行完毕。"), code="no_agreement")
    unpaid = [i for i in agreement.instalments.all() if not i.paid_on]
    if unpaid:
        raise ValidationError(_("还有%(n)d期款项未登记支付，不能确认履行完毕。") % {"n": len(unpaid)}, code="unpaid")
    _not_future(on, _("履行完毕日期"))
    _move(case, "performed", actor=actor, summary=_("协议履行完毕"), visible_to_partners=True)
    _emit(Event.AGREEMENT_PERFORMED, case=case, on=on, actor=actor)
    return case


@transaction.atomic
def case_record_default(*, case: Case, actor, on: datetime.date, note: str = "") -> Case:
    """T14: an instalment date passed unpaid."""
    case = _lock(case)
    _check(case, "default")
    agreement = getattr(case, "agreement", None)
    overdue = [i for i in agreement.instalments.all() if not i.paid_on and i.due_on < on] if agreement else []
    if not overdue:
        raise ValidationError(_("没有已到期未支付的款项，不能登记逾期未履行。"), code="not_overdue")
    _move(case, "default", actor=actor,
          summary=_("逾期未履行：%(n)d期款项未按期支付") % {"n": len(overdue)} + (f"（{note}）" if note else ""))
    return case


# ---------------------------------------------------------------- T18–T21: failure, referral, withdrawal

@transaction.atomic
def mediation_fail(*, case: Case, actor, reason: str, on: datetime.date) -> Case:
    """T18: a termination note; the applicant is told about arbitration (D1, D12)."""
    case = _lock(case)
    _check(case, "fail")
    case.failure_reason = _require_text(reason, _("调解终止理由"))
    _not_future(on, _("终止日期"))
    _move(case, "fail", actor=actor, summary=_("调解终止：%(r)s") % {"r": case.failure_reason},
          changes={"failure_reason": ["", case.failure_reason]}, visible_to_partners=True)
    # D1 has served its purpose: the termination note tells the applicant about arbitration.
    _emit(Event.MEDIATION_FAILED, case=case, on=on, actor=actor)
    return case


@transaction.atomic
def referrals_create(*, case: Case, actor, kinds: Iterable[str], on: datetime.date, note: str = "",
                     violation_on: datetime.date | None = None, lookback_acknowledged: bool = False) -> list[Referral]:
    """T19: one or more referrals at once; each becomes a task in the receiving agency's queue.

    A referral to labour inspection names the day of the violation (or the end of a continuing one):
    older than two years, it is refused until the warning of 劳动保障监察条例 Art. 20 is acknowledged (D31).
    """
    case = _lock(case)
    _check(case, "refer")
    kinds = list(dict.fromkeys(kinds))
    if not kinds:
        raise ValidationError(_("请至少选择一个转出去向。"), code="kinds")
    _not_future(on, _("移送日期"))
    lookback = inspection_lookback_check(case, kinds, on=on, violation_on=violation_on,
                                          acknowledged=lookback_acknowledged)
    referrals = []
    for kind in kinds:
        if kind not in ReferralKind.values:
            raise ValidationError(_("转出去向无效。"), code="kind")
        agency = agency_for(case, *REFERRAL_TARGETS[kind])
        inspection = kind == ReferralKind.INSPECTION
        referrals.append(Referral.objects.create(
            case=case, kind=kind, target_agency=agency, sent_on=on, note=note,
            violation_on=violation_on if inspection else None,
            lookback_acknowledged=bool(inspection and lookback and lookback.expired)))
    _move(case, "refer", actor=actor,
          summary=_("转出：%(k)s") % {"k": "、".join(str(r.get_kind_display()) for r in referrals)},
          visible_to_partners=True)
    if lookback is not None and lookback.expired:
        record_event(case, actor=actor, action="referral.lookback_acknowledged", visible_to_partners=True,
                     summary=_("移送劳动保障监察：违法行为发生（终了）于%(v)s，已超过二年（%(d)s届满），"
                               "经办人已知悉《劳动保障监察条例》第二十条的规定仍予移送")
                     % {"v": cn_date(lookback.violation_on), "d": cn_date(lookback.last_day)},
                     changes={"violation_on": [None, lookback.violation_on]})
    for r in referrals:
        _emit(referral_event(r.kind, "sent"), case=case, subject=r, on=on, actor=actor, agency=r.target_agency)
    return referrals


# The receiving agency's own steps that start clocks of their own (D13 from the commission's receipt;
# D14, D15 from its acceptance; D16–D18 from the award's receipt), beside `referral.<kind>.decided`.
REFERRAL_RECEIVED_EVENTS = {ReferralKind.ARBITRATION: Event.ARBITRATION_RECEIVED}
REFERRAL_ACCEPTED_EVENTS = {ReferralKind.ARBITRATION: Event.ARBITRATION_ACCEPTED}
ARBITRATION_EVENTS = {
    "tribunal_notified": Event.ARBITRATION_TRIBUNAL_NOTIFIED, "extended": Event.ARBITRATION_EXTENDED,
    "awarded": Event.ARBITRATION_AWARDED, "final_award_received": Event.FINAL_AWARD_RECEIVED,
    "award_received": Event.NON_FINAL_AWARD_RECEIVED, "award_challenged": Event.ARBITRATION_AWARD_CHALLENGED,
}
# The commission's own periods (D13–D15) remind its liaison and the union; the parties' windows
# after an award (D16–D18) stay with the union, which follows the referral.
PARTIES_WINDOW_STEPS = {"final_award_received", "award_received", "award_challenged"}


@transaction.atomic
def referral_update(*, referral: Referral, actor, received_on: datetime.date | None = None,
                    accepted: bool | None = None, decided_on: datetime.date | None = None,
                    decision_note: str = "", result: str = "", document_no: str = "",
                    result_on: datetime.date | None = None,
                    tribunal_notified_on: datetime.date | None = None, award_extension_days: int | None = None,
                    award_on: datetime.date | None = None, award_kind: str = "",
                    award_received_on: datetime.date | None = None,
                    award_challenged_on: datetime.date | None = None) -> Referral:
    """The receiving agency records receipt, its decision and its result (T20). An arbitration
    referral also records the tribunal notice, an approved extension and the award (D13–D18):
    each emits its event once, the first time it is recorded."""
    case = _lock(referral.case)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    was_received, was_accepted = referral.received_on, referral.accepted
    if case.status == S.ARCHIVED:
        raise ValidationError(_("案件已归档，只能查阅，不能再修改。"), code="archived")
    if referral.status == ReferralStatus.DONE:
        raise ValidationError(_("该移送已反馈结果。"), code="done")
    before = snapshot(referral, ["status", "received_on", "accepted", "decided_on", "result", "document_no",
                                 "tribunal_notified_on", "award_extension_days", "award_on", "award_kind",
                                 "award_received_on", "award_challenged_on"])
    for label, day in ((_("接收日期"), received_on), (_("决定日期"), decided_on), (_("结果日期"), result_on)):
        if day is not None:
            _not_future(day, label)
            if day < referral.sent_on:
                raise ValidationError(_("%(l)s不能早于移送日期。") % {"l": label}, code="date_order")
    referral.received_on = received_on or referral.received_on
    if not referral.received_on:
        raise ValidationError(_("请先填写接收日期。"), code="received_on")
    referral.status = ReferralStatus.RECEIVED
    if accepted is not None:
        referral.accepted = accepted
        referral.decided_on = decided_on or referral.received_on
        referral.decision_note = decision_note
        if accepted is False and not decision_note.strip():
            raise ValidationError(_("不予受理/不予援助/不支持起诉的，须写明理由。"), code="reason")
        referral.status = ReferralStatus.DECIDED
    if result.strip():
        if referral.accepted is None:
            raise ValidationError(_("请先记录是否受理的决定，再反馈处理结果。"), code="order")
        referral.result = result.strip()
        referral.document_no = document_no.strip()
        referral.result_on = result_on or referral.decided_on
        referral.status = ReferralStatus.DONE
    elif referral.accepted is False:
        referral.result_on = referral.decided_on
        referral.status = ReferralStatus.DONE
    arbitration = arbitration_record(
        referral, tribunal_notified_on=tribunal_notified_on, award_extension_days=award_extension_days,
        award_on=award_on, award_kind=award_kind, award_received_on=award_received_on,
        award_challenged_on=award_challenged_on)
    referral.save()
    record_event(case, actor=actor, action="referral.updated",
                 summary=_("%(k)s：%(s)s") % {"k": referral.get_kind_display(), "s": referral.get_status_display()},
                 changes=diff(before, snapshot(referral, list(before))), visible_to_partners=True)
    received_event = REFERRAL_RECEIVED_EVENTS.get(referral.kind)
    commission = {"agency": referral.target_agency}
    if was_received is None and received_event:
        _emit(received_event, case=case, subject=referral, on=referral.received_on, actor=actor, **commission)
    if referral.status in (ReferralStatus.DECIDED, ReferralStatus.DONE):
        _emit(referral_event(referral.kind, "decided"), case=case, subject=referral,
              on=referral.decided_on or referral.received_on, actor=actor)
    accepted_event = REFERRAL_ACCEPTED_EVENTS.get(referral.kind)
    if referral.accepted is True and was_accepted is not True and accepted_event:
        _emit(accepted_event, case=case, subject=referral, on=referral.decided_on, actor=actor, **commission)
    for step, day, extra in arbitration:
        _emit(ARBITRATION_EVENTS[step], case=case, subject=referral, on=day, actor=actor, **extra,
              **({} if step in PARTIES_WINDOW_STEPS else commission))
    return referral


BEFORE_AGREEMENT = {S.RECEIVED, S.ACCEPTED, S.IN_MEDIATION, S.EXTENDED}


def _withdrawal_effects(case: Case, on: datetime.date) -> list[str]:
    """What a withdrawal means in the state the case is in (T21), as told to the parties and partners."""
    effects = []
    agreement = getattr(case, "agreement", None)
    if case.status in BEFORE_AGREEMENT or agreement is None:
        effects.append(_("调解程序终结；申请人仍可依法申请劳动仲裁，仲裁时效依《劳动争议调解仲裁法》第二十七条计算。"))
    else:
        effects.append(_("%(d)s生效的调解协议仍然有效，对双方当事人具有约束力（《劳动争议调解仲裁法》第十四条），"
                         "撤回的是本组织的后续跟踪。") % {"d": f"{agreement.signed_on:%Y-%m-%d}"})
    for request in case.confirmation_requests.all():
        if request.decision == RequestDecision.CONFIRMED and request.kind != RequestKind.PAYMENT_ORDER:
            effects.append(_("%(k)s文书（%(no)s）仍然有效，不履行的，仍可依法申请强制执行。")
                           % {"k": request.get_kind_display(), "no": request.ruling_no})
        elif request.decision == RequestDecision.PENDING:
            effects.append(_("%(k)s申请一并撤回，已告知%(a)s。")
                           % {"k": request.get_kind_display(), "a": request.target_agency.name})
        elif request.kind == RequestKind.PAYMENT_ORDER and request.decision == RequestDecision.CONFIRMED \
                and not request.debtor_response:
            effects.append(_("支付令（%(no)s）的督促程序由申请人向%(a)s撤回，已告知该院。")
                           % {"no": request.ruling_no, "a": request.target_agency.name})
    for application in case.enforcement_applications.filter(status__in=ENFORCEMENT_OPEN):
        effects.append(_("强制执行申请一并撤回，已告知%(c)s。") % {"c": application.court.name})
    return effects


@transaction.atomic
def case_withdraw(*, case: Case, actor, reason: str, on: datetime.date) -> Case:
    """T21: the applicant withdraws or the parties settle on their own, from any open state up to
    enforcement. Pending applications to the court or the commission are withdrawn with it and their
    agency is told; what the withdrawal means is recorded; CASE_WITHDRAWN waives the running clocks."""
    case = _lock(case)
    _check(case, "withdraw")
    reason = _require_text(reason, _("撤回说明"))
    _not_future(on, _("撤回日期"))
    effects = _withdrawal_effects(case, on)
    told = set()
    for request in case.confirmation_requests.select_for_update().filter(decision=RequestDecision.PENDING):
        request.decision, request.decided_on, request.reason = RequestDecision.WITHDRAWN, on, reason
        request.save(update_fields=["decision", "decided_on", "reason"])
        told.add(request.target_agency)
    for application in case.enforcement_applications.select_for_update().filter(status__in=ENFORCEMENT_OPEN):
        application.status, application.result_on, application.result_note = EnforcementStatus.WITHDRAWN, on, reason
        application.save(update_fields=["status", "result_on", "result_note"])
        told.add(application.court)
    for request in case.confirmation_requests.filter(kind=RequestKind.PAYMENT_ORDER, decision=RequestDecision.CONFIRMED,
                                                     debtor_response=""):
        told.add(request.target_agency)  # the issued order's procedure is withdrawn too (see the effects)
    before = case.withdrawal_effect
    case.decision_reason = reason
    case.withdrawal_effect = "\n".join(effects)
    _move(case, "withdraw", actor=actor,
          summary=_("申请人撤回：%(r)s。%(e)s") % {"r": reason, "e": "".join(effects)},
          changes={"withdrawal_effect": [before, case.withdrawal_effect]}, visible_to_partners=True)
    _emit(Event.CASE_WITHDRAWN, case=case, on=on, actor=actor)
    for agency in told:
        liaisons = [s.user for s in agency.staff.filter(role_rows__role=Role.LIAISON).select_related("user")]
        if liaisons:
            notify(recipients=liaisons, verb="case_withdrawn",
                   text=_("%(no)s：申请人已撤回，相关申请一并撤回。") % {"no": case.case_no},
                   url=f"/cases/{case.pk}/", dedupe_key=f"case:{case.pk}:withdrawn:{agency.pk}")
    return case


# ---------------------------------------------------------------- report back to the court (DOMAIN §2.3)

def court_report_result(case: Case) -> str | None:
    """What the union reports to the court: failure (with the termination note) before success
    (with the agreement) — a refused confirmation may be followed by a failed mediation; None while
    mediation has not ended."""
    if case.failure_reason:
        return CourtResult.FAILED
    if case.agreement_effective_on and hasattr(case, "agreement"):
        return CourtResult.SUCCESS
    if case.status == S.WITHDRAWN or (case.closing_code == ClosingCode.WITHDRAWN):
        return CourtResult.WITHDRAWN
    return None


def court_report_due(case: Case) -> bool:
    """A delegated / entrusted case whose mediation has ended and which the court has not been told of."""
    if not case.reports_to_court or not case.accepted_on:
        return False
    result = court_report_result(case)
    return result is not None and not case.court_reports.filter(result=result).exists()


@transaction.atomic
def court_report_send(*, case: Case, actor, sent_on: datetime.date, follow_up: str = "", note: str = "",
                      document: CaseDocument | None = None) -> CourtReport:
    """The union reports the result to the delegating court: on success what follows at the court
    (judicial confirmation, the plaintiff withdraws, or the court's mediation statement) with the
    agreement; on failure the termination note. The court then files or tries the case."""
    case = _lock(case)
    if case.status == S.ARCHIVED:
        raise ValidationError(_("案件已归档，只能查阅，不能再修改。"), code="archived")
    if not case.reports_to_court:
        raise ValidationError(_("只有法院委派或委托的案件需要向法院反馈调解结果。"), code="not_court")
    result = court_report_result(case)
    if result is None:
        raise ValidationError(_("调解尚未结束，不能向法院反馈结果。"), code="not_ended")
    _not_future(sent_on, _("反馈日期"))
    if sent_on < (case.received_on or sent_on):
        raise ValidationError(_("反馈日期不能早于委派日期。"), code="date_order")
    if result == CourtResult.SUCCESS:
        if follow_up not in CourtFollowUp.values:
            raise ValidationError(_("调解成功的，请选择后续处理：申请司法确认、原告撤诉或由法院出具调解书。"),
                                  code="follow_up")
    else:
        follow_up = ""
        if result == CourtResult.WITHDRAWN:
            note = _require_text(note, _("撤回情况说明"))
    if document is not None and (document.case_id != case.pk or document.kind not in (
            DocumentKind.AGREEMENT, DocumentKind.TERMINATION_NOTICE)):
        raise ValidationError(_("随附文书应为本案的调解协议书或调解终止告知书。"), code="document")
    report = CourtReport.objects.create(
        case=case, court=case.source_agency, result=result, follow_up=follow_up, document=document,
        note=note.strip(), sent_on=sent_on, sent_by=actor,
    )
    summary = _("向%(court)s反馈调解结果：%(result)s") % {"court": case.source_agency.name,
                                                    "result": report.get_result_display()}
    if follow_up:
        summary += _("（%(f)s）") % {"f": report.get_follow_up_display()}
    record_event(case, actor=actor, action="case.court_report_sent", summary=summary,
                 changes={"result": [None, result], "follow_up": [None, follow_up],
                          "document": [None, document.title if document else None]},
                 visible_to_partners=True)
    return report


@transaction.atomic
def court_report_acknowledge(*, report: CourtReport, actor, acknowledged_on: datetime.date, note: str = "",
                             court_case_no: str = "") -> CourtReport:
    """The delegating court's liaison confirms it received the result (and may give its case number)."""
    case = _lock(report.case)
    report = CourtReport.objects.select_for_update().get(pk=report.pk)
    staff = getattr(actor, "staff", None)
    if staff is None or staff.agency_id != report.court_id:
        raise ValidationError(_("只有委派（委托）法院可以确认收到调解结果。"), code="court")
    if report.acknowledged_on:
        raise ValidationError(_("法院已确认收到该调解结果。"), code="done")
    _not_future(acknowledged_on, _("确认收到日期"))
    if acknowledged_on < report.sent_on:
        raise ValidationError(_("确认收到日期不能早于反馈日期。"), code="date_order")
    report.acknowledged_on, report.acknowledged_by = acknowledged_on, actor
    report.acknowledgement_note, report.court_case_no = note.strip(), court_case_no.strip()
    report.save(update_fields=["acknowledged_on", "acknowledged_by", "acknowledgement_note", "court_case_no"])
    record_event(case, actor=actor, action="case.court_report_acknowledged",
                 summary=_("%(court)s确认收到调解结果%(no)s") % {
                     "court": report.court.name,
                     "no": (_("，法院案号%(no)s") % {"no": report.court_case_no}) if report.court_case_no else ""},
                 changes={"acknowledged_on": [None, acknowledged_on], "court_case_no": [None, report.court_case_no]},
                 visible_to_partners=True)
    return report


# ---------------------------------------------------------------- T22–T23: close and archive

@transaction.atomic
def case_close(*, case: Case, actor, closing_code: str, on: datetime.date, note: str = "",
               follow_up_done: bool = False) -> Case:
    case = _lock(case)
    _check(case, "close")
    if not permissions.may_approve(actor):
        raise ValidationError(_("结案须由调解委员会主任决定。"), code="approver")
    allowed = set(CLOSING_CODES_BY_STATE.get(case.status, set()))
    if case.status == S.REFERRED_OUT and {r.kind for r in case.referrals.all()} != {ReferralKind.LITIGATION}:
        # 申请支付令 closes a referred case only when the debtor's objection sent it on to litigation.
        allowed.discard(ClosingCode.SUCCESS_PAYMENT_ORDER)
    if closing_code not in allowed:
        raise ValidationError(
            _("案件状态为“%(s)s”，结案方式应为：%(c)s。")
            % {"s": case.get_status_display(), "c": "、".join(str(ClosingCode(c).label) for c in sorted(allowed))},
            code="closing_code",
        )
    if case.status == S.REFERRED_OUT and case.referrals.exclude(status=ReferralStatus.DONE).exists():
        raise ValidationError(_("尚有移送事项未反馈结果，不能结案。"), code="referrals_open")
    if court_report_due(case):
        raise ValidationError(_("法院委派（委托）的案件须先向法院反馈调解结果，才能结案。"), code="court_report")
    if case.status == S.ENFORCEMENT and (
            case.enforcement_applications.filter(status__in=ENFORCEMENT_OPEN).exists()
            or case.confirmation_requests.filter(kind=RequestKind.PAYMENT_ORDER, debtor_response="")
            .exclude(decision__in=[RequestDecision.REFUSED, RequestDecision.WITHDRAWN]).exists()):
        raise ValidationError(_("强制执行或支付令程序尚未结束（等待法院的执行结果或债务人的答复），不能结案。"),
                              code="enforcement_open")
    _not_future(on, _("结案日期"))
    if case.status == S.PERFORMED and not follow_up_done:
        raise ValidationError(_("履行完毕的案件结案前须完成回访。"), code="follow_up")
    case.closing_code = closing_code
    case.closing_note = note
    case.closed_on = on
    case.follow_up_done = follow_up_done
    _move(case, "close", actor=actor, summary=_("结案：%(c)s") % {"c": case.get_closing_code_display()},
          changes={"closing_code": ["", closing_code], "closed_on": [None, on]}, visible_to_partners=True)
    _emit(Event.CASE_CLOSED, case=case, on=on, actor=actor)
    return case


@transaction.atomic
def case_archive(*, case: Case, actor) -> Case:
    """T23: the file is frozen; every later write is refused."""
    case = _lock(case)
    _check(case, "archive")
    if not CaseDocument.objects.filter(case=case, kind=DocumentKind.CASE_FILE, case_status=S.CLOSED).exists():
        raise ValidationError(
            _("归档前须先生成卷宗（卷宗封面、卷内目录及全部文书材料）。请在本环节或案件页点击“生成卷宗”。"),
            code="case_file_missing",
        )
    case.archived_at = timezone.now()
    _move(case, "archive", actor=actor, summary=_("归档，卷宗只读"))
    return case


# ---------------------------------------------------------------- follow-up visits and files

@transaction.atomic
def visit_record(*, case: Case, actor, visited_on: datetime.date, method: str, findings: str) -> FollowUpVisit:
    case = _lock(case)
    if case.status in (S.ARCHIVED, S.CLOSED):
        raise ValidationError(_("案件已结案或归档，不能再登记回访。"), code="closed")
    _not_future(visited_on, _("回访日期"))
    visit = FollowUpVisit.objects.create(case=case, visited_on=visited_on, method=_require_text(method, _("回访方式")),
                                         findings=_require_text(findings, _("回访情况")), recorded_by=actor)
    record_event(case, actor=actor, action="case.visit", summary=_("回访（%(m)s）") % {"m": visit.method})
    return visit


def _attachment_create(*, case: Case, actor, upload, title: str, session=None) -> Attachment:
    content_type, sha = inspect_upload(upload)
    att = Attachment(case=case, session=session, title=(title or upload.name)[:120], file=upload,
                     content_type=content_type, size=upload.size, sha256=sha, uploaded_by=actor)
    att.save()
    discard_on_rollback(att.file)
    record_event(case, actor=actor, action="case.attachment",
                 summary=_("上传材料：%(t)s") % {"t": att.title}, visible_to_partners=session is None)
    return att


@transaction.atomic
def attachment_add(*, case: Case, actor, upload, title: str = "") -> Attachment:
    case = _lock(case)
    if case.status == S.ARCHIVED:
        raise ValidationError(_("案件已归档，只能查阅，不能再修改。"), code="archived")
    return _attachment_create(case=case, actor=actor, upload=upload, title=title)


@transaction.atomic
def agent_record(*, case: Case, actor, name: str, kind: str, phone: str = "", represents=None) -> CaseAgent:
    case = _lock(case)
    if case.status == S.ARCHIVED:
        raise ValidationError(_("案件已归档，只能查阅，不能再修改。"), code="archived")
    agent = CaseAgent.objects.create(case=case, name=_require_text(name, _("代理人姓名")), kind=kind,
                                     phone=phone, represents=represents)
    record_event(case, actor=actor, action="case.agent", summary=_("登记代理人 %(n)s") % {"n": agent.name})
    return agent


def suggested_closing_code(case: Case) -> str:
    """The closing code the file points to; the committee head confirms or changes it."""
    if case.status == S.PERFORMED:
        agreement = getattr(case, "agreement", None)
        if agreement and agreement.paid_on_spot:
            return ClosingCode.SUCCESS_PAID_ON_SPOT
        confirmed = {r.kind for r in case.confirmation_requests.all() if r.decision == RequestDecision.CONFIRMED}
        if RequestKind.PAYMENT_ORDER in confirmed:
            return ClosingCode.SUCCESS_PAYMENT_ORDER
        if RequestKind.JUDICIAL_CONFIRMATION in confirmed:
            return ClosingCode.SUCCESS_JUDICIAL_CONFIRMED
        if RequestKind.ARBITRAL_REVIEW in confirmed:
            return ClosingCode.SUCCESS_ARB_REVIEWED
        return ClosingCode.SUCCESS_INSTALMENTS_DONE
    if case.status == S.ENFORCEMENT:
        title = enforceable_title(case)
        return {RequestKind.JUDICIAL_CONFIRMATION: ClosingCode.SUCCESS_JUDICIAL_CONFIRMED,
                RequestKind.ARBITRAL_REVIEW: ClosingCode.SUCCESS_ARB_REVIEWED}.get(
            title.kind if title else "", ClosingCode.SUCCESS_PAYMENT_ORDER)
    if case.status == S.REFERRED_OUT:
        kinds = [r.kind for r in case.referrals.all()]
        if kinds == [ReferralKind.LITIGATION]:
            return ClosingCode.SUCCESS_PAYMENT_ORDER
        for kind, code in ((ReferralKind.SUPPORT_PROSECUTION, ClosingCode.FAILED_TO_LITIGATION_PROCURATORATE),
                           (ReferralKind.LEGAL_AID, ClosingCode.FAILED_TO_LITIGATION_LEGAL_AID),
                           (ReferralKind.ARBITRATION, ClosingCode.FAILED_TO_ARBITRATION),
                           (ReferralKind.INSPECTION, ClosingCode.REFERRED_INSPECTION)):
            if kind in kinds:
                return code
    return {S.NOT_ACCEPTED: ClosingCode.NOT_ACCEPTED, S.REDIRECTED: ClosingCode.REDIRECTED,
            S.WITHDRAWN: ClosingCode.WITHDRAWN}.get(case.status, "")


@transaction.atomic
def confirmation_skip(*, case: Case, actor, on: datetime.date) -> Case:
    """The parties decide not to seek confirmation; performance is followed up directly."""
    case = _lock(case)
    _check(case, "request_confirmation")
    record_event(case, actor=actor, action="case.confirmation_skipped", summary=_("双方决定不申请确认，直接履行"))
    _emit(Event.CONFIRMATION_SKIPPED, case=case, on=on, actor=actor)
    return case


def union_for_county(county: str) -> Agency:
    """The union mediation organisation that takes a delegated or referred case."""
    agency = (Agency.objects.filter(kind=AgencyKind.UNION, county=county).exclude(case_prefix="").first()
              or Agency.objects.filter(kind=AgencyKind.UNION, level="CITY").exclude(case_prefix="").first())
    if agency is None:
        raise ValidationError(_("该县区没有可以受理的工会调解组织。"), code="no_union")
    return agency


def personal_data_viewed(*, case: Case, actor) -> None:
    """DOMAIN §5.1: log every view of personal data by a partner agency."""
    record_event(case, actor=actor, action="case.personal_data_viewed",
                 summary=_("协作机构查阅当事人个人信息"), visible_to_partners=True)
