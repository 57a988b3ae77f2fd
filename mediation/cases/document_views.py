"""The paperwork of a case: print a document for signing, download it (PDF / Word), attach the
signed scan, bind the case file. Every read goes through the case selectors (404 for not-yours).
Each form carries a submission token: a double click prints, attaches or binds once."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mediation.lib.documents import layout
from mediation.lib.idempotency import idempotent_post

from . import document_selectors, document_services
from .models import CaseDocument, DocumentKind, MediationSession
from .views import _case_for_work


class ScanForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("签字件扫描（PDF、JPEG、PNG）"))


def _back(request, case):
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(reverse("case_detail", args=[case.pk]) + "#documents")


def _refused(request, exc: Exception) -> None:
    messages.error(
        request, "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    )


def _own_row(model, case, raw: str):
    if not raw.isdigit():
        raise Http404
    row = model.objects.filter(case=case, pk=int(raw)).first()
    if row is None:
        raise Http404
    return row


@login_required
@require_POST
@idempotent_post
def document_make(request, case_id):
    case = _case_for_work(request, case_id)
    kind = request.POST.get("kind", "")
    session = served = None
    # The session or notice a document is for: one of this case's, by id (anything else is "not found").
    if request.POST.get("session"):
        session = _own_row(MediationSession, case, request.POST["session"])
    if request.POST.get("served"):
        served = _own_row(CaseDocument, case, request.POST["served"])
    try:
        document = document_services.document_generate(
            case=case, actor=request.user, kind=kind, session=session, served=served
        )
    except (ValidationError, ImproperlyConfigured) as exc:
        _refused(request, exc)
    else:
        messages.success(
            request,
            _("已生成%(t)s%(no)s，请下载打印，签字后上传签字件。")
            % {"t": document.title, "no": f"（{document.doc_no}）" if document.doc_no else ""},
        )
    return _back(request, case)


@login_required
def document_download(request, case_id, document_id, fmt):
    document = document_selectors.document_get_for_user(request.user, case_id, document_id)
    name = f"{document.case.case_no}-{document.title}{('-' + document.doc_no) if document.doc_no else ''}"
    if fmt == "pdf":
        response = FileResponse(
            document.pdf.open("rb"),
            content_type="application/pdf",
            as_attachment=True,
            filename=f"{name}.pdf",
        )
    elif fmt == "docx" and document.kind != DocumentKind.CASE_FILE:
        content = layout.text_docx(document.rendered_text, title=name)
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}.docx"
    else:
        raise Http404
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@login_required
@require_POST
@idempotent_post
def document_scan(request, case_id, document_id):
    case = _case_for_work(request, case_id)
    document = document_selectors.document_get_for_user(request.user, case.pk, document_id)
    form = ScanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document_services.document_attach_scan(
                document=document, actor=request.user, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("已上传%(t)s的签字件。") % {"t": document.title})
    else:
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
    return _back(request, case)


@login_required
@require_POST
@idempotent_post
def case_file_make(request, case_id):
    case = _case_for_work(request, case_id)
    try:
        document = document_services.case_file_generate(case=case, actor=request.user)
    except (ValidationError, ImproperlyConfigured) as exc:
        _refused(request, exc)
    else:
        messages.success(
            request, _("卷宗已生成（共%(n)d页），已随案保存。") % {"n": document.pages}
        )
    return _back(request, case)
