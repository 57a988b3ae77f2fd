"""Writes on supervision matters (一函两书): one function per step of DOMAIN §4.3.

Each runs in one transaction, checks the step against TRANSITIONS and the guards
of §4.3, writes the audit event in the same transaction and starts or stops the
clocks (D40 意见书 reply, D41 department on a 建议书, D42 提示函 reply, D28
procuratorate feedback). Business refusals raise ValidationError with a message
for the user; nothing is saved then.

Guards are [C-local]/[I] in DOMAIN §4.3; the configurable ones live in SUPERVISION_RULES.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.shortcuts import assign_perm

from mediation.clocks.events import Event
from mediation.lib.numbering import next_number
from parties.models import Agency, AgencyKind, AgencyLevel, AgencyUnit, Employer
from parties.services import COUNTY_SHORT

from . import documents, permissions
from .audit import record_event
from .models import (
    KIND_FULL_TITLE,
    KIND_NUMBER_CHAR,
    MAX_AMOUNT,
    ClueSource,
    Conclusion,
    DeliveryMethod,
    DepartmentAction,
    DepartmentDecision,
    DepartmentHandling,
    DepartmentResult,
    DraftState,
    Investigation,
    IssuingOffice,
    Letter,
    LetterDraft,
    LetterKind,
    LetterRecipient,
    LetterTemplate,
    LinkDirection,
    MatterCaseLink,
    MatterStatus,
    ProcuratorateAction,
    ProcuratorateReferral,
    ReferralGround,
    ReplyKind,
    SupervisionMatter,
    SupervisionScope,
    Verification,
    Violation,
)

S = MatterStatus
K = LetterKind

# Configurable guards (DOMAIN §4.3: "make them configurable").
_DEFAULT_RULES = {
    "MIN_INVESTIGATORS": 2,  # [C-local: S34]
    "RECOMMENDATION_LEVELS": [AgencyLevel.CITY, AgencyLevel.COUNTY],  # [C-local: S34, S35]
    "ESCALATION_NEEDS_DELIVERY": True,  # 送达回执 before escalating
    "REFERRAL_LEVELS": [AgencyLevel.CITY, AgencyLevel.COUNTY],  # [C: S30]
}


def rule(name: str):
    return {**_DEFAULT_RULES, **getattr(settings, "CONCORD_SUPERVISION_RULES", {})}[name]


# Which steps may leave which states (DOMAIN §4.3).
TRANSITIONS: dict[str, tuple[set[str], str | None]] = {
    "investigate": ({S.CLUE_FOUND, S.INVESTIGATING}, S.INVESTIGATING),
    "issue_reminder": ({S.INVESTIGATING}, S.REMINDER_ISSUED),
    "issue_opinion": ({S.INVESTIGATING, S.REMINDER_ISSUED}, S.OPINION_ISSUED),
    "issue_recommendation": ({S.OPINION_ISSUED}, S.RECOMMENDATION_ISSUED),
    "deliver": ({S.REMINDER_ISSUED, S.OPINION_ISSUED, S.RECOMMENDATION_ISSUED}, None),
    "reply": ({S.REMINDER_ISSUED, S.OPINION_ISSUED}, None),
    "dept_file": ({S.RECOMMENDATION_ISSUED}, None),
    "dept_result": ({S.DEPT_FILED}, S.DEPT_DECIDED),
    "verify": ({S.DEPT_DECIDED}, None),
    "close_declined": ({S.DEPT_DECLINED}, S.CLOSED_ESCALATION_FAILED),
    "refer": (set(S.values), None),  # "at any state" (DOMAIN §4.3, parallel branch)
    "link_case": (set(S.values), None),
}

ACTION_LABELS = {
    "investigate": gettext_lazy("记录调查核实"), "issue_reminder": gettext_lazy("制发提示函"),
    "issue_opinion": gettext_lazy("制发意见书"), "issue_recommendation": gettext_lazy("制发建议书"),
    "deliver": gettext_lazy("登记送达"), "reply": gettext_lazy("登记回复与核查"),
    "dept_file": gettext_lazy("登记立案决定"), "dept_result": gettext_lazy("登记处理结果"),
    "verify": gettext_lazy("复核结案"), "close_declined": gettext_lazy("结案"),
    "refer": gettext_lazy("移送检察院"), "link_case": gettext_lazy("关联调解案件"),
}

ISSUE_STEP = {K.REMINDER: "issue_reminder", K.OPINION: "issue_opinion", K.RECOMMENDATION: "issue_recommendation"}
ISSUED_STATUS = {K.REMINDER: S.REMINDER_ISSUED, K.OPINION: S.OPINION_ISSUED, K.RECOMMENDATION: S.RECOMMENDATION_ISSUED}
# The procedure events of each letter; the rule table says which clock they start and stop
# (D42 提示函, D40 意见书, D41 建议书).
ISSUED_EVENT = {K.REMINDER: Event.REMINDER_LETTER_ISSUED, K.OPINION: Event.OPINION_LETTER_ISSUED}
ANSWERED_EVENT = {K.REMINDER: Event.REMINDER_LETTER_ANSWERED, K.OPINION: Event.OPINION_LETTER_ANSWERED,
                  K.RECOMMENDATION: Event.RECOMMENDATION_DECIDED}
CO_ISSUER_KINDS = {AgencyKind.PROCURATORATE, AgencyKind.COURT, AgencyKind.HRSS}
VIEW_PERM = "supervision.view_supervisionmatter"


# ---------------------------------------------------------------- helpers

def _lock(matter: SupervisionMatter) -> SupervisionMatter:
    return SupervisionMatter.objects.select_for_update().get(pk=matter.pk)


def _check(matter: SupervisionMatter, step: str) -> str | None:
    allowed, target = TRANSITIONS[step]
    if matter.status not in allowed:
        raise ValidationError(
            _("监督事项当前状态为“%(status)s”，不能%(action)s。")
            % {"status": matter.get_status_display(), "action": ACTION_LABELS[step]},
            code="illegal_transition",
        )
    return target


def _move(matter: SupervisionMatter, step: str, *, actor, summary: str = "", changes: dict | None = None,
          target: str | None = None, visible_to_partners: bool = False) -> SupervisionMatter:
    default_target = _check(matter, step)
    target = target or default_target
    before = matter.status
    all_changes = dict(changes or {})
    if target and target != before:
        matter.status = target
        all_changes["status"] = [before, target]
    matter.save()
    record_event(matter, actor=actor, action=f"matter.{step}", summary=summary or ACTION_LABELS[step],
                 changes=all_changes, visible_to_partners=visible_to_partners)
    return matter


def _require_text(value: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(_("请填写%(label)s。") % {"label": label}, code="required")
    return value


def _require_date(value, label: str) -> datetime.date:
    if not isinstance(value, datetime.date):
        raise ValidationError(_("请填写%(label)s。") % {"label": label}, code="required")
    return value


def _not_future(day: datetime.date, label: str) -> datetime.date:
    _require_date(day, label)
    if day > timezone.localdate():
        raise ValidationError(_("%(label)s不能晚于今天。") % {"label": label}, code="future_date")
    return day


def _not_before(day: datetime.date | None, earlier: datetime.date, label: str, earlier_label: str) -> None:
    if day is not None and day < earlier:
        raise ValidationError(
            _("%(label)s（%(day)s）不能早于%(earlier_label)s（%(earlier)s）。")
            % {"label": label, "day": documents.cn_date_text(day),
               "earlier_label": earlier_label, "earlier": documents.cn_date_text(earlier)},
            code="date_order",
        )


def _amount(value, label: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except Exception:
        raise ValidationError(_("%(label)s不是有效的金额。") % {"label": label}, code="amount") from None
    if amount < 0 or amount > MAX_AMOUNT:
        raise ValidationError(_("%(label)s超出合理范围，请核对。") % {"label": label}, code="amount")
    return amount


def _staff(user):
    return getattr(user, "staff", None) if user is not None and user.is_authenticated else None


def _require_union_supervision_staff(actor, agency: Agency | None = None) -> None:
    """Union labor-law supervisors and union supervisors write matters; county scope unless city."""
    if not permissions.is_union_supervision_staff(actor):
        raise ValidationError(_("只有工会劳动法律监督员或督导可以办理此事项。"), code="forbidden")
    if agency is not None and not permissions.covers_agency(actor, agency):
        raise ValidationError(_("只能办理本县区工会的监督事项。"), code="forbidden")


def _require_staff_of(actor, agency: Agency, what: str) -> None:
    if not permissions.is_staff_of(actor, agency):
        raise ValidationError(_("只有%(agency)s的工作人员可以%(what)s。") % {"agency": agency, "what": what},
                              code="forbidden")


def _clocks():
    # Imported late: mediation.clocks is a sibling area with its own migrations.
    from mediation.clocks import services as clocks

    return clocks


def _emit(event: str, *, subject, on: datetime.date, matter: SupervisionMatter, actor,
          agency: Agency | None = None) -> list:
    """The step happened: the clock service starts and stops what the rule table says."""
    return _clocks().event_emit(event, subject=subject, on=on, actor=actor, agency=agency or matter.agency,
                                county=matter.county)


def reply_due_for(matter: SupervisionMatter, kind: str, issued_on: datetime.date) -> datetime.date:
    """The reply date a 提示函 (D42) / 意见书 (D40) prints: its clock's due date, computed by the
    clock service from the local rule — the one source of the date (issue 8 B10)."""
    return _clocks().event_due_preview(ISSUED_EVENT[kind], started_on=issued_on, county=matter.county)


def default_doc_prefix(agency: Agency) -> str:
    """安工监 for the city federation, 汉滨工监 for Hanbin… unless IssuingOffice says otherwise."""
    if agency.level == AgencyLevel.CITY:
        return f"{settings.CONCORD_CITY[:1]}工监"
    short = COUNTY_SHORT.get(agency.county)
    if agency.level == AgencyLevel.COUNTY and short:
        return f"{short}工监"
    return f"{(agency.short_name or agency.name)[:4]}工监"


def office_for(agency: Agency) -> IssuingOffice:
    office = IssuingOffice.objects.filter(agency=agency).first()
    if office is None:
        office = IssuingOffice(agency=agency, doc_prefix=default_doc_prefix(agency))
    if not office.committee_name:
        office.committee_name = f"{agency.name}劳动法律监督委员会"
    return office


def matter_grant_access(matter: SupervisionMatter, agency: Agency) -> None:
    """Let `agency` (its auth group) see the matter: the addressed department, the procuratorate.

    Called by the flow's grant_access hook when a task is addressed to the agency, and by
    the service that addresses it (idempotent)."""
    assign_perm(VIEW_PERM, agency.group, matter)


# ---------------------------------------------------------------- clue and investigation

@transaction.atomic
def matter_register(
    *,
    actor,
    title: str,
    source: str,
    clue: str,
    employer: Employer | None = None,
    agency: Agency | None = None,
    source_case=None,
    source_ref: str = "",
    scope_industry: str = "",
) -> SupervisionMatter:
    """A clue is found (线索): from a mediation case, the 12351 hotline, risk screening or the procuratorate."""
    staff = _staff(actor)
    agency = agency or (staff.agency if staff else None)
    if agency is None or not agency.is_union:
        raise ValidationError(_("监督事项只能由工会登记。"), code="agency")
    _require_union_supervision_staff(actor, agency)
    if source not in ClueSource.values:
        raise ValidationError(_("线索来源无效。"), code="source")
    title = _require_text(title, _("事项名称"))
    clue = _require_text(clue, _("线索情况"))
    if employer is None:
        raise ValidationError(_("请选择被监督的用人单位。"), code="employer")
    if source == ClueSource.CASE and source_case is None:
        raise ValidationError(_("来源为调解案件时，请选择来源案件。"), code="source_case")
    year = timezone.localdate().year
    prefix = office_for(agency).doc_prefix
    number = next_number(f"supervision:{agency.pk}:matter", year)
    matter = SupervisionMatter.objects.create(
        matter_no=f"{prefix}案〔{year}〕{number}号", year=year, agency=agency, county=agency.county,
        title=title, employer=employer, source=source, source_case=source_case, source_ref=source_ref,
        clue=clue, scope_industry=scope_industry or employer.industry, created_by=actor,
    )
    record_event(matter, actor=actor, action="matter.registered",
                 summary=_("登记线索：%(title)s（%(source)s）") % {"title": title, "source": matter.get_source_display()},
                 changes={"status": [None, matter.status]})
    if source_case is not None:
        _link(matter=matter, case=source_case, direction=LinkDirection.CASE_SPAWNED_MATTER, actor=actor)
    return matter


@transaction.atomic
def investigation_record(
    *,
    actor,
    matter: SupervisionMatter,
    conducted_on: datetime.date,
    method: str,
    findings: str,
    conclusion: str,
    investigators: Iterable,
    place: str = "",
) -> Investigation:
    """调查核实 by at least two labor-law supervisors. "No issue" closes the matter."""
    matter = _lock(matter)
    _require_union_supervision_staff(actor, matter.agency)
    _check(matter, "investigate")
    _not_future(conducted_on, _("调查日期"))
    method = _require_text(method, _("调查方式"))
    findings = _require_text(findings, _("调查情况"))
    if conclusion not in Conclusion.values:
        raise ValidationError(_("请选择调查结论。"), code="conclusion")
    people = list({u.pk: u for u in investigators}.values())
    minimum = rule("MIN_INVESTIGATORS")
    if len(people) < minimum:
        raise ValidationError(
            _("调查核实须由至少%(n)d名劳动法律监督员共同进行，当前只有%(m)d名。") % {"n": minimum, "m": len(people)},
            code="investigators",
        )
    for person in people:
        staff = _staff(person)
        if not permissions.may_investigate(person):
            raise ValidationError(
                _("%(name)s不是工会劳动法律监督员，不能作为调查人员。")
                % {"name": staff.full_name if staff else person.get_username()},
                code="investigators",
            )
    investigation = Investigation.objects.create(
        matter=matter, conducted_on=conducted_on, method=method, place=place, findings=findings,
        conclusion=conclusion, recorded_by=actor,
    )
    investigation.investigators.set(people)
    matter.conclusion = conclusion
    names = "、".join(p.staff.full_name for p in people)
    target = None
    if conclusion == Conclusion.NO_ISSUE:
        target = S.CLOSED_NO_ISSUE
        matter.closed_on = conducted_on
        matter.closing_note = findings
    _move(matter, "investigate", actor=actor, target=target,
          summary=_("调查核实（%(names)s）：%(c)s") % {"names": names, "c": investigation.get_conclusion_display()},
          changes={"conclusion": ["", conclusion]})
    return investigation


# ---------------------------------------------------------------- letters

def _letter_context(letter: Letter, *, matter: SupervisionMatter, office: IssuingOffice,
                    recipients: list[LetterRecipient], violations: list[Violation]) -> dict:
    """Plain values only (see documents.letter_context): a template never sees a model instance."""
    previous = letter.previous
    return documents.letter_context(
        letter, matter=matter, office=office, recipients=recipients, violations=violations,
        co_issuers=list(letter._co_issuers), previous=previous,
        previous_recipient=previous.recipients.first() if previous else None,
        recommended_actions=[DepartmentAction(a).label for a in letter.recommended_actions],
        kind_title=KIND_FULL_TITLE[letter.kind],
    )


def _recipient_from_employer(employer: Employer) -> LetterRecipient:
    return LetterRecipient(employer=employer, name=employer.name, credit_code=employer.credit_code,
                           legal_representative=employer.legal_representative, address=employer.address)


def _latest_letter(matter: SupervisionMatter, kind: str) -> Letter | None:
    return matter.letters.filter(kind=kind).order_by("-issued_on", "-id").first()


def _check_escalation(matter: SupervisionMatter, previous: Letter, issued_on: datetime.date) -> None:
    recipients = list(previous.recipients.all())
    if rule("ESCALATION_NEEDS_DELIVERY") and not all(r.is_delivered for r in recipients):
        raise ValidationError(
            _("前一文书（%(no)s）尚未登记送达回执，不能升级制发。请先登记送达情况。") % {"no": previous.doc_no},
            code="not_delivered",
        )
    for r in recipients:
        _not_before(issued_on, r.delivered_on, _("发文日期"), _("前一文书送达日期"))
        if r.verification == Verification.RECTIFIED:
            raise ValidationError(
                _("%(name)s已按%(no)s整改到位，无需升级。") % {"name": r.name, "no": previous.doc_no},
                code="rectified",
            )


# A 建议书 follows a 意见书 only on these answers of the employer (DOMAIN §3.4, §4.3).
ESCALATING_REPLIES = {ReplyKind.NO_REPLY, ReplyKind.REFUSED, ReplyKind.PARTIAL}
ESCALATING_VERIFICATIONS = {Verification.PARTIAL, Verification.NOT_RECTIFIED}


def _check_recommendation_ground(opinion: Letter, issued_on: datetime.date) -> None:
    """工会法 (2021) Art. 23: the union asks the government to act when the employer 拒不改正 —
    so a 建议书 only after the 意见书's reply period ran out without a reply, after a refusal,
    or after partial (or no) rectification was found."""
    for r in opinion.recipients.all():
        if r.reply_kind in ESCALATING_REPLIES or r.verification in ESCALATING_VERIFICATIONS:
            continue
        if not r.reply_kind and opinion.reply_due and issued_on > opinion.reply_due:
            continue  # the period has run out without a reply
        raise ValidationError(
            _("只有在意见书（%(no)s）书面回复期限（%(due)s）届满仍未回复，或用人单位拒绝整改、部分整改的，"
              "才能制发建议书（《中华人民共和国工会法》第二十三条：用人单位拒不改正的，工会可以提请当地"
              "人民政府依法作出处理）。") % {"no": opinion.doc_no, "due": documents.cn_date_text(opinion.reply_due)},
            code="no_ground",
        )


@transaction.atomic
def _issue_letter(
    *,
    actor,
    matter: SupervisionMatter,
    kind: str,
    subject: str,
    facts: str,
    legal_basis: str,
    requirements: str,
    issued_on: datetime.date,
    reply_due: datetime.date | None = None,
    rectification_due: datetime.date | None = None,
    violations: list[dict] | None = None,
    department: Agency | None = None,
    recommended_actions: list[str] | None = None,
    co_issuers: Iterable[Agency] = (),
    cc: str = "",
    contact_person: str = "",
    contact_phone: str = "",
    signatory: str = "",
    employers: list[Employer] | None = None,
    request_reply: bool = True,
    signed_off: bool = False,
    persist: bool = True,
) -> Letter:
    """Issue a 提示函 / 意见书 / 建议书 with the ladder's guards; number, render and freeze it.

    The reply date of a 提示函 / 意见书 is never typed: it is the due date of its clock (D42 /
    D40), started when the letter is issued, computed by the clock service from the local rule.
    A 提示函 asks for a written reply only when `request_reply` (D42 is optional); a 意见书
    always does. `reply_due` is the date asked of the department in a 建议书.

    violations (意见书): dicts with category, facts, evidence, legal_basis, rectification,
    deadline, workers_affected, amount — each is listed in the letter.
    """
    matter = _lock(matter)
    if kind not in K.values:
        raise ValidationError(_("文书类型无效。"), code="kind")
    if not signed_off:  # the chair's sign-off checked its signer; a draft is checked here
        _require_union_supervision_staff(actor, matter.agency)
    step = ISSUE_STEP[kind]
    _check(matter, step)
    if matter.is_campaign and kind != K.REMINDER:
        raise ValidationError(_("集中提示事项只制发提示函；对个别单位请另立监督事项。"), code="campaign")
    subject = _require_text(subject, _("事由"))
    facts = _require_text(facts, _("事实情况"))
    if not (legal_basis or "").strip():
        raise ValidationError(_("文书必须写明法律依据（法律、法规的名称和条款）。"), code="legal_basis")
    legal_basis = legal_basis.strip()
    requirements = _require_text(requirements, {K.REMINDER: _("建议措施"), K.OPINION: _("整改要求"),
                                                K.RECOMMENDATION: _("建议事项")}[kind])
    _not_future(issued_on, _("发文日期"))
    if kind in (K.REMINDER, K.OPINION):
        if reply_due is not None:
            raise ValueError("the reply date of a 提示函/意见书 comes from its clock, never from the caller")
        if kind == K.OPINION or request_reply:
            reply_due = reply_due_for(matter, kind, issued_on)
    _not_before(reply_due, issued_on, _("书面回复期限"), _("发文日期"))
    _not_before(rectification_due, issued_on, _("整改期限"), _("发文日期"))
    issuer = matter.agency
    co_issuers = list(co_issuers)
    for agency in co_issuers:
        if agency.kind not in CO_ISSUER_KINDS:
            raise ValidationError(_("联合发文机关只能是检察院、法院或人社部门：%(a)s") % {"a": agency}, code="co_issuer")

    previous = None
    violation_rows: list[Violation] = []
    if kind == K.REMINDER and matter.conclusion == Conclusion.NO_ISSUE:
        raise ValidationError(_("调查结论为未发现问题，不应制发提示函。"), code="conclusion")
    if kind == K.OPINION:
        if matter.status == S.REMINDER_ISSUED:
            previous = _latest_letter(matter, K.REMINDER)
            _check_escalation(matter, previous, issued_on)
        if not violations:
            raise ValidationError(_("意见书应逐项列明违法事实、法律依据、整改要求和整改期限，至少一项。"),
                                  code="violations")
        for i, data in enumerate(violations, start=1):
            label = _("第%(n)d项违法事项") % {"n": i}
            try:
                category = data.get("category") or ""
                if category not in SupervisionScope.values:
                    raise ValidationError(_("请选择监督事项类别。"), code="category")
                deadline = _require_date(data.get("deadline"), _("整改期限"))
                _not_before(deadline, issued_on, _("整改期限"), _("发文日期"))
                row = Violation(
                    matter=matter, category=category,
                    facts=_require_text(data.get("facts"), _("违法事实")),
                    evidence=(data.get("evidence") or "").strip(),
                    legal_basis=_require_text(data.get("legal_basis"), _("法律依据")),
                    rectification=_require_text(data.get("rectification"), _("整改要求")),
                    deadline=deadline,
                    workers_affected=int(data.get("workers_affected") or 0),
                    amount=_amount(data.get("amount") or 0, _("涉及金额")),
                )
            except ValidationError as exc:
                raise ValidationError(f"{label}：{'；'.join(exc.messages)}", code="violation") from None
            violation_rows.append(row)
        latest_deadline = max(v.deadline for v in violation_rows)
        rectification_due = rectification_due or latest_deadline
    if kind == K.RECOMMENDATION:
        if issuer.level not in rule("RECOMMENDATION_LEVELS"):
            raise ValidationError(
                _("建议书只能由县级以上总工会制发；基层工会应提请上一级总工会制发。"), code="issuer_level",
            )
        previous = _latest_letter(matter, K.OPINION)
        _check_escalation(matter, previous, issued_on)
        _check_recommendation_ground(previous, issued_on)
        if department is None:
            raise ValidationError(_("请选择建议书主送的政府部门。"), code="department")
        if department.kind in (AgencyKind.UNION, AgencyKind.COURT, AgencyKind.PROCURATORATE):
            raise ValidationError(_("建议书应主送同级政府有关部门（如劳动保障监察）。"), code="department")
        if not recommended_actions:
            raise ValidationError(_("请选择建议部门采取的措施。"), code="actions")
        for action in recommended_actions:
            if action not in DepartmentAction.values:
                raise ValidationError(_("建议措施无效。"), code="actions")
        violation_rows = list(previous.violations.all())

    office = office_for(issuer)
    year = issued_on.year
    char = KIND_NUMBER_CHAR[kind]
    template = LetterTemplate.objects.filter(kind=kind).first()
    if template is None:
        raise ValidationError(_("尚未设置%(kind)s的文书模板，请在后台添加。") % {"kind": K(kind).label},
                              code="template")
    # A draft's check or preview takes no number (and writes nothing): the number is given at sign-off.
    number = next_number(f"supervision:{office.doc_prefix}{char}", year) if persist else None
    letter = Letter(
        matter=matter, kind=kind, year=year, number=number,
        doc_no=f"{office.doc_prefix}{char}〔{year}〕{number if persist else '　'}号", issuer=issuer, department=department,
        previous=previous, subject=subject, facts=facts, legal_basis=legal_basis, requirements=requirements,
        recommended_actions=list(recommended_actions or []), reply_due=reply_due,
        rectification_due=rectification_due, contact_person=contact_person or office.contact_person,
        contact_phone=contact_phone or office.contact_phone, cc=cc,
        signatory=signatory or office.signatory, issued_on=issued_on, issued_by=actor, template=template,
    )
    letter._co_issuers = co_issuers
    if kind == K.RECOMMENDATION:
        recipients = [LetterRecipient(agency=department, name=department.name)]
    elif employers is not None:
        recipients = [_recipient_from_employer(e) for e in employers]
    else:
        recipients = [_recipient_from_employer(matter.employer)]
    if not recipients:
        raise ValidationError(_("请选择受文单位。"), code="recipients")
    try:
        text = documents.render_text(template.source, _letter_context(
            letter, matter=matter, office=office, recipients=recipients, violations=violation_rows))
    except documents.LetterRenderError as exc:
        raise ValidationError(str(exc), code="template") from exc
    letter.rendered_text = text
    letter.content_sha256 = documents.sha256_text(text)
    if not persist:
        return letter
    for v in violation_rows:
        if v.pk is None:
            v.save()
    letter.save()
    letter.co_issuers.set(co_issuers)
    letter.violations.set(violation_rows)
    for r in recipients:
        r.letter = letter
        r.save()
    if kind == K.RECOMMENDATION:
        matter_grant_access(matter, department)
    elif letter.reply_due:
        # The reply clock runs from the letter's date; the date it prints is the clock's due date.
        for r in recipients:
            for clock in _emit(ISSUED_EVENT[kind], subject=r, on=issued_on, matter=matter, actor=actor):
                assert clock.due_on == letter.reply_due, (clock.due_on, letter.reply_due)
    _move(matter, step, actor=actor,
          summary=_("制发%(kind)s %(no)s") % {"kind": letter.get_kind_display(), "no": letter.doc_no},
          changes={"letter": [None, letter.doc_no], "sha256": [None, letter.content_sha256]},
          visible_to_partners=kind == K.RECOMMENDATION)
    return letter


# ---------------------------------------------------------------- draft → sign-off → issue

class SignOff(StrEnum):
    """The outcome of the chair's sign-off, on which the flow routes."""

    ISSUED = "issued"
    RETURNED = "returned"


def _payload(fields: dict) -> dict:
    """The draft's fields as plain JSON (agencies and employers by id, dates as ISO text)."""
    out = {k: v for k, v in fields.items() if v not in (None, "", [], ())}
    for key in ("co_issuers", "employers"):
        if key in out:
            out[key] = [a.pk for a in out[key]]
    if "department" in out:
        out["department"] = out["department"].pk
    for key in ("reply_due", "rectification_due"):
        if key in out:
            out[key] = out[key].isoformat()
    if "violations" in out:
        out["violations"] = [
            {k: (v.isoformat() if isinstance(v, datetime.date) else str(v) if isinstance(v, Decimal) else v)
             for k, v in row.items()} for row in out["violations"]
        ]
    if "recommended_actions" in out:
        out["recommended_actions"] = [str(a) for a in out["recommended_actions"]]
    return out


def _fields(payload: dict) -> dict:
    out = dict(payload)
    if "co_issuers" in out:
        out["co_issuers"] = list(Agency.objects.filter(pk__in=out["co_issuers"]).order_by("pk"))
    if "employers" in out:
        out["employers"] = list(Employer.objects.filter(pk__in=out["employers"]).order_by("name"))
    if "department" in out:
        out["department"] = Agency.objects.get(pk=out["department"])
    for key in ("reply_due", "rectification_due"):
        if key in out:
            out[key] = datetime.date.fromisoformat(out[key])
    if "violations" in out:
        out["violations"] = [
            {**row, "deadline": datetime.date.fromisoformat(row["deadline"]) if row.get("deadline") else None}
            for row in out["violations"]
        ]
    return out


def pending_draft(matter: SupervisionMatter, kind: str | None = None) -> LetterDraft | None:
    qs = matter.drafts.filter(state=DraftState.PENDING)
    return (qs.filter(kind=kind) if kind else qs).order_by("-id").first()


def latest_draft(matter: SupervisionMatter, kind: str) -> LetterDraft | None:
    return matter.drafts.filter(kind=kind).order_by("-id").first()


@transaction.atomic
def letter_draft(*, actor, matter: SupervisionMatter, kind: str, **fields) -> LetterDraft:
    """The labor-law supervisor drafts a 提示函 / 意见书 / 建议书 for the chair's sign-off.

    Every guard of the issue (ladder, 建议书 ground, legal basis, violations, template) is
    checked now by a dry run of the issue (no number taken, nothing written), so that the chair signs a letter
    that can be issued. The letter is dated, numbered and signed when the chair signs it off;
    `issued_on` here is only the date the dry run assumes (default: today)."""
    matter = _lock(matter)
    _require_union_supervision_staff(actor, matter.agency)
    planned_on = fields.pop("issued_on", None) or timezone.localdate()
    fields.pop("signatory", None)
    if kind not in K.values:
        raise ValidationError(_("文书类型无效。"), code="kind")
    if pending_draft(matter) is not None:
        raise ValidationError(_("该事项已有待签发的文书，请等待工会主席或副主席审签。"), code="pending")
    _issue_letter(actor=actor, matter=matter, kind=kind, issued_on=planned_on, persist=False, **fields)
    draft = LetterDraft.objects.create(matter=matter, kind=kind, subject=fields["subject"].strip(),
                                       payload=_payload(fields), drafted_by=actor)
    record_event(matter, actor=actor, action="matter.letter_drafted",
                 summary=_("拟制%(kind)s（%(subject)s），报工会主席或副主席签发")
                 % {"kind": K(kind).label, "subject": draft.subject},
                 changes={"draft": [None, draft.pk]})
    return draft


def draft_preview(draft: LetterDraft, *, signer) -> tuple[str, list[str]]:
    """The text the letter would have if `signer` signed it off today — the date, the reply date of
    its clock and the signatory included; the number is left blank until the sign-off gives it.
    Nothing is written. Returns (text, []) or ("", the refusals) when it could not be issued today."""
    staff = _staff(signer)
    try:
        with transaction.atomic():
            letter = _issue_letter(actor=signer, matter=draft.matter, kind=draft.kind,
                                   issued_on=timezone.localdate(), signatory=staff.full_name if staff else "",
                                   signed_off=True, persist=False, **_fields(draft.payload))
    except ValidationError as exc:
        return "", exc.messages
    return letter.rendered_text, []


@transaction.atomic
def letter_sign_off(*, actor, draft: LetterDraft, approve: bool, reason: str = "",
                    issued_on: datetime.date | None = None) -> SignOff:
    """签发: the issuing union's chair or vice-chair approves the draft — it is then numbered,
    dated, rendered and frozen with the chair as signatory — or returns it with the reason."""
    draft = LetterDraft.objects.select_for_update().select_related("matter__agency").get(pk=draft.pk)
    matter = draft.matter
    if not permissions.may_sign_off(actor, matter):
        raise ValidationError(_("文书须由%(agency)s的工会主席或副主席签发。") % {"agency": matter.agency},
                              code="forbidden")
    if draft.state != DraftState.PENDING:
        raise ValidationError(_("该文书已审签（%(state)s），不能重复处理。") % {"state": draft.get_state_display()},
                              code="reviewed")
    draft.reviewed_by, draft.reviewed_at = actor, timezone.now()
    if not approve:
        draft.return_reason = _require_text(reason, _("退回理由"))
        draft.state = DraftState.RETURNED
        draft.save()
        record_event(matter, actor=actor, action="matter.letter_returned",
                     summary=_("%(kind)s退回修改：%(reason)s") % {"kind": draft.get_kind_display(),
                                                               "reason": draft.return_reason[:100]},
                     changes={"draft": [draft.pk, DraftState.RETURNED]})
        return SignOff.RETURNED
    issued_on = issued_on or timezone.localdate()
    letter = _issue_letter(actor=actor, matter=matter, kind=draft.kind, issued_on=issued_on,
                           signatory=actor.staff.full_name, signed_off=True, **_fields(draft.payload))
    draft.state, draft.letter = DraftState.ISSUED, letter
    draft.save()
    return SignOff.ISSUED


@transaction.atomic
def reminder_campaign_draft(
    *,
    actor,
    title: str,
    county: str,
    industry: str,
    subject: str,
    facts: str,
    legal_basis: str,
    requirements: str,
    issued_on: datetime.date | None = None,
    request_reply: bool = False,
    employers: Iterable[Employer] | None = None,
    co_issuers: Iterable[Agency] = (),
    agency: Agency | None = None,
) -> LetterDraft:
    """One 提示函 published to many employers of a county and industry (e.g. before the Spring Festival):
    the matter is opened and the letter drafted; it is issued when the chair signs it off."""
    staff = _staff(actor)
    agency = agency or (staff.agency if staff else None)
    if agency is None or not agency.is_union:
        raise ValidationError(_("集中提示只能由工会发起。"), code="agency")
    _require_union_supervision_staff(actor, agency)
    if not agency.is_city and county != agency.county:
        raise ValidationError(_("只能向本县区的用人单位集中发函。"), code="county")
    title = _require_text(title, _("事项名称"))
    if employers is None:
        employers = Employer.objects.filter(county=county, industry=industry).order_by("name")
    employers = list(employers)
    if not employers:
        raise ValidationError(_("所选县区和行业没有用人单位，请调整范围。"), code="recipients")
    year = timezone.localdate().year
    number = next_number(f"supervision:{agency.pk}:matter", year)
    matter = SupervisionMatter.objects.create(
        matter_no=f"{office_for(agency).doc_prefix}案〔{year}〕{number}号", year=year, agency=agency,
        county=county, title=title, is_campaign=True, scope_industry=industry, source=ClueSource.CAMPAIGN,
        clue=facts, status=S.INVESTIGATING, conclusion=Conclusion.RISK, created_by=actor,
    )
    record_event(matter, actor=actor, action="matter.registered",
                 summary=_("发起集中提示：%(title)s（%(n)d家用人单位）") % {"title": title, "n": len(employers)},
                 changes={"status": [None, matter.status]})
    return letter_draft(
        actor=actor, matter=matter, kind=K.REMINDER, subject=subject, facts=facts, legal_basis=legal_basis,
        requirements=requirements, request_reply=request_reply, co_issuers=co_issuers, employers=employers,
        issued_on=issued_on,
    )


@transaction.atomic
def letter_delivery_record(
    *,
    actor,
    recipient: LetterRecipient,
    method: str,
    delivered_on: datetime.date,
    receipt: str,
) -> LetterRecipient:
    """送达 with its receipt (送达回执); starts the department's clock of a 建议书 (D41)."""
    recipient = LetterRecipient.objects.select_related("letter__matter").get(pk=recipient.pk)
    letter = recipient.letter
    matter = _lock(letter.matter)
    _require_union_supervision_staff(actor, matter.agency)
    _check(matter, "deliver")
    if recipient.is_delivered:
        raise ValidationError(_("%(name)s的送达已登记，不能重复登记。") % {"name": recipient.name}, code="delivered")
    if method not in DeliveryMethod.values:
        raise ValidationError(_("请选择送达方式。"), code="method")
    _not_future(delivered_on, _("送达日期"))
    _not_before(delivered_on, letter.issued_on, _("送达日期"), _("发文日期"))
    receipt = _require_text(receipt, _("送达回执（签收人或回执编号）"))
    recipient.delivery_method, recipient.delivered_on, recipient.receipt = method, delivered_on, receipt
    recipient.save()
    if letter.kind == K.RECOMMENDATION:
        # D41 runs from the department's receipt; D40 / D42 started when the letter was issued.
        _emit(Event.RECOMMENDATION_DELIVERED, subject=recipient, on=delivered_on, matter=matter, actor=actor,
              agency=recipient.agency or matter.agency)
    _move(matter, "deliver", actor=actor,
          summary=_("%(no)s已送达%(name)s（%(method)s，%(day)s）")
          % {"no": letter.doc_no, "name": recipient.name, "method": recipient.get_delivery_method_display(),
             "day": documents.cn_date_text(delivered_on)},
          changes={"delivered_on": [None, delivered_on], "receipt": ["", receipt]},
          visible_to_partners=letter.kind == K.RECOMMENDATION)
    return recipient


@transaction.atomic
def letter_reply_record(
    *,
    actor,
    recipient: LetterRecipient,
    reply_kind: str,
    replied_on: datetime.date | None,
    reply_content: str,
    verification: str,
    verified_on: datetime.date,
    verification_note: str = "",
    amount_recovered=0,
    workers_covered: int = 0,
) -> LetterRecipient:
    """The employer's written reply (or its absence) and the union's verification.

    When every recipient is verified as rectified, the matter closes as CLOSED_RECTIFIED.
    """
    recipient = LetterRecipient.objects.select_related("letter__matter").get(pk=recipient.pk)
    letter = recipient.letter
    matter = _lock(letter.matter)
    _require_union_supervision_staff(actor, matter.agency)
    _check(matter, "reply")
    if letter.kind == K.RECOMMENDATION:
        raise ValidationError(_("建议书由主送部门反馈办理情况。"), code="kind")
    if not recipient.is_delivered:
        raise ValidationError(_("请先登记%(no)s的送达情况。") % {"no": letter.doc_no}, code="not_delivered")
    if recipient.reply_kind:
        raise ValidationError(_("%(name)s的回复已登记。") % {"name": recipient.name}, code="replied")
    if reply_kind not in ReplyKind.values:
        raise ValidationError(_("请选择回复情况。"), code="reply_kind")
    if verification not in Verification.values:
        raise ValidationError(_("请选择核查结果。"), code="verification")
    _not_future(verified_on, _("核查日期"))
    _not_before(verified_on, recipient.delivered_on, _("核查日期"), _("送达日期"))
    if reply_kind == ReplyKind.NO_REPLY:
        replied_on, reply_content = None, (reply_content or "").strip()
        if letter.reply_due and verified_on <= letter.reply_due:
            raise ValidationError(
                _("书面回复期限（%(due)s）尚未届满，不能登记为逾期未回复。")
                % {"due": documents.cn_date_text(letter.reply_due)}, code="not_due",
            )
    else:
        _not_future(replied_on, _("回复日期"))
        _not_before(replied_on, recipient.delivered_on, _("回复日期"), _("送达日期"))
        reply_content = _require_text(reply_content, _("回复内容"))
    recipient.reply_kind, recipient.replied_on, recipient.reply_content = reply_kind, replied_on, reply_content
    recipient.verification, recipient.verified_on = verification, verified_on
    recipient.verification_note = verification_note
    recipient.save()
    # The clock itself decides met / missed from its due date (a 提示函 without a reply date has none).
    _emit(ANSWERED_EVENT[letter.kind], subject=recipient, on=replied_on or verified_on, matter=matter, actor=actor)
    if verification == Verification.RECTIFIED:
        letter.violations.update(rectified=True, verified_on=verified_on, verification_note=verification_note)
    changes = {"reply_kind": ["", reply_kind], "verification": ["", verification]}
    target = None
    others = letter.recipients.exclude(pk=recipient.pk)
    if verification == Verification.RECTIFIED and not others.exclude(verification=Verification.RECTIFIED).exists():
        target = S.CLOSED_RECTIFIED
        matter.closed_on = verified_on
        matter.closing_note = verification_note or reply_content
        matter.amount_recovered += _amount(amount_recovered or 0, _("追回金额"))
        matter.workers_covered += int(workers_covered or 0)
    _move(matter, "reply", actor=actor, target=target, changes=changes,
          summary=_("%(name)s对%(no)s：%(reply)s；核查：%(ver)s")
          % {"name": recipient.name, "no": letter.doc_no, "reply": recipient.get_reply_kind_display(),
             "ver": recipient.get_verification_display()})
    return recipient


# ---------------------------------------------------------------- the department (建议书)

def _recommendation(matter: SupervisionMatter) -> Letter:
    letter = _latest_letter(matter, K.RECOMMENDATION)
    if letter is None:
        raise ValidationError(_("该事项尚未制发建议书。"), code="no_recommendation")
    return letter


@transaction.atomic
def department_filing_record(
    *,
    actor,
    letter: Letter,
    decision: str,
    decided_on: datetime.date,
    filing_no: str = "",
    refusal_reason: str = "",
) -> DepartmentHandling:
    """The addressed department decides: 立案 with its filing number, or a written refusal (D41)."""
    matter = _lock(letter.matter)
    _require_staff_of(actor, letter.department, _("登记建议书办理情况"))
    _check(matter, "dept_file")
    recipient = letter.recipients.get()
    if not recipient.is_delivered:
        raise ValidationError(_("建议书尚未登记送达。"), code="not_delivered")
    if hasattr(letter, "handling"):
        raise ValidationError(_("立案决定已登记。"), code="decided")
    _not_future(decided_on, _("决定日期"))
    _not_before(decided_on, recipient.delivered_on, _("决定日期"), _("建议书送达日期"))
    if decision == DepartmentDecision.FILED:
        filing_no = _require_text(filing_no, _("立案编号"))
        refusal_reason, target = "", S.DEPT_FILED
    elif decision == DepartmentDecision.DECLINED:
        refusal_reason = _require_text(refusal_reason, _("不予立案的书面理由"))
        filing_no, target = "", S.DEPT_DECLINED
    else:
        raise ValidationError(_("请选择立案决定。"), code="decision")
    handling = DepartmentHandling.objects.create(
        letter=letter, agency=letter.department, decision=decision, decided_on=decided_on,
        filing_no=filing_no, refusal_reason=refusal_reason, recorded_by=actor,
    )
    _emit(Event.RECOMMENDATION_DECIDED, subject=recipient, on=decided_on, matter=matter, actor=actor)
    label = DepartmentDecision(decision).label
    _move(matter, "dept_file", actor=actor, target=target, visible_to_partners=True,
          changes={"decision": ["", decision], "filing_no": ["", filing_no]},
          summary=_("%(dept)s对%(no)s：%(d)s %(f)s") % {"dept": letter.department, "no": letter.doc_no,
                                                       "d": label, "f": filing_no or refusal_reason[:60]})
    return handling


@transaction.atomic
def department_result_record(
    *,
    actor,
    letter: Letter,
    result: str,
    result_on: datetime.date,
    result_doc_no: str = "",
    result_note: str = "",
) -> DepartmentHandling:
    """The department reports its result to the union (责令改正 / 处罚 / …)."""
    matter = _lock(letter.matter)
    _require_staff_of(actor, letter.department, _("登记处理结果"))
    _check(matter, "dept_result")
    handling = DepartmentHandling.objects.select_for_update().get(letter=letter)
    if result not in DepartmentResult.values:
        raise ValidationError(_("请选择处理结果。"), code="result")
    _not_future(result_on, _("处理日期"))
    _not_before(result_on, handling.decided_on, _("处理日期"), _("立案日期"))
    handling.result, handling.result_on = result, result_on
    handling.result_doc_no = result_doc_no.strip()
    handling.result_note = _require_text(result_note, _("处理情况"))
    handling.save()
    _move(matter, "dept_result", actor=actor, visible_to_partners=True,
          changes={"result": ["", result]},
          summary=_("%(dept)s处理结果：%(r)s %(doc)s") % {"dept": letter.department,
                                                        "r": handling.get_result_display(), "doc": result_doc_no})
    return handling


@transaction.atomic
def matter_verify_and_close(
    *,
    actor,
    matter: SupervisionMatter,
    verification: str,
    verified_on: datetime.date,
    note: str,
    amount_recovered=0,
    workers_covered: int = 0,
) -> SupervisionMatter:
    """工会复核: after the department's result the union checks the rectification and closes."""
    matter = _lock(matter)
    _require_union_supervision_staff(actor, matter.agency)
    _check(matter, "verify")
    if verification not in Verification.values:
        raise ValidationError(_("请选择复核结果。"), code="verification")
    letter = _recommendation(matter)
    _not_future(verified_on, _("复核日期"))
    _not_before(verified_on, letter.handling.result_on, _("复核日期"), _("部门处理日期"))
    note = _require_text(note, _("复核情况"))
    if verification == Verification.RECTIFIED:
        target = S.CLOSED_RECTIFIED
        matter.violations.update(rectified=True, verified_on=verified_on, verification_note=note)
    else:
        target = S.CLOSED_ESCALATION_FAILED
    matter.closed_on, matter.closing_note = verified_on, note
    matter.amount_recovered += _amount(amount_recovered or 0, _("追回金额"))
    matter.workers_covered += int(workers_covered or 0)
    _move(matter, "verify", actor=actor, target=target, visible_to_partners=True,
          changes={"verification": ["", verification]},
          summary=_("工会复核：%(v)s，结案") % {"v": Verification(verification).label})
    return matter


@transaction.atomic
def matter_close_declined(*, actor, matter: SupervisionMatter, closed_on: datetime.date, note: str) -> SupervisionMatter:
    """The department declined in writing: the union closes the escalation as failed (or opens a new matter)."""
    matter = _lock(matter)
    _require_union_supervision_staff(actor, matter.agency)
    _check(matter, "close_declined")
    _not_future(closed_on, _("结案日期"))
    matter.closed_on, matter.closing_note = closed_on, _require_text(note, _("结案说明"))
    return _move(matter, "close_declined", actor=actor, visible_to_partners=True)


# ---------------------------------------------------------------- procuratorate (D28)

@transaction.atomic
def procuratorate_refer(
    *,
    actor,
    matter: SupervisionMatter,
    agency: Agency,
    sent_on: datetime.date,
    grounds: list[str],
    note: str,
) -> ProcuratorateReferral:
    """Pass the matter to the procuratorate as a clue (2024 SPP–ACFTU notice), at any state."""
    matter = _lock(matter)
    _require_union_supervision_staff(actor, matter.agency)
    _check(matter, "refer")
    if matter.agency.level not in rule("REFERRAL_LEVELS"):
        raise ValidationError(_("只有县级以上总工会可以向检察院移送线索。"), code="issuer_level")
    if agency.kind != AgencyKind.PROCURATORATE:
        raise ValidationError(_("线索只能移送检察院。"), code="agency")
    if not grounds or any(g not in ReferralGround.values for g in grounds):
        raise ValidationError(_("请选择移送情形。"), code="grounds")
    _not_future(sent_on, _("移送日期"))
    referral = ProcuratorateReferral.objects.create(
        matter=matter, agency=agency, sent_on=sent_on, grounds=list(grounds),
        note=_require_text(note, _("移送说明")), sent_by=actor,
    )
    matter_grant_access(matter, agency)
    _move(matter, "refer", actor=actor, visible_to_partners=True,
          changes={"referral": [None, str(agency)]},
          summary=_("向%(a)s移送线索") % {"a": agency})
    return referral


@transaction.atomic
def procuratorate_feedback_record(
    *,
    actor,
    referral: ProcuratorateReferral,
    action: str,
    closed_on: datetime.date,
    feedback: str,
    feedback_on: datetime.date,
) -> ProcuratorateReferral:
    """The procuratorate's handling and its feedback to the union (D28: within 5 days of closing)."""
    referral = ProcuratorateReferral.objects.select_for_update().get(pk=referral.pk)
    matter = _lock(referral.matter)
    _require_staff_of(actor, referral.agency, _("反馈线索办理情况"))
    if referral.feedback_on:
        raise ValidationError(_("该线索的反馈已登记。"), code="done")
    if action not in ProcuratorateAction.values:
        raise ValidationError(_("请选择检察院处理方式。"), code="action")
    _not_future(closed_on, _("办结日期"))
    _not_future(feedback_on, _("反馈日期"))
    _not_before(closed_on, referral.sent_on, _("办结日期"), _("移送日期"))
    _not_before(feedback_on, closed_on, _("反馈日期"), _("办结日期"))
    referral.action, referral.closed_on, referral.feedback_on = action, closed_on, feedback_on
    referral.feedback = _require_text(feedback, _("反馈内容"))
    referral.save()
    _emit(Event.CLUE_CLOSED, subject=referral, on=closed_on, matter=matter, actor=actor, agency=referral.agency)
    _emit(Event.CLUE_FED_BACK, subject=referral, on=feedback_on, matter=matter, actor=actor)
    record_event(matter, actor=actor, action="matter.procuratorate_feedback", visible_to_partners=True,
                 changes={"action": ["", action]},
                 summary=_("%(a)s反馈：%(act)s") % {"a": referral.agency, "act": referral.get_action_display()})
    return referral


# ---------------------------------------------------------------- links to mediation cases

def _link(*, matter: SupervisionMatter, case, direction: str, actor) -> MatterCaseLink:
    link, created = MatterCaseLink.objects.get_or_create(
        matter=matter, case=case, defaults={"direction": direction, "created_by": actor},
    )
    if created:
        record_event(matter, actor=actor, action="matter.link_case",
                     summary=_("关联调解案件 %(no)s（%(d)s）") % {"no": case.case_no, "d": link.get_direction_display()},
                     changes={"case": [None, case.case_no]})
    return link


@transaction.atomic
def matter_link_case(*, actor, matter: SupervisionMatter, case, direction: str) -> MatterCaseLink:
    matter = _lock(matter)
    _require_union_supervision_staff(actor, matter.agency)
    if direction not in LinkDirection.values:
        raise ValidationError(_("关联方式无效。"), code="direction")
    if case.county != matter.county and not matter.agency.is_city:
        raise ValidationError(_("只能关联本县区的调解案件。"), code="county")
    return _link(matter=matter, case=case, direction=direction, actor=actor)


@transaction.atomic
def matter_spawn_case(
    *,
    actor,
    matter: SupervisionMatter,
    worker: dict,
    claims: list[dict],
    facts: str,
    received_on: datetime.date,
    agency: Agency | None = None,
    register=None,
):
    """Rectification needs back-pay for one worker: open a mediation case (DOMAIN §4.5).

    Uses the case area's own registration service (mediation.cases.services.case_register), so
    the case gets its number, clocks and log; callers that run flows pass `register` =
    workflows.services.case_open so that the case's own flow starts too.
    """
    from mediation.cases.models import Channel
    from mediation.cases.services import case_register

    register = register or case_register
    matter = _lock(matter)
    _require_union_supervision_staff(actor, matter.agency)
    if matter.employer is None:
        raise ValidationError(_("集中提示事项不能直接引出个案，请先对具体用人单位立项。"), code="campaign")
    agency = agency or matter.agency
    case = register(
        actor=actor, agency=agency, channel=Channel.UNION_PROACTIVE,
        title=_("%(employer)s %(name)s劳动争议（监督事项%(no)s引出）")
        % {"employer": matter.employer.name, "name": worker.get("name", ""), "no": matter.matter_no},
        facts=facts, county=matter.county, received_on=received_on, workers=[worker],
        respondents=[{"employer": matter.employer, "role": "EMPLOYER"}], claims=claims,
        industry=matter.employer.industry, source_ref=matter.matter_no,
    )
    _link(matter=matter, case=case, direction=LinkDirection.MATTER_SPAWNED_CASE, actor=actor)
    return case


def inspection_agency_for(matter: SupervisionMatter) -> Agency | None:
    """The default department for a 建议书: labor inspection of the matter's county (else the city's)."""
    qs = Agency.objects.filter(kind=AgencyKind.HRSS, unit=AgencyUnit.INSPECTION)
    return qs.filter(county=matter.county).first() or qs.filter(level=AgencyLevel.CITY).first()


def procuratorate_for(matter: SupervisionMatter) -> Agency | None:
    qs = Agency.objects.filter(kind=AgencyKind.PROCURATORATE, unit=AgencyUnit.MAIN)
    return qs.filter(county=matter.county).first() or qs.filter(level=AgencyLevel.CITY).first()
