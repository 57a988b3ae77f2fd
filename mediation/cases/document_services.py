"""Writes of the case paperwork: print a document for signing, attach its signed scan back,
bind the case file (卷宗). Each in one transaction with its audit event."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pypdf import PdfReader

from mediation.lib.documents import layout, sandbox
from mediation.lib.documents.bundle import Part, bundle_pdf
from mediation.lib.documents.library import cn_date_text
from mediation.lib.numbering import next_number
from mediation.lib.uploads import discard_on_rollback

from . import paperwork
from .audit import record_event
from .models import (
    Attachment,
    Case,
    CaseDocument,
    CaseDocumentTemplate,
    CaseStatus,
    DocumentKind,
    MediationSession,
)
from .permissions import may_see_personal_data, may_work_on
from .services import _attachment_create, _lock

K = DocumentKind
S = CaseStatus


def _refuse_unless_workable(case: Case, actor) -> None:
    if case.status == S.ARCHIVED:
        raise ValidationError(_("案件已归档，只能查阅，不能再修改。"), code="archived")
    if not may_work_on(actor, case):
        raise ValidationError(_("只有承办机构的调解人员可以制作文书。"), code="not_handler")


def _doc_no(case: Case, kind: str, previous: CaseDocument | None) -> str:
    char = paperwork.NUMBER_CHAR.get(kind)
    if not char:
        return ""
    if previous is not None and previous.doc_no:
        return previous.doc_no  # a reprint keeps its number
    year = timezone.localdate().year
    prefix = case.agency.case_prefix or case.agency.short_name or case.agency.name
    number = next_number(f"casedoc:{case.agency_id}:{char}", year)
    return f"{prefix}{char}〔{year}〕{number}号"


def _title(kind: str, session: MediationSession | None, served: CaseDocument | None) -> str:
    label = str(DocumentKind(kind).label)
    if kind == K.SESSION_RECORD and session is not None:
        number = list(session.case.sessions.values_list("pk", flat=True)).index(session.pk) + 1
        return _("%(label)s（第%(n)d次）") % {"label": label, "n": number}
    if kind == K.SERVICE_RECEIPT and served is not None:
        return _("%(label)s（%(served)s）") % {"label": label, "served": served.title}
    return label


def _stored(case: Case, kind: str, session=None, served=None) -> CaseDocument | None:
    return (
        CaseDocument.objects.filter(case=case, kind=kind, session=session, served=served)
        .order_by("-created_at", "-id")
        .first()
    )


@transaction.atomic
def document_generate(
    *,
    case: Case,
    actor,
    kind: str,
    session: MediationSession | None = None,
    served: CaseDocument | None = None,
) -> CaseDocument:
    """Print `kind` for signing: render it from its template, number it where practice numbers
    it, and keep the PDF with its SHA-256 on the case. A reprint keeps the number."""
    case = _lock(case)
    _refuse_unless_workable(case, actor)
    if kind == K.CASE_FILE:
        raise ValidationError(_("卷宗请用“生成卷宗”。"), code="kind")
    if kind not in DocumentKind.values:
        raise ValidationError(_("文书类型无效。"), code="kind")
    reason = paperwork.availability(case, kind, session=session, served=served)
    if reason:
        raise ValidationError(reason, code="not_available")
    template = CaseDocumentTemplate.objects.filter(kind=kind).first()
    if template is None:
        raise ValidationError(
            _("尚未设置%(kind)s的模板，请在后台添加。") % {"kind": DocumentKind(kind).label},
            code="template",
        )
    previous = _stored(case, kind, session, served)
    doc_no = _doc_no(case, kind, previous)
    # A document is always in Chinese, whatever the UI language.
    with translation.override("zh-hans"):
        title = _title(kind, session, served)
    context = paperwork.build_context(
        case,
        actor=actor,
        full=may_see_personal_data(actor, case),
        kind=kind,
        doc_no=doc_no,
        session=session,
        served=served,
    )
    try:
        text = paperwork.render_text(template.source, context)
    except sandbox.RenderError as exc:
        raise ValidationError(str(exc), code="template") from exc
    pdf = layout.text_pdf(text, title=f"{case.case_no} {title}")
    digest = layout.sha256_bytes(pdf)
    document = CaseDocument(
        case=case,
        kind=kind,
        session=session,
        served=served,
        doc_no=doc_no,
        title=title,
        rendered_text=text,
        pages=_page_count(pdf),
        sha256=digest,
        case_status=case.status,
        created_by=actor,
    )
    document.pdf.save(f"{kind.lower()}-{digest[:16]}.pdf", ContentFile(pdf), save=False)
    try:
        document.save()
        discard_on_rollback(document.pdf)  # an outer transaction that rolls back takes the file too
        record_event(
            case,
            actor=actor,
            action="case.document",
            summary=_("打印文书：%(t)s%(no)s") % {"t": title, "no": f" {doc_no}" if doc_no else ""},
            changes={"document": [None, title], "doc_no": [None, doc_no], "sha256": [None, digest]},
            visible_to_partners=kind in paperwork.PARTNER_KINDS,
        )
    except BaseException:
        document.pdf.storage.delete(document.pdf.name)  # nothing half-saved
        raise
    return document


def _page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


@transaction.atomic
def document_attach_scan(*, document: CaseDocument, actor, upload) -> Attachment:
    """Attach the signed scan of a printed document (same checks as every attachment)."""
    case = _lock(document.case)
    _refuse_unless_workable(case, actor)
    document = CaseDocument.objects.select_for_update().get(pk=document.pk)
    if document.kind == K.CASE_FILE:
        raise ValidationError(_("卷宗不需要上传签字件。"), code="kind")
    if document.signed_scan_id:
        raise ValidationError(
            _("该文书已附签字件。如需更正，请重新打印后再上传。"), code="already_signed"
        )
    attachment = _attachment_create(
        case=case, actor=actor, upload=upload, title=_("%(t)s（签字件）") % {"t": document.title}
    )
    document.signed_scan = attachment
    document.save(update_fields=["signed_scan"])
    record_event(
        case,
        actor=actor,
        action="case.document_signed",
        summary=_("上传签字件：%(t)s") % {"t": document.title},
        changes={"document": [None, document.title], "sha256": [None, attachment.sha256]},
        visible_to_partners=document.kind in paperwork.PARTNER_KINDS,
    )
    return attachment


# ---------------------------------------------------------------- the case file (卷宗)


def retention_period(case: Case) -> str:
    """保管期限: configurable; collective disputes are kept permanently by default."""
    periods = getattr(settings, "CONCORD_CASE_FILE_RETENTION", None) or {
        "collective": "永久",
        "default": "30年",
    }
    return periods["collective"] if case.is_collective else periods["default"]


@dataclass
class _Item:
    rank: tuple
    part: Part


def _read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def _parts(case: Case) -> list[Part]:
    """Every document and attachment, in procedural order."""
    latest: dict[tuple, CaseDocument] = {}
    for doc in (
        CaseDocument.objects.filter(case=case)
        .exclude(kind=K.CASE_FILE)
        .select_related("signed_scan")
    ):
        latest[(doc.kind, doc.session_id, doc.served_id)] = (
            doc  # ordered by creation: the last wins
        )
    sessions = {pk: i for i, pk in enumerate(case.sessions.values_list("pk", flat=True), 1)}
    scans = {doc.signed_scan_id for doc in latest.values() if doc.signed_scan_id}
    base_rank = {
        K.ACCEPTANCE_NOTICE: 20,
        K.NON_ACCEPTANCE_NOTICE: 20,
        K.SESSION_RECORD: 30,
        K.AGREEMENT: 40,
        K.CONFIRMATION_APPLICATION: 50,
        K.TERMINATION_NOTICE: 55,
        K.CLOSING_REPORT: 90,
    }
    items: list[_Item] = []
    for doc in latest.values():
        if doc.kind == K.SERVICE_RECEIPT and doc.served_id:
            rank = (base_rank.get(doc.served.kind, 60), 0, 1)
        else:
            rank = (base_rank.get(doc.kind, 60), sessions.get(doc.session_id, 0), 0)
        day = timezone.localtime(doc.created_at).date()
        title = f"{doc.title} {doc.doc_no}".strip()
        if doc.signed_scan_id:
            part = Part(
                title=title,
                content=_read(doc.signed_scan.file),
                content_type=doc.signed_scan.content_type,
                day=day,
                note=_("签字件"),
            )
        else:
            part = Part(
                title=title,
                content=_read(doc.pdf),
                content_type="application/pdf",
                day=day,
                note=_("打印件"),
            )
        items.append(_Item((*rank, doc.created_at.timestamp(), doc.pk), part))
    accepted = case.accepted_on
    for att in case.attachments.exclude(pk__in=scans):
        day = timezone.localtime(att.uploaded_at).date()
        if att.session_id:
            rank = (30, sessions.get(att.session_id, 0), 2)
        elif accepted is None or day <= accepted:
            rank = (10, 0, 0)
        else:
            rank = (60, 0, 0)
        items.append(
            _Item(
                (*rank, att.uploaded_at.timestamp(), att.pk),
                Part(
                    title=att.title, content=_read(att.file), content_type=att.content_type, day=day
                ),
            )
        )
    items.sort(key=lambda item: item.rank)
    return [item.part for item in items]


def _cover_text(case: Case) -> str:
    applicants = "、".join(cw.name for cw in case.case_workers.all())
    respondents = "、".join(str(r) for r in case.respondents.select_related("employer"))
    lines = [
        f"={case.agency.name}劳动争议调解委员会",
        "=" + _("调解案件卷宗"),
        "|" + _("案号：%(v)s") % {"v": case.case_no},
        "|" + _("案由：%(v)s") % {"v": case.title},
        "|" + _("申请人：%(v)s") % {"v": applicants},
        "|" + _("被申请人：%(v)s") % {"v": respondents},
        "|" + _("收件日期：%(v)s") % {"v": cn_date_text(case.received_on)},
        "|" + _("受理日期：%(v)s") % {"v": cn_date_text(case.accepted_on) or "—"},
        "|" + _("结案日期：%(v)s") % {"v": cn_date_text(case.closed_on)},
        "|" + _("结案方式（结果）：%(v)s") % {"v": case.get_closing_code_display()},
        "|"
        + _("主办调解员：%(v)s")
        % {"v": getattr(getattr(case.lead_mediator, "staff", None), "full_name", "") or "—"},
        "|" + _("保管期限：%(v)s") % {"v": retention_period(case)},
        "|" + _("立卷日期：%(v)s") % {"v": cn_date_text(timezone.localdate())},
    ]
    return "\n".join(lines)


def case_file_generate(*, case: Case, actor) -> CaseDocument:
    """Bind the case file as one PDF: cover, catalogue with page numbers, every document (printing
    those not yet printed) and attachment in procedural order. Kept with the case, with its hash.

    All or nothing: if binding fails, the documents printed for it are rolled back with their files."""
    printed: list[CaseDocument] = []
    try:
        return _case_file_generate(case=case, actor=actor, printed=printed)
    except BaseException:
        for document in printed:
            document.pdf.storage.delete(document.pdf.name)
        raise


@transaction.atomic
def _case_file_generate(*, case: Case, actor, printed: list[CaseDocument]) -> CaseDocument:
    case = _lock(case)
    _refuse_unless_workable(case, actor)
    reason = paperwork.availability(case, K.CASE_FILE)
    if reason:
        raise ValidationError(reason, code="not_available")
    for row in paperwork.offered(case):
        if _stored(case, row["kind"], row["session"]) is None:
            printed.append(
                document_generate(case=case, actor=actor, kind=row["kind"], session=row["session"])
            )
    # A document is always in Chinese, whatever the UI language.
    with translation.override("zh-hans"):
        heading = _("%(no)s 卷宗") % {"no": case.case_no}
        pdf = bundle_pdf(cover_text=_cover_text(case), parts=_parts(case), heading=heading)
    digest = layout.sha256_bytes(pdf)
    document = CaseDocument(
        case=case,
        kind=K.CASE_FILE,
        title=str(DocumentKind.CASE_FILE.label),
        pages=_page_count(pdf),
        sha256=digest,
        case_status=case.status,
        created_by=actor,
    )
    document.pdf.save(f"case-file-{digest[:16]}.pdf", ContentFile(pdf), save=False)
    printed.append(document)
    document.save()
    discard_on_rollback(document.pdf)  # an outer transaction that rolls back takes the file too
    record_event(
        case,
        actor=actor,
        action="case.case_file",
        summary=_("生成卷宗（%(n)d页）") % {"n": document.pages},
        changes={"pages": [None, document.pages], "sha256": [None, digest]},
    )
    return document


def case_file_ready(case: Case) -> bool:
    """Archiving needs a case file bound after the case was closed."""
    return CaseDocument.objects.filter(case=case, kind=K.CASE_FILE, case_status=S.CLOSED).exists()
