"""Reads of the case paperwork, always through the case selectors (404 for not-yours)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from . import paperwork
from .models import Case, CaseDocument, DocumentKind
from .permissions import may_edit, may_see_internal_records
from .selectors import case_get_for_user

K = DocumentKind

# The documents each flow step uses (offered on its task page).
STEP_KINDS = {
    "assign": [K.ACCEPTANCE_NOTICE],
    "mediate": [K.ACCEPTANCE_NOTICE, K.SESSION_RECORD, K.TERMINATION_NOTICE],
    "file_confirmation": [K.AGREEMENT, K.CONFIRMATION_APPLICATION],
    "judicial_confirmation": [K.AGREEMENT, K.CONFIRMATION_APPLICATION],
    "arbitral_review": [K.AGREEMENT],
    "payment_order": [K.AGREEMENT],
    "payment_order_response": [K.AGREEMENT],
    "enforcement": [K.AGREEMENT],
    "follow_up": [K.AGREEMENT],
    "arbitration": [K.TERMINATION_NOTICE],
    "report_to_court": [K.AGREEMENT, K.TERMINATION_NOTICE],
    "close": [K.NON_ACCEPTANCE_NOTICE, K.TERMINATION_NOTICE, K.AGREEMENT],
    "archive": [K.CLOSING_REPORT, K.CASE_FILE],
}


def documents_for_user(user, case: Case) -> QuerySet[CaseDocument]:
    """The stored documents of a case the user may open (the case itself already checked)."""
    qs = CaseDocument.objects.filter(case=case).select_related("signed_scan", "session", "served")
    if not may_see_internal_records(user):
        # The step's documents, and what the union sent a court with its report (DOMAIN §2.3).
        staff = getattr(user, "staff", None)
        sent_to_court = Q(court_reports__court_id=staff.agency_id) if staff else Q(pk__in=[])
        qs = qs.filter(Q(kind__in=paperwork.PARTNER_KINDS) | sent_to_court).distinct()
    return qs.order_by("created_at", "id")


def document_get_for_user(user, case_id, document_id) -> CaseDocument:
    case = case_get_for_user(user, case_id)
    try:
        return documents_for_user(user, case).get(pk=document_id)
    except (CaseDocument.DoesNotExist, ValueError, TypeError):
        raise Http404("No document matches the given query.") from None


def documents_panel(user, case: Case, *, step: str | None = None) -> dict | None:
    """What the documents panel shows: what can be printed now, what is stored, the case file."""
    kinds = STEP_KINDS.get(step) if step else None
    if step and kinds is None:
        return None
    may_make = may_edit(user, case)
    offered = (
        [row for row in paperwork.offered(case) if kinds is None or row["kind"] in kinds]
        if may_make
        else []
    )
    stored = [
        d
        for d in documents_for_user(user, case)
        if d.kind != K.CASE_FILE
        and (
            kinds is None
            or d.kind in kinds
            or (d.kind == K.SERVICE_RECEIPT and d.served and d.served.kind in kinds)
        )
    ]
    # Only the latest print of each document is offered; older prints stay in the log and the file.
    latest = {}
    for d in stored:
        latest[(d.kind, d.session_id, d.served_id)] = d
    case_files = [d for d in documents_for_user(user, case) if d.kind == K.CASE_FILE]
    show_case_file = (kinds is None or K.CASE_FILE in kinds) and may_see_internal_records(user)
    if not (offered or latest or (show_case_file and (case_files or may_make))):
        return None
    return {
        "offered": offered,
        "stored": list(latest.values()),
        "may_make": may_make,
        "served_kinds": paperwork.SERVED_KINDS,
        "case_file": case_files[-1] if case_files and show_case_file else None,
        "may_bind": show_case_file
        and may_make
        and paperwork.availability(case, K.CASE_FILE) is None,
    }
