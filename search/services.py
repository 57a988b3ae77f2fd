"""Writes of the typical-case library: the pipeline of DOMAIN §2.6.

NOMINATED → DRAFTING → DEIDENTIFIED → UNDER_REVIEW → PUBLISHED, or REJECTED /
UNPUBLISHED. Every write runs in one transaction that locks the row, bumps
`version`, keeps a TypicalCaseVersion snapshot, appends a TypicalCaseEvent and
queues indexing after commit. Permissions: search.permissions.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mediation.cases.models import (
    CaseStatus,
    ClosingCode,
    EmploymentForm,
    ReferralKind,
    RequestKind,
)
from mediation.lib.templatetags.concord import format_date
from parties.models import AgencyKind, AgencyUnit, County, Industry

from . import deidentify, permissions
from .models import (
    DEIDENTIFICATION_CHECKLIST,
    EmployerPolicy,
    PartnerAgency,
    Topic,
    TypicalCase,
    TypicalCaseEvent,
    TypicalCaseStatus,
    TypicalCaseVersion,
    label_of,
)
from .tasks import queue_alerts, queue_index

S = TypicalCaseStatus

# The pipeline as data: action → (states it may start from, state it leads to).
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "draft": (frozenset({S.NOMINATED}), S.DRAFTING),
    "deidentify": (frozenset({S.NOMINATED, S.DRAFTING, S.DEIDENTIFIED}), S.DEIDENTIFIED),
    "submit": (frozenset({S.DEIDENTIFIED}), S.UNDER_REVIEW),
    "return": (frozenset({S.UNDER_REVIEW}), S.DRAFTING),
    "publish": (frozenset({S.UNDER_REVIEW, S.UNPUBLISHED}), S.PUBLISHED),
    "reject": (frozenset({S.NOMINATED, S.DRAFTING, S.DEIDENTIFIED, S.UNDER_REVIEW}), S.REJECTED),
    "unpublish": (frozenset({S.PUBLISHED}), S.UNPUBLISHED),
}

EDITABLE_FIELDS = (
    "title", "county", "year", "dispute_type", "tags", "agencies", "channel", "outcome", "amount_yuan",
    "workers_count", "summary", "handling", "significance", "legal_basis",
)
CLOSED_CASE_STATUSES = (CaseStatus.CLOSED, CaseStatus.ARCHIVED)

# Closing code → agencies that took part and legal tools used (tags), for pre-filling.
_OUTCOME_AGENCIES = {
    ClosingCode.SUCCESS_JUDICIAL_CONFIRMED: [PartnerAgency.COURT],
    ClosingCode.SUCCESS_PAYMENT_ORDER: [PartnerAgency.COURT],
    ClosingCode.SUCCESS_ARB_REVIEWED: [PartnerAgency.ARBITRATION],
    ClosingCode.FAILED_TO_ARBITRATION: [PartnerAgency.ARBITRATION],
    ClosingCode.FAILED_TO_LITIGATION_LEGAL_AID: [PartnerAgency.JUSTICE],
    ClosingCode.FAILED_TO_LITIGATION_PROCURATORATE: [PartnerAgency.PROCURATORATE],
    ClosingCode.REFERRED_INSPECTION: [PartnerAgency.INSPECTION],
}
_OUTCOME_TOOLS = {
    ClosingCode.SUCCESS_JUDICIAL_CONFIRMED: "司法确认",
    ClosingCode.SUCCESS_PAYMENT_ORDER: "支付令",
    ClosingCode.SUCCESS_ARB_REVIEWED: "仲裁审查确认",
    ClosingCode.FAILED_TO_LITIGATION_LEGAL_AID: "法律援助",
    ClosingCode.FAILED_TO_LITIGATION_PROCURATORATE: "支持起诉",
    ClosingCode.SUPERVISION_RECTIFIED: "一函两书",
}
_REFERRAL_AGENCIES = {
    ReferralKind.ARBITRATION: PartnerAgency.ARBITRATION,
    ReferralKind.LEGAL_AID: PartnerAgency.JUSTICE,
    ReferralKind.SUPPORT_PROSECUTION: PartnerAgency.PROCURATORATE,
    ReferralKind.INSPECTION: PartnerAgency.INSPECTION,
}
_REQUEST_AGENCIES = {
    RequestKind.JUDICIAL_CONFIRMATION: PartnerAgency.COURT,
    RequestKind.PAYMENT_ORDER: PartnerAgency.COURT,
    RequestKind.ARBITRAL_REVIEW: PartnerAgency.ARBITRATION,
}


def _agency_code(agency) -> str | None:
    """The controlled agency label of a parties.Agency (its unit first: 仲裁院 is 仲裁委)."""
    if agency is None:
        return None
    unit_map = {AgencyUnit.ARBITRATION: PartnerAgency.ARBITRATION, AgencyUnit.INSPECTION: PartnerAgency.INSPECTION,
                AgencyUnit.LEGAL_AID: PartnerAgency.JUSTICE}
    if agency.unit in unit_map:
        return unit_map[agency.unit]
    return {AgencyKind.UNION: PartnerAgency.UNION, AgencyKind.COURT: PartnerAgency.COURT,
            AgencyKind.PROCURATORATE: PartnerAgency.PROCURATORATE, AgencyKind.JUSTICE: PartnerAgency.JUSTICE,
            AgencyKind.HRSS: PartnerAgency.HRSS}.get(agency.kind)


# --- helpers ---------------------------------------------------------------------------------


def _transition(tc: TypicalCase, action: str) -> str:
    sources, target = TRANSITIONS[action]
    if tc.status not in sources:
        raise ValidationError(
            _("当前状态“%(status)s”下不能执行此操作。") % {"status": tc.get_status_display()}, code="state"
        )
    return target


def _lock(typical_case_id: int) -> TypicalCase:
    return TypicalCase.objects.select_for_update().get(pk=typical_case_id)


def _record(tc: TypicalCase, *, user, action: str, from_status: str, summary: str = "",
            changes: dict | None = None, created: bool = False, topics: list | None = None) -> None:
    """Bump the version, keep the snapshot, write the audit event, queue indexing."""
    if not created:
        tc.version += 1
    tc.save()
    if topics is not None:
        tc.topics.set(topics)
    staff = permissions.staff_of(user)
    TypicalCaseVersion.objects.create(
        typical_case=tc, version=tc.version, status=tc.status, snapshot=tc.snapshot(), action=action,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    TypicalCaseEvent.objects.create(
        typical_case=tc, actor=user if getattr(user, "is_authenticated", False) else None,
        agency=staff.agency if staff else None, action=action, from_status=from_status, to_status=tc.status,
        summary=summary[:300], changes=changes or {},
    )
    queue_index([tc.pk])


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("您没有执行此操作的权限。"))


def _clean_topics(values: dict) -> list[Topic] | None:
    """The topics (专题) of the edit, or None when the edit does not touch them."""
    if "topics" not in values:
        return None
    wanted = [int(v) if not isinstance(v, Topic) else v.pk for v in (values["topics"] or [])]
    topics = list(Topic.objects.filter(pk__in=wanted))
    if len(topics) != len(set(wanted)):
        raise ValidationError({"topics": _("无法识别的专题。")})
    return topics


def _clean_values(values: dict) -> dict:
    """Validate edited fields (the model's own validators plus list fields)."""
    out = {}
    for name in EDITABLE_FIELDS:
        if name not in values:
            continue
        value = values[name]
        if name in ("tags", "agencies"):
            value = [str(v).strip() for v in (value or []) if str(v).strip()]
            if name == "agencies":
                bad = [v for v in value if v not in PartnerAgency.values]
                if bad:
                    raise ValidationError({name: _("无法识别的机构：%(v)s") % {"v": "、".join(bad)}})
            value = list(dict.fromkeys(value))
        elif name == "amount_yuan":
            value = Decimal(str(value or 0))
        elif isinstance(value, str):
            value = value.strip()
        out[name] = value
    return out


def _ensure_identity_free(tc: TypicalCase) -> None:
    clash = TypicalCase.objects.filter(title=tc.title, county=tc.county, year=tc.year).exclude(pk=tc.pk)
    if clash.exists():
        raise ValidationError({"title": _("同一县区、同一年度已有同名典型案例，请修改标题。")})


# --- nominate and write ----------------------------------------------------------------------


def prefill_from_case(case) -> dict:
    """Draft fields taken from a closed mediation case (DOMAIN §5.7)."""
    claims = list(case.claims.all())
    by_amount: Counter = Counter()
    for claim in claims:
        by_amount[claim.dispute_type] += float(claim.amount_claimed or 0) + 1  # +1: count ties by number
    dispute_type = by_amount.most_common(1)[0][0] if by_amount else ""
    agreement = getattr(case, "agreement", None)  # RelatedObjectDoesNotExist is an AttributeError
    if agreement is not None:
        amount = agreement.amount_total
    else:
        amount = sum(((c.amount_agreed if c.amount_agreed is not None else c.amount_claimed) for c in claims),
                     Decimal("0"))
    agencies = [PartnerAgency.UNION]
    agencies += _OUTCOME_AGENCIES.get(case.closing_code, [])
    agencies += [_REFERRAL_AGENCIES[r.kind] for r in case.referrals.all() if r.kind in _REFERRAL_AGENCIES]
    agencies += [_REQUEST_AGENCIES[r.kind] for r in case.confirmation_requests.all() if r.kind in _REQUEST_AGENCIES]
    source_code = _agency_code(case.source_agency) if case.source_agency_id else None
    if source_code:
        agencies.append(source_code)
    tags = list(dict.fromkeys(c.subtype for c in claims if c.subtype))
    if case.employment_form != EmploymentForm.STANDARD:
        tags.append(label_of(EmploymentForm, case.employment_form))
    if case.industry != Industry.OTHER:
        tags.append(label_of(Industry, case.industry))
    if case.closing_code in _OUTCOME_TOOLS:
        tags.append(_OUTCOME_TOOLS[case.closing_code])
    if case.is_collective:
        tags.append("集体争议")
    handling_lines = []
    for session in case.sessions.all():
        line = f"{format_date(session.held_at)}，{session.get_form_display()}：{session.points_in_dispute}"
        if session.result:
            line += f"。{session.result}"
        handling_lines.append(line)
    if agreement is not None:
        handling_lines.append(_("双方达成调解协议：%(terms)s") % {"terms": agreement.terms})
    county_label = label_of(County, case.county)
    title = case.title if case.title.startswith(county_label) else f"{county_label}{case.title}"
    if not title.endswith("案"):
        title += "案"
    return {
        "title": title[:200],
        "county": case.county,
        "year": case.closed_on.year if case.closed_on else case.year,
        "dispute_type": dispute_type,
        "tags": list(dict.fromkeys(tags)),
        "agencies": list(dict.fromkeys(agencies)),
        "channel": case.channel,
        "outcome": case.closing_code,
        "amount_yuan": amount,
        "workers_count": case.workers_count or case.case_workers.count() or 1,
        "summary": case.facts,
        "handling": "\n".join(handling_lines),
        "significance": "",
        "legal_basis": "",
    }


@transaction.atomic
def typical_case_nominate(*, user, case_id: int) -> TypicalCase:
    """Nominate a closed mediation case; its fields are pre-filled from the case file."""
    from mediation.cases.selectors import case_get_for_user

    _require(permissions.can_nominate(user))
    case = case_get_for_user(user, case_id)
    if case.status not in CLOSED_CASE_STATUSES:
        raise ValidationError(_("只能提名已结案的调解案件。"), code="not_closed")
    active = TypicalCase.objects.filter(source_case=case).exclude(status=S.REJECTED)
    if active.exists():
        raise ValidationError(_("该案件已被提名为典型案例。"), code="duplicate")
    values = prefill_from_case(case)
    tc = TypicalCase(**values, source_case=case, status=S.NOMINATED, nominated_by=user,
                     agency=user.staff.agency, employer_policy=_default_employer_policy())
    _ensure_identity_free(tc)
    tc.full_clean(exclude=["significance", "handling"])
    _record(tc, user=user, action="nominate", from_status="", created=True,
            summary=_("由案件%(no)s提名") % {"no": case.case_no})
    return tc


@transaction.atomic
def typical_case_create(*, user, values: dict) -> TypicalCase:
    """A typical case written without a source case (e.g. from a news item)."""
    _require(permissions.can_nominate(user))
    tc = TypicalCase(**_clean_values(values), status=S.DRAFTING, nominated_by=user, agency=user.staff.agency,
                     employer_policy=_default_employer_policy())
    topics = _clean_topics(values)
    _ensure_identity_free(tc)
    tc.full_clean()
    _record(tc, user=user, action="create", from_status="", created=True, topics=topics)
    return tc


@transaction.atomic
def typical_case_update(*, user, typical_case_id: int, values: dict) -> TypicalCase:
    """Edit the text. A de-identified draft goes back to drafting; a published case stays
    published (supervisors' corrections) if it still passes the automatic checks."""
    tc = _lock(typical_case_id)
    _require(permissions.can_edit(user, tc))
    cleaned = _clean_values(values)
    topics = _clean_topics(values)
    changes = {}
    for name, value in cleaned.items():
        old = getattr(tc, name)
        if old != value:
            changes[name] = {"from": str(old), "to": str(value)}
            setattr(tc, name, value)
    if topics is not None:
        old_names, new_names = sorted(tc.topic_names), sorted(t.name for t in topics)
        if old_names != new_names:
            changes["topics"] = {"from": "、".join(old_names), "to": "、".join(new_names)}
        else:
            topics = None
    if not changes:
        return tc
    from_status = tc.status
    if tc.status in (S.NOMINATED, S.DEIDENTIFIED):
        tc.status = S.DRAFTING
        tc.checklist = {}
    if tc.status in (S.PUBLISHED, S.UNPUBLISHED):
        findings = deidentify.residual_findings(_text_values(tc), tc.tags, _rules(tc))
        if findings:
            raise ValidationError(findings, code="pii")
    _ensure_identity_free(tc)
    tc.full_clean()
    _record(tc, user=user, action="edit", from_status=from_status, changes=changes, topics=topics,
            summary=_("修改了：%(fields)s") % {"fields": "、".join(changes)})
    return tc


# --- de-identification -----------------------------------------------------------------------


def _default_employer_policy() -> str:
    from django.conf import settings

    return getattr(settings, "CONCORD_TYPICAL_CASE_EMPLOYER_POLICY", EmployerPolicy.INDUSTRY)


def _text_values(tc: TypicalCase) -> dict:
    return {name: getattr(tc, name) for name in deidentify.TEXT_FIELDS}


def _rules(tc: TypicalCase, policy: str | None = None, extra_names: list[str] | None = None) -> deidentify.Rules:
    return deidentify.rules_for_case(tc.source_case, policy or tc.employer_policy, extra_names)


def typical_case_deidentify_preview(*, user, typical_case: TypicalCase, policy: str,
                                    extra_names: list[str] | None = None) -> deidentify.Preview:
    """What de-identification would publish, without saving anything."""
    _require(permissions.can_edit(user, typical_case))
    return deidentify.preview(_text_values(typical_case), list(typical_case.tags),
                              _rules(typical_case, policy, extra_names))


@transaction.atomic
def typical_case_deidentify(*, user, typical_case_id: int, policy: str, extra_names: list[str] | None = None,
                            digest: str) -> TypicalCase:
    """Apply exactly the previewed de-identification (`digest` proves it is the same preview)."""
    tc = _lock(typical_case_id)
    _require(permissions.can_edit(user, tc))
    target = _transition(tc, "deidentify")
    if policy not in EmployerPolicy.values:
        raise ValidationError({"policy": _("无效的单位名称处理规则。")})
    result = deidentify.preview(_text_values(tc), list(tc.tags), _rules(tc, policy, extra_names))
    if result.digest != digest:
        raise ValidationError(_("案例内容在预览之后已被修改，请重新预览后再确认。"), code="stale")
    from_status = tc.status
    for name, value in result.fields.items():
        setattr(tc, name, value)
    tc.tags = result.tags
    tc.employer_policy = policy
    tc.status = target
    tc.deidentified_at = timezone.now()
    tc.checklist = {}
    _ensure_identity_free(tc)
    replaced = {f"{r.original}": r.replacement for r in result.replacements}
    _record(tc, user=user, action="deidentify", from_status=from_status,
            changes={"replacements": len(replaced), "policy": policy},
            summary=_("脱敏处理，替换%(n)s处") % {"n": sum(r.count for r in result.replacements)})
    return tc


# --- review and publication ------------------------------------------------------------------


@transaction.atomic
def typical_case_submit(*, user, typical_case_id: int) -> TypicalCase:
    tc = _lock(typical_case_id)
    _require(permissions.can_edit(user, tc))
    target = _transition(tc, "submit")
    findings = deidentify.residual_findings(_text_values(tc), tc.tags, _rules(tc))
    if findings:
        raise ValidationError(findings, code="pii")
    from_status, tc.status = tc.status, target
    _record(tc, user=user, action="submit", from_status=from_status, summary=_("提交审核"))
    return tc


@transaction.atomic
def typical_case_review(*, user, typical_case_id: int, checklist: dict[str, bool]) -> TypicalCase:
    """The reviewer ticks the de-identification checklist (UNDER_REVIEW only)."""
    tc = _lock(typical_case_id)
    _require(permissions.is_approver(user))
    if tc.status != S.UNDER_REVIEW:
        raise ValidationError(_("只有待审核的案例才能勾选核查清单。"), code="state")
    codes = {code for code, _label in DEIDENTIFICATION_CHECKLIST}
    tc.checklist = {code: bool(checklist.get(code)) for code in codes}
    tc.reviewer = user
    _record(tc, user=user, action="review", from_status=tc.status, changes={"checklist": tc.checklist},
            summary=_("核查清单已勾选%(n)s/%(total)s项") % {"n": sum(tc.checklist.values()), "total": len(codes)})
    return tc


@transaction.atomic
def typical_case_publish(*, user, typical_case_id: int) -> TypicalCase:
    tc = _lock(typical_case_id)
    _require(permissions.is_approver(user))
    target = _transition(tc, "publish")
    if not tc.checklist_complete:
        raise ValidationError(_("请先逐项勾选脱敏核查清单。"), code="checklist")
    findings = deidentify.residual_findings(_text_values(tc), tc.tags, _rules(tc))
    if findings:
        raise ValidationError(findings, code="pii")
    from_status = tc.status
    tc.status = target
    tc.reviewer = user
    tc.published_at = timezone.now()
    tc.rejection_reason = ""
    _record(tc, user=user, action="publish", from_status=from_status, summary=_("审核通过并发布"))
    queue_alerts(tc.pk)
    return tc


@transaction.atomic
def typical_case_return(*, user, typical_case_id: int, reason: str) -> TypicalCase:
    """Send a case under review back to its writer."""
    tc = _lock(typical_case_id)
    _require(permissions.is_approver(user))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写退回理由。")})
    target = _transition(tc, "return")
    from_status, tc.status = tc.status, target
    tc.rejection_reason = reason.strip()
    tc.checklist = {}
    _record(tc, user=user, action="return", from_status=from_status, summary=reason)
    return tc


@transaction.atomic
def typical_case_reject(*, user, typical_case_id: int, reason: str) -> TypicalCase:
    tc = _lock(typical_case_id)
    _require(permissions.is_approver(user))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写不采用的理由。")})
    target = _transition(tc, "reject")
    from_status, tc.status = tc.status, target
    tc.rejection_reason = reason.strip()
    tc.reviewer = user
    _record(tc, user=user, action="reject", from_status=from_status, summary=reason)
    return tc


@transaction.atomic
def typical_case_unpublish(*, user, typical_case_id: int, reason: str) -> TypicalCase:
    tc = _lock(typical_case_id)
    _require(permissions.is_approver(user))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写撤回发布的理由。")})
    target = _transition(tc, "unpublish")
    from_status, tc.status = tc.status, target
    _record(tc, user=user, action="unpublish", from_status=from_status, summary=reason)
    return tc


# --- saved searches --------------------------------------------------------------------------


@transaction.atomic
def saved_search_create(*, user, name: str, query: str, filters: dict, alert: bool = True):
    from .models import SavedSearch
    from .selectors import normalize_filters

    if not permissions.is_staff_member(user):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    name = (name or "").strip() or (query or "").strip()[:80] or _("未命名检索")
    cleaned = {k: [str(v) for v in vs if str(v).strip()] for k, vs in (filters or {}).items()}
    cleaned = {k: v for k, v in cleaned.items() if v}
    normalize_filters(cleaned)  # raises SearchParameterError on values that would never match
    return SavedSearch.objects.create(user=user, name=name[:80], query=(query or "").strip()[:200],
                                      filters=cleaned, alert=alert)


@transaction.atomic
def saved_search_delete(*, user, saved_search_id: int) -> None:
    from .models import SavedSearch

    deleted, _rows = SavedSearch.objects.filter(pk=saved_search_id, user=user).delete()
    if not deleted:
        from django.http import Http404

        raise Http404
