"""Letters as documents: the plain context of a letter, template check, PDF and .docx.

A letter's text is rendered once, when it is issued, from the union-editable LetterTemplate in
the shared sandbox (mediation.lib.documents): the template sees only the plain values built by
``letter_context`` — never a model instance — so it cannot reach users, tokens or other cases.
The PDF and .docx are always produced from that frozen text, so a later template change never
alters an issued letter.

The rendered text uses the line markup of mediation.lib.documents.layout.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from mediation.lib.documents import layout, sandbox
from mediation.lib.documents.layout import parse_blocks, pdf_font_path, sha256_text  # noqa: F401
from mediation.lib.documents.library import cn_date_text  # noqa: F401
from parties.models import AgencyLevel, County

LetterRenderError = sandbox.RenderError

# The shape of the context every letter template sees (one element per list). The admin's
# check walks a template's variables against it; tests hold the real context to the same shape.
_D = datetime.date(2026, 1, 1)
_ORG = {"name": "", "credit_code": "", "legal_representative": "", "address": ""}
LETTER_SPECIMEN = {
    "letter": {"doc_no": "", "kind": "", "full_title": "", "subject": "", "facts": "", "legal_basis": "",
               "requirements": "", "reply_due": _D, "rectification_due": _D, "contact_person": "",
               "contact_phone": "", "cc": "", "signatory": "", "issued_on": _D},
    "matter": {"matter_no": "", "title": "", "county": "", "scope_industry": ""},
    "issuer": {"name": "", "committee_name": "", "signatory": "", "government": ""},
    "issuer_names": "",
    "co_issuers": [{"name": ""}],
    "recipients": [dict(_ORG)],
    "recipient": dict(_ORG),
    "employer": dict(_ORG),
    "violations": [{"category": "", "facts": "", "evidence": "", "legal_basis": "", "rectification": "",
                    "deadline": _D}],
    "investigations": [{"conducted_on": _D, "method": "", "place": "", "investigators": [""],
                        "investigator_names": ""}],
    "previous": {"doc_no": "", "full_title": "", "issued_on": _D},
    "previous_recipient": {"delivery_method": "", "delivered_on": _D, "reply_kind": "", "replied_on": _D,
                           "reply_content": "", "verification": ""},
    "recommended_actions": [""],
    "kind_title": "",
    "issued_on_text": "",
}


def government_name(agency) -> str:
    """The people's government of the issuer's level, by its name: 安康市人民政府 for the city
    federation, 汉滨区人民政府 for Hanbin's — never "市本级人民政府" (工会法 2021 Art. 23:
    提请当地人民政府依法作出处理). Derived from the issuing agency's level and county."""
    city = settings.CONCORD_CITY
    if agency.level == AgencyLevel.CITY or agency.county in ("", County.CITY):
        return f"{city}人民政府"
    if agency.county == County.HIGH_TECH:  # a development zone has a 管理委员会, not a 人民政府
        return f"{city.removesuffix('市')}高新技术产业开发区管理委员会"
    return f"{County(agency.county).label}人民政府"


def _org(obj) -> dict:
    if obj is None:
        return dict(_ORG)
    return {"name": obj.name, "credit_code": getattr(obj, "credit_code", "") or "",
            "legal_representative": getattr(obj, "legal_representative", "") or "",
            "address": getattr(obj, "address", "") or ""}


def letter_context(letter, *, matter, office, recipients, violations, co_issuers, previous,
                   previous_recipient, recommended_actions, kind_title) -> dict:
    """The plain values a letter template may print: the letter's fields, the matter's, the
    employer's, the recipients' and the issuer's name and title. Nothing else."""
    with translation.override("zh-hans"):
        return {
            "letter": {
                "doc_no": letter.doc_no, "kind": letter.kind, "full_title": str(kind_title),
                "subject": letter.subject, "facts": letter.facts, "legal_basis": letter.legal_basis,
                "requirements": letter.requirements, "reply_due": letter.reply_due,
                "rectification_due": letter.rectification_due, "contact_person": letter.contact_person,
                "contact_phone": letter.contact_phone, "cc": letter.cc, "signatory": letter.signatory,
                "issued_on": letter.issued_on,
            },
            "matter": {"matter_no": matter.matter_no, "title": matter.title, "county": str(matter.get_county_display()),
                       "scope_industry": str(matter.get_scope_industry_display() or "")},
            "issuer": {"name": letter.issuer.name, "committee_name": office.committee_name,
                       "signatory": letter.signatory, "government": government_name(letter.issuer)},
            "issuer_names": "、".join([office.committee_name] + [a.name for a in co_issuers]),
            "co_issuers": [{"name": a.name} for a in co_issuers],
            "recipients": [_org(r) for r in recipients],
            "recipient": _org(recipients[0]) if recipients else None,
            "employer": _org(matter.employer),
            "violations": [
                {"category": str(v.get_category_display()), "facts": v.facts, "evidence": v.evidence,
                 "legal_basis": v.legal_basis, "rectification": v.rectification, "deadline": v.deadline}
                for v in violations
            ],
            "investigations": [
                {"conducted_on": inv.conducted_on, "method": inv.method, "place": inv.place,
                 "investigators": names, "investigator_names": "、".join(names)}
                for inv in matter.investigations.all()
                for names in [[p.staff.full_name for p in inv.investigators.all()]]
            ],
            "previous": ({"doc_no": previous.doc_no, "full_title": previous.full_title,
                          "issued_on": previous.issued_on} if previous else None),
            "previous_recipient": ({
                "delivery_method": str(previous_recipient.get_delivery_method_display() or ""),
                "delivered_on": previous_recipient.delivered_on, "reply_kind": previous_recipient.reply_kind,
                "replied_on": previous_recipient.replied_on, "reply_content": previous_recipient.reply_content,
                "verification": str(previous_recipient.get_verification_display() or ""),
            } if previous_recipient else None),
            "recommended_actions": [str(a) for a in recommended_actions],
            "kind_title": str(kind_title),
            "issued_on_text": cn_date_text(letter.issued_on),
        }


def validate_template_source(source: str) -> None:
    """Refuse a template outside the sandbox, naming the line (shown in the admin)."""
    try:
        sandbox.check_source(source, LETTER_SPECIMEN)
    except ValidationError as exc:
        raise ValidationError({"source": exc.messages}, code="template") from exc


def render_text(source: str, context: dict) -> str:
    with translation.override("zh-hans"):
        return sandbox.render(source, context)


def letter_pdf(text: str, *, title: str = "") -> bytes:
    return layout.text_pdf(text, title=title)


def letter_docx(text: str, *, title: str = "") -> bytes:
    return layout.text_docx(text, title=title)
