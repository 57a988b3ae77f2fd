"""Reads of cases, always for a user. Missing and forbidden look the same (404)."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.http import Http404

from parties.models import CASE_HANDLING_ROLES, Role

from .models import Attachment, Case, CaseEvent, CaseGroupObjectPermission, CaseWorker, Claim


def _staff(user):
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "staff", None)


def is_union_staff(user) -> bool:
    staff = _staff(user)
    return bool(staff and staff.agency.is_union)


def cases_visible_to(user) -> QuerySet[Case]:
    """DOMAIN §1.5: counties see their own cases, the city supervisor all of them,
    a partner agency only the cases with a step addressed to it."""
    staff = _staff(user)
    if staff is None:
        return Case.objects.none()
    agency = staff.agency
    if agency.is_union:
        if agency.is_city and staff.has_role(Role.UNION_SUPERVISOR):
            return Case.objects.all()
        if not staff.roles.intersection(CASE_HANDLING_ROLES | {Role.LABOR_SUPERVISOR}):
            return Case.objects.none()
        if agency.is_city:
            return Case.objects.filter(agency=agency)
        return Case.objects.filter(county=agency.county)
    # Partner agency: granted when a task is addressed to it (workflows.engine.route_to).
    # EXISTS on the permission id: the planner misjudges a join on the codename.
    view_case = Permission.objects.get(content_type__app_label="cases", codename="view_case")
    granted = CaseGroupObjectPermission.objects.filter(
        content_object=OuterRef("pk"), group_id=agency.group_id, permission_id=view_case.pk
    )
    return Case.objects.filter(Exists(granted))


def case_get_for_user(user, case_id) -> Case:
    try:
        return cases_visible_to(user).select_related("agency", "lead_mediator__staff").get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404("No case matches the given query.") from None


def can_see_personal_data(user, case: Case) -> bool:
    """Full ID numbers and phones: union handlers of the case's scope, the city supervisor,
    and partner liaisons with a task on it (the case is visible to them only then)."""
    staff = _staff(user)
    if staff is None:
        return False
    if staff.agency.is_union:
        return bool(staff.roles.intersection(CASE_HANDLING_ROLES))
    return staff.has_role(Role.LIAISON)


def is_partner_view(user) -> bool:
    staff = _staff(user)
    return bool(staff and not staff.agency.is_union)


def case_list_for_user(user, *, status=None, county=None, channel=None, q=None) -> QuerySet[Case]:
    qs = cases_visible_to(user)
    if status:
        qs = qs.filter(status=status)
    if county:
        qs = qs.filter(county=county)
    if channel:
        qs = qs.filter(channel=channel)
    if q:
        qs = qs.filter(Q(case_no__icontains=q) | Q(title__icontains=q))
    # A correlated subquery: only the rows shown are summed, and counting needs no join.
    claimed = (
        Claim.objects.filter(case=OuterRef("pk")).order_by().values("case")
        .annotate(total=Sum("amount_claimed")).values("total")
    )
    return (
        qs.select_related("agency", "lead_mediator__staff")
        .annotate(amount_claimed_total=Subquery(claimed, output_field=DecimalField(max_digits=14, decimal_places=2)))
        .order_by("-created_at", "-id")
    )


def case_detail_for_user(user, case_id) -> Case:
    """The case with everything its page shows, in a fixed number of queries."""
    case = case_get_for_user(user, case_id)
    partner = is_partner_view(user)
    events = CaseEvent.objects.select_related("actor__staff", "agency")
    if partner:
        events = events.filter(visible_to_partners=True)
    attachments = Attachment.objects.all()
    if partner:
        # Partners get the file of the step, not the confidential session records.
        attachments = attachments.filter(session__isnull=True)
    return (
        Case.objects.filter(pk=case.pk)
        .select_related("agency", "source_agency", "lead_mediator__staff", "created_by__staff")
        .prefetch_related(
            Prefetch("case_workers", queryset=CaseWorker.objects.select_related("worker")),
            "respondents__employer",
            "agents",
            "claims__case_worker__worker",
            "sessions__attachments",
            "extensions",
            "confirmation_requests__target_agency",
            "referrals__target_agency",
            "visits",
            Prefetch("attachments", queryset=attachments),
            Prefetch("events", queryset=events),
        )
        .get()
    )


def attachment_get_for_user(user, case_id, attachment_id) -> Attachment:
    case = case_get_for_user(user, case_id)
    qs = Attachment.objects.filter(case=case)
    if is_partner_view(user):
        qs = qs.filter(session__isnull=True)
    try:
        return qs.get(pk=attachment_id)
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise Http404("No attachment matches the given query.") from None


def status_counts_for_user(user) -> dict[str, int]:
    rows = cases_visible_to(user).order_by().values("status").annotate(n=Count("*"))
    return {r["status"]: r["n"] for r in rows}


_PROGRESS = [
    ("RECEIVED", "收件"), ("ACCEPTED", "受理"), ("IN_MEDIATION", "调解"), ("AGREEMENT_EFFECTIVE", "协议"),
    ("PERFORMING", "履行"), ("CLOSED", "结案"), ("ARCHIVED", "归档"),
]
_STAGE_OF = {
    "DRAFT": 0, "RECEIVED": 0, "ACCEPTED": 1, "NOT_ACCEPTED": 1, "REDIRECTED": 1, "IN_MEDIATION": 2,
    "EXTENDED": 2, "MEDIATION_FAILED": 2, "REFERRED_OUT": 2, "WITHDRAWN": 2, "AGREEMENT_EFFECTIVE": 3,
    "CONFIRMATION_PENDING": 3, "CONFIRMED": 3, "CONFIRMATION_REFUSED": 3, "PERFORMING": 4, "DEFAULTED": 4,
    "ENFORCEMENT": 4, "PERFORMED": 4, "CLOSED": 5, "ARCHIVED": 6,
}


def case_progress(case: Case) -> list[dict]:
    """The main path of the case as steps done / current / to come, for the progress bar."""
    from django.utils.translation import gettext as _

    current = _STAGE_OF.get(case.status, 0)
    return [{"label": _(label), "state": "done" if i < current else "current" if i == current else "todo"}
            for i, (_code, label) in enumerate(_PROGRESS)]


def open_cases_for_parties(user, *, id_numbers, credit_codes) -> QuerySet[Case]:
    """Open cases the user may see with one of these workers against one of these employers:
    registration warns before a second case is opened for the same dispute (issue 9 item 2).
    Only cases visible to the user are matched, so nothing about other counties leaks."""
    from .models import OPEN_STATUSES

    if not id_numbers or not credit_codes:
        return Case.objects.none()
    return (
        cases_visible_to(user)
        .filter(status__in=OPEN_STATUSES, case_workers__worker__id_number__in=list(id_numbers),
                respondents__employer__credit_code__in=list(credit_codes))
        .distinct()
        .order_by("-created_at", "-id")
    )
