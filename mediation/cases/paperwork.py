"""The paperwork of a mediation case: the plain context its templates see, numbering, rendering.

Templates are edited in the admin (案件文书模板) and rendered in the shared sandbox
(mediation.lib.documents): they see only the plain values built here — never a model instance —
with ID numbers and phones masked unless the person who prints the document may see them.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mediation.clocks.selectors import rule_current
from mediation.lib.documents import sandbox
from mediation.lib.documents.library import cn_date_text, yuan_text
from mediation.lib.masking import mask_id_number, mask_phone
from parties.models import AgencyKind, AgencyUnit, Role

from .models import (
    Case,
    CaseDocument,
    CaseStatus,
    ClosingCode,
    ConfirmationPath,
    DocumentKind,
    MediationSession,
)
from .services import agency_for

K = DocumentKind

# Numbered in practice: 〔year〕number per organisation and kind (e.g. 汉滨工调受〔2026〕3号).
NUMBER_CHAR = {
    K.ACCEPTANCE_NOTICE: "受",
    K.NON_ACCEPTANCE_NOTICE: "不受",
    K.AGREEMENT: "协",
    K.TERMINATION_NOTICE: "终",
}
# Notices that are served on a party and so get a 送达回证.
SERVED_KINDS = (K.ACCEPTANCE_NOTICE, K.NON_ACCEPTANCE_NOTICE, K.AGREEMENT, K.TERMINATION_NOTICE)
# Kinds a partner agency may open (the court needs the agreement and the application).
PARTNER_KINDS = (K.AGREEMENT, K.CONFIRMATION_APPLICATION)

_D = datetime.date(2026, 1, 1)
_DT = datetime.datetime(2026, 1, 1, 9, 0)
_M = Decimal("0.00")

SPECIMEN: dict = {
    "document": {"kind": "", "title": "", "doc_no": "", "date": _D},
    "organisation": {"name": "", "committee": "", "county": ""},
    "issuer": {"name": "", "title": ""},
    "case": {
        "case_no": "",
        "title": "",
        "facts": "",
        "county": "",
        "town": "",
        "channel": "",
        "status": "",
        "received_on": _D,
        "accepted_on": _D,
        "closed_on": _D,
        "agreement_effective_on": _D,
        "decision_reason": "",
        "redirected_to": "",
        "failure_reason": "",
        "closing_code": "",
        "closing_note": "",
        "workers_count": 0,
        "is_collective": False,
        "amount_claimed": "",
        "amount_agreed": "",
        "lead_mediator": "",
        "mediators": "",
        "dispute_types": "",
    },
    "applicants": [
        {
            "name": "",
            "gender": "",
            "id_number": "",
            "phone": "",
            "is_representative": False,
            "amount_claimed": "",
            "amount_agreed": "",
        }
    ],
    "applicant_names": "",
    "respondents": [
        {
            "name": "",
            "role": "",
            "credit_code": "",
            "legal_representative": "",
            "address": "",
            "phone": "",
        }
    ],
    "respondent_names": "",
    "agents": [{"name": "", "kind": "", "represents": ""}],
    "claims": [
        {
            "dispute_type": "",
            "subtype": "",
            "amount_claimed": "",
            "amount_agreed": "",
            "period_from": _D,
            "period_to": _D,
            "basis": "",
        }
    ],
    "sessions": [
        {
            "number": 1,
            "held_at": _DT,
            "held_on": _D,
            "time": "",
            "form": "",
            "place": "",
            "participants": "",
            "points_in_dispute": "",
            "proposals": "",
            "result": "",
        }
    ],
    "session": {
        "number": 1,
        "held_at": _DT,
        "held_on": _D,
        "time": "",
        "form": "",
        "place": "",
        "participants": "",
        "points_in_dispute": "",
        "proposals": "",
        "result": "",
        "recorder": "",
    },
    "agreement": {
        "terms": "",
        "amount_total": "",
        "signed_on": _D,
        "paid_on_spot": False,
        "confirmation_path": "",
        "confirmation_code": "",
        "default_clause": "",
        "instalments": [{"number": 1, "due_on": _D, "amount": "", "paid_on": _D}],
    },
    "confirmation": {
        "court": "",
        "arbitration": "",
        "filed_on": _D,
        "judicial_period": "",
        "arbitral_period": "",
    },
    "arbitration": {
        "commission": "",
        "limitation": "",
        "limitation_basis": "",
        "limitation_start": "",
        "may_apply_from": _D,
        "may_apply_basis": "",
    },
    "served": {"title": "", "doc_no": "", "date": _D},
    "referrals": [{"kind": "", "target": "", "status": "", "result": ""}],
    "visits": [{"visited_on": _D, "method": "", "findings": ""}],
    "today": _D,
}


def validate_template_source(source: str) -> None:
    try:
        sandbox.check_source(source, SPECIMEN)
    except ValidationError as exc:
        raise ValidationError({"source": exc.messages}, code="template") from exc


def _money(value) -> str:
    return yuan_text(value) if value is not None else ""


def _session_dict(session: MediationSession, number: int) -> dict:
    held = timezone.localtime(session.held_at)
    return {
        "number": number,
        "held_at": held.replace(tzinfo=None),
        "held_on": held.date(),
        "time": f"{cn_date_text(held.date())}{held:%H时%M分}",
        "form": str(session.get_form_display()),
        "place": session.place,
        "participants": session.participants,
        "points_in_dispute": session.points_in_dispute,
        "proposals": session.proposals,
        "result": session.result,
    }


def _rule_text(code: str, county: str) -> tuple[str, str, str, int, str]:
    """(period text, legal basis, start event, period, unit) of the current rule `code`."""
    rule = rule_current(code, county)
    unit = {"calendar": "日", "working": "个工作日", "month": "个月", "year": "年"}.get(
        rule.unit, str(rule.get_unit_display())
    )
    return f"{rule.period}{unit}", rule.legal_basis, rule.start_event, rule.period, rule.unit


def _may_apply_from(case: Case) -> datetime.date | None:
    """The day the applicant may go to arbitration (D1): the clock's due date, else the rule from receipt."""
    clock = case.clocks.filter(rule_code="D1").order_by("-id").first()
    if clock is not None:
        return clock.due_on
    if not case.received_on:
        return None
    _text, _basis, _start, period, unit = _rule_text("D1", case.county)
    if unit == "calendar":
        return case.received_on + datetime.timedelta(days=period)
    return None


def build_context(
    case: Case,
    *,
    actor,
    full: bool,
    kind: str,
    doc_no: str = "",
    session: MediationSession | None = None,
    served: CaseDocument | None = None,
) -> dict:
    """Everything a case template may print, as plain values. `full`: the printer may see full ID numbers."""
    with translation.override("zh-hans"):
        today = timezone.localdate()
        staff = getattr(actor, "staff", None)
        roles = sorted(staff.roles) if staff else []
        title = str(Role(roles[0]).label) if roles else ""
        if staff and staff.has_role(Role.COMMITTEE_HEAD):
            title = str(Role.COMMITTEE_HEAD.label)
        elif staff and staff.has_role(Role.MEDIATOR):
            title = str(Role.MEDIATOR.label)
        workers = list(case.case_workers.select_related("worker"))
        respondents = list(case.respondents.select_related("employer"))
        claims = list(case.claims.all())
        sessions = list(case.sessions.all())
        agreement = getattr(case, "agreement", None) if hasattr(case, "agreement") else None
        mediators = [case.lead_mediator] if case.lead_mediator_id else []
        mediators += list(case.assistant_mediators.all())
        names = [
            getattr(getattr(m, "staff", None), "full_name", "") or m.get_username()
            for m in mediators
        ]
        agreed = sum((c.amount_agreed or 0 for c in claims), Decimal("0"))
        applicants = [
            {
                "name": cw.name,
                "gender": str(cw.worker.get_gender_display() or ""),
                "id_number": cw.worker.id_number if full else mask_id_number(cw.worker.id_number),
                "phone": cw.phone if full else mask_phone(cw.phone),
                "is_representative": cw.is_representative,
                "amount_claimed": _money(cw.amount_claimed),
                "amount_agreed": _money(cw.amount_agreed),
            }
            for cw in workers
        ]
        resp = [
            {
                "name": r.employer.name if r.employer else r.person_name,
                "role": str(r.get_role_display()),
                "credit_code": r.employer.credit_code if r.employer else "",
                "legal_representative": r.employer.legal_representative if r.employer else "",
                "address": r.employer.address if r.employer else "",
                "phone": (r.employer.contact_phone if r.employer else r.person_phone)
                if full
                else mask_phone(r.employer.contact_phone if r.employer else r.person_phone),
            }
            for r in respondents
        ]
        law_text, law_basis, law_start, _p, _u = _rule_text("D12", case.county)
        d1_basis = _rule_text("D1", case.county)[1]
        arbitration_referral = (
            case.referrals.filter(kind="ARBITRATION").select_related("target_agency").first()
        )
        commission = (
            arbitration_referral.target_agency
            if arbitration_referral
            else agency_for(case, AgencyKind.HRSS, AgencyUnit.ARBITRATION)
        )
        court = agency_for(case, AgencyKind.COURT)
        request = (
            case.confirmation_requests.filter(kind="JUDICIAL_CONFIRMATION").order_by("-id").first()
        )
        session_number = next(
            (i for i, s in enumerate(sessions, 1) if session and s.pk == session.pk), 1
        )
        context = {
            "document": {
                "kind": kind,
                "title": str(DocumentKind(kind).label),
                "doc_no": doc_no,
                "date": today,
            },
            "organisation": {
                "name": case.agency.name,
                "committee": f"{case.agency.name}劳动争议调解委员会",
                "county": str(case.get_county_display()),
            },
            "issuer": {"name": staff.full_name if staff else actor.get_username(), "title": title},
            "case": {
                "case_no": case.case_no,
                "title": case.title,
                "facts": case.facts,
                "county": str(case.get_county_display()),
                "town": case.town,
                "channel": str(case.get_channel_display()),
                "status": str(case.get_status_display()),
                "received_on": case.received_on,
                "accepted_on": case.accepted_on,
                "closed_on": case.closed_on,
                "agreement_effective_on": case.agreement_effective_on,
                "decision_reason": case.decision_reason,
                "redirected_to": case.redirected_to,
                "failure_reason": case.failure_reason,
                "closing_code": str(ClosingCode(case.closing_code).label)
                if case.closing_code
                else "",
                "closing_note": case.closing_note,
                "workers_count": case.workers_count or len(workers),
                "is_collective": case.is_collective,
                "amount_claimed": _money(sum((c.amount_claimed for c in claims), Decimal("0"))),
                "amount_agreed": _money(agreement.amount_total if agreement else agreed),
                "lead_mediator": names[0] if names else "",
                "mediators": "、".join(names),
                "dispute_types": "、".join(
                    dict.fromkeys(str(c.get_dispute_type_display()) for c in claims)
                ),
            },
            "applicants": applicants,
            "applicant_names": "、".join(a["name"] for a in applicants),
            "respondents": resp,
            "respondent_names": "、".join(r["name"] for r in resp),
            "agents": [
                {
                    "name": a.name,
                    "kind": str(a.get_kind_display()),
                    "represents": a.represents.name if a.represents_id else "被申请人",
                }
                for a in case.agents.select_related("represents__worker")
            ],
            "claims": [
                {
                    "dispute_type": str(c.get_dispute_type_display()),
                    "subtype": c.subtype,
                    "amount_claimed": _money(c.amount_claimed),
                    "amount_agreed": _money(c.amount_agreed),
                    "period_from": c.period_from,
                    "period_to": c.period_to,
                    "basis": c.basis,
                }
                for c in claims
            ],
            "sessions": [_session_dict(s, i) for i, s in enumerate(sessions, 1)],
            "session": (
                dict(
                    _session_dict(session, session_number),
                    recorder=getattr(getattr(session.recorded_by, "staff", None), "full_name", ""),
                )
                if session
                else None
            ),
            "agreement": (
                {
                    "terms": agreement.terms,
                    "amount_total": _money(agreement.amount_total),
                    "signed_on": agreement.signed_on,
                    "paid_on_spot": agreement.paid_on_spot,
                    "confirmation_path": str(agreement.get_confirmation_path_display()),
                    "confirmation_code": agreement.confirmation_path,
                    "default_clause": agreement.default_clause,
                    "instalments": [
                        {
                            "number": i,
                            "due_on": x.due_on,
                            "amount": _money(x.amount),
                            "paid_on": x.paid_on,
                        }
                        for i, x in enumerate(agreement.instalments.all(), 1)
                    ],
                }
                if agreement
                else None
            ),
            "confirmation": {
                "court": court.name if court else "",
                "arbitration": commission.name if commission else "",
                "filed_on": request.filed_on if request else None,
                "judicial_period": _rule_text("D20", case.county)[0],
                "arbitral_period": _rule_text("D21", case.county)[0],
            },
            "arbitration": {
                "commission": commission.name if commission else "",
                "limitation": law_text,
                "limitation_basis": law_basis,
                "limitation_start": law_start,
                "may_apply_from": _may_apply_from(case),
                "may_apply_basis": d1_basis,
            },
            "served": (
                {
                    "title": served.title,
                    "doc_no": served.doc_no,
                    "date": timezone.localtime(served.created_at).date(),
                }
                if served
                else None
            ),
            "referrals": [
                {
                    "kind": str(r.get_kind_display()),
                    "target": r.target_agency.name,
                    "status": str(r.get_status_display()),
                    "result": r.result,
                }
                for r in case.referrals.select_related("target_agency")
            ],
            "visits": [
                {"visited_on": v.visited_on, "method": v.method, "findings": v.findings}
                for v in case.visits.all()
            ],
            "today": today,
        }
    return context


def availability(case: Case, kind: str, *, session=None, served=None) -> str | None:
    """None when the document can be produced now, else why not (a message for the user)."""
    agreement = getattr(case, "agreement", None) if hasattr(case, "agreement") else None
    if kind == K.ACCEPTANCE_NOTICE and not case.accepted_on:
        return _("案件尚未受理，不能制作受理通知书。")
    if kind == K.NON_ACCEPTANCE_NOTICE and not (
        case.status == CaseStatus.NOT_ACCEPTED or case.closing_code == ClosingCode.NOT_ACCEPTED
    ):
        return _("案件未作出不予受理决定，不能制作不予受理通知书。")
    if kind == K.SESSION_RECORD and (session is None or session.case_id != case.pk):
        return _("请选择一次调解记录。")
    if kind == K.AGREEMENT and agreement is None:
        return _("尚未签订调解协议。")
    if kind == K.CONFIRMATION_APPLICATION and (
        agreement is None or agreement.confirmation_path != ConfirmationPath.JUDICIAL
    ):
        return _("调解协议未选择申请司法确认，不能制作司法确认申请书。")
    if kind == K.TERMINATION_NOTICE and not case.failure_reason:
        return _("调解未终止，不能制作调解终止告知书。")
    if kind == K.CLOSING_REPORT and not case.closed_on:
        return _("案件尚未结案，不能制作结案报告。")
    if kind == K.SERVICE_RECEIPT and (
        served is None or served.case_id != case.pk or served.kind not in SERVED_KINDS
    ):
        return _("请选择要送达的文书（受理/不予受理通知书、调解协议书或终止告知书）。")
    if kind == K.CASE_FILE and case.status not in (CaseStatus.CLOSED, CaseStatus.ARCHIVED):
        return _("案件结案后才能生成卷宗。")
    return None


def offered(case: Case) -> list[dict]:
    """The documents this case can produce now: [{kind, label, session, served}] in procedural order."""
    rows = []
    for kind in (K.ACCEPTANCE_NOTICE, K.NON_ACCEPTANCE_NOTICE):
        if availability(case, kind) is None:
            rows.append({"kind": kind, "label": DocumentKind(kind).label, "session": None})
    for i, s in enumerate(case.sessions.all(), 1):
        rows.append(
            {
                "kind": K.SESSION_RECORD,
                "session": s,
                "label": _("调解笔录（第%(n)d次，%(d)s）")
                % {"n": i, "d": cn_date_text(timezone.localtime(s.held_at).date())},
            }
        )
    for kind in (K.AGREEMENT, K.CONFIRMATION_APPLICATION, K.TERMINATION_NOTICE, K.CLOSING_REPORT):
        if availability(case, kind) is None:
            rows.append({"kind": kind, "label": DocumentKind(kind).label, "session": None})
    return rows


def render_text(source: str, context: dict) -> str:
    with translation.override("zh-hans"):
        return sandbox.render(source, context)
