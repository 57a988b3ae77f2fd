"""Reads of cases, always for a user. Missing and forbidden look the same (404)."""

from __future__ import annotations

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

from . import permissions
from .models import (
    Attachment,
    Case,
    CaseEvent,
    CaseRespondent,
    CaseWorker,
    Claim,
)
from .person_search import person_match


def cases_visible_to(user) -> QuerySet[Case]:
    """The cases `user` may see (mediation.cases.permissions, DOMAIN §1.5)."""
    return permissions.cases_visible_to(user)


def case_get_for_user(user, case_id) -> Case:
    try:
        return cases_visible_to(user).select_related("agency", "lead_mediator__staff").get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404("No case matches the given query.") from None


# The case list's filters beyond status/county/channel/q. The cockpit (mediation/statistics)
# counts with the same function, so the list behind a figure holds exactly the cases counted.
EXTRA_CASE_FILTERS = (
    "open", "agency", "dispute_type", "received_from", "received_to", "closed_from", "closed_to",
    "closing_code", "outcome", "clock", "referral_agency", "referred_from", "referred_to", "worker_group",
    "paid_from", "paid_to", "referral_answered",
)


def case_filter(qs: QuerySet[Case], **filters) -> QuerySet[Case]:
    """Narrow `qs` by the case list's filters (each optional; dates are datetime.date).

    Counting rules (docs/statistics.md): received = `received_on` in range; closed = `closed_on`
    in range; outcome "settled" = a closing code starting SUCCESS_, "failed" = FAILED_*;
    clock "overdue" = a running clock past its due date, "at_risk" = running, warning date
    reached, not yet due; "paid" = an instalment paid, or an agreement paid on the spot, in range;
    "referral_answered" = a referral (of that agency / sent in range, with those filters) whose decision is recorded.
    """
    import django.utils.timezone

    from mediation.clocks.models import Clock, ClockStatus

    from .models import OPEN_STATUSES, Agreement, CaseStatus, EmploymentForm, Instalment, Referral

    f = {k: v for k, v in filters.items() if v not in (None, "", [])}
    if f.get("open"):
        qs = qs.filter(status__in=[s for s in OPEN_STATUSES if s != CaseStatus.DRAFT])
    if "agency" in f:
        qs = qs.filter(agency_id=f["agency"])
    if "dispute_type" in f:
        qs = qs.filter(Exists(Claim.objects.filter(case=OuterRef("pk"), dispute_type=f["dispute_type"])))
    if "received_from" in f:
        qs = qs.filter(received_on__gte=f["received_from"])
    if "received_to" in f:
        qs = qs.filter(received_on__lte=f["received_to"])
    if "closed_from" in f:
        qs = qs.filter(closed_on__gte=f["closed_from"])
    if "closed_to" in f:
        qs = qs.filter(closed_on__lte=f["closed_to"])
    if "closing_code" in f:
        qs = qs.filter(closing_code=f["closing_code"])
    if f.get("outcome") == "settled":
        qs = qs.filter(closing_code__startswith="SUCCESS_")
    elif f.get("outcome") == "failed":
        qs = qs.filter(closing_code__startswith="FAILED_")
    if f.get("clock") in ("overdue", "at_risk"):
        today = django.utils.timezone.localdate()
        clocks = Clock.objects.filter(case=OuterRef("pk"), status=ClockStatus.RUNNING)
        if f["clock"] == "overdue":
            clocks = clocks.filter(due_on__lt=today)
        else:
            clocks = clocks.filter(warn_on__lte=today, due_on__gte=today)
        qs = qs.filter(Exists(clocks))
    if {"referral_agency", "referred_from", "referred_to", "referral_answered"} & f.keys():
        referrals = Referral.objects.filter(case=OuterRef("pk"))
        if f.get("referral_answered"):  # the receiving agency recorded its decision
            referrals = referrals.filter(decided_on__isnull=False)
        if "referral_agency" in f:
            referrals = referrals.filter(target_agency_id=f["referral_agency"])
        if "referred_from" in f:
            referrals = referrals.filter(sent_on__gte=f["referred_from"])
        if "referred_to" in f:
            referrals = referrals.filter(sent_on__lte=f["referred_to"])
        qs = qs.filter(Exists(referrals))
    if f.get("worker_group") == "migrant":
        qs = qs.filter(Exists(CaseWorker.objects.filter(case=OuterRef("pk"), is_migrant=True)))
    elif f.get("worker_group") == "nef":
        nef_forms = [EmploymentForm.NEF_LABOR, EmploymentForm.NEF_INCOMPLETE, EmploymentForm.NEF_CIVIL]
        qs = qs.filter(Q(employment_form__in=nef_forms) | Exists(
            CaseWorker.objects.filter(case=OuterRef("pk"), is_new_employment_form=True)))
    if {"paid_from", "paid_to"} & f.keys():
        paid = Instalment.objects.filter(agreement__case=OuterRef("pk"), paid_on__isnull=False)
        spot = Agreement.objects.filter(case=OuterRef("pk"), paid_on_spot=True)
        if "paid_from" in f:
            paid, spot = paid.filter(paid_on__gte=f["paid_from"]), spot.filter(signed_on__gte=f["paid_from"])
        if "paid_to" in f:
            paid, spot = paid.filter(paid_on__lte=f["paid_to"]), spot.filter(signed_on__lte=f["paid_to"])
        qs = qs.filter(Exists(paid) | Exists(spot))
    return qs


def case_list_for_user(user, *, status=None, county=None, channel=None, q=None, **filters) -> QuerySet[Case]:
    qs = cases_visible_to(user)
    if status:
        qs = qs.filter(status=status)
    if county:
        qs = qs.filter(county=county)
    if channel:
        qs = qs.filter(channel=channel)
    if q:
        qs = qs.filter(person_match(q))
    if filters:
        qs = case_filter(qs, **filters)
    # A correlated subquery: only the rows shown are summed, and counting needs no join.
    claimed = (
        Claim.objects.filter(case=OuterRef("pk")).order_by().values("case")
        .annotate(total=Sum("amount_claimed")).values("total")
    )
    return (
        qs.select_related("agency", "lead_mediator__staff")
        .annotate(amount_claimed_total=Subquery(claimed, output_field=DecimalField(max_digits=14, decimal_places=2)),
                  **party_annotations())
        .order_by("-created_at", "-id")
    )


def party_annotations() -> dict:
    """The first applicant (representatives first) and the first respondent of each case, as
    correlated subqueries: evaluated only for the rows shown or exported, never per row in Python."""
    first_worker = CaseWorker.objects.filter(case=OuterRef("pk")).order_by("-is_representative", "id")
    first_respondent = CaseRespondent.objects.filter(case=OuterRef("pk")).order_by("id")
    return {
        "applicant_name": Subquery(first_worker.values("name")[:1]),
        "applicant_id_number": Subquery(first_worker.values("worker__id_number")[:1]),
        "applicant_phone": Subquery(first_worker.values("phone")[:1]),
        "respondent_employer": Subquery(first_respondent.values("employer__name")[:1]),
        "respondent_person": Subquery(first_respondent.values("person_name")[:1]),
    }


def case_detail_for_user(user, case_id) -> Case:
    """The case with everything its page shows, in a fixed number of queries."""
    case = case_get_for_user(user, case_id)
    internal = permissions.may_see_internal_records(user)
    events = CaseEvent.objects.select_related("actor__staff", "agency")
    if not internal:
        events = events.filter(visible_to_partners=True)
    attachments = Attachment.objects.all()
    if not internal:
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
    if not permissions.may_see_internal_records(user):
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
