"""Reads of supervision matters, always for a user. Missing and forbidden look the same (404).

DOMAIN §1.5: labor-law supervisors and union staff see their county's matters, the
city union supervisor all of them; a partner agency only the matters addressed to it
(the department a 建议书 went to, the procuratorate a clue was passed to), through the
object permission granted to its group.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404

from parties.models import County

from . import permissions
from .models import (
    CLOSED_STATUSES,
    DepartmentDecision,
    DepartmentHandling,
    DepartmentResult,
    Letter,
    LetterKind,
    LetterRecipient,
    MatterCaseLink,
    MatterEvent,
    MatterStatus,
    ProcuratorateAction,
    ProcuratorateReferral,
    ReplyKind,
    SupervisionMatter,
    Verification,
)


def matters_visible_to(user) -> QuerySet[SupervisionMatter]:
    """The matters `user` may see (mediation.supervision.permissions, DOMAIN §1.5)."""
    return permissions.matters_visible_to(user)


def matter_get_for_user(user, matter_id) -> SupervisionMatter:
    try:
        return matters_visible_to(user).select_related("agency", "employer").get(pk=matter_id)
    except (SupervisionMatter.DoesNotExist, ValueError, TypeError):
        raise Http404("No matter matches the given query.") from None


def matter_list_for_user(user, *, status=None, county=None, q=None) -> QuerySet[SupervisionMatter]:
    qs = matters_visible_to(user)
    if status == "open":
        qs = qs.exclude(status__in=CLOSED_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if county:
        qs = qs.filter(county=county)
    if q:
        qs = qs.filter(Q(matter_no__icontains=q) | Q(title__icontains=q) | Q(employer__name__icontains=q))
    return qs.select_related("agency", "employer").annotate(letter_count=Count("letters")).order_by("-created_at", "-id")


def matter_detail_for_user(user, matter_id) -> SupervisionMatter:
    """The matter with everything its page shows, in a fixed number of queries."""
    matter = matter_get_for_user(user, matter_id)
    events = MatterEvent.objects.select_related("actor__staff", "agency")
    if not permissions.may_see_internal_records(user):
        events = events.filter(visible_to_partners=True)
    return (
        SupervisionMatter.objects.filter(pk=matter.pk)
        .select_related("agency", "employer", "source_case", "created_by__staff")
        .prefetch_related(
            "investigations__investigators__staff",
            "violations",
            Prefetch("letters", queryset=Letter.objects.select_related("department", "issuer", "handling")
                     .prefetch_related("recipients", "co_issuers")),
            Prefetch("referrals", queryset=ProcuratorateReferral.objects.select_related("agency")),
            Prefetch("case_links", queryset=MatterCaseLink.objects.select_related("case")),
            Prefetch("events", queryset=events),
        )
        .get()
    )


def letter_get_for_user(user, matter_id, letter_id) -> Letter:
    """A letter of a matter the user may see (downloads go through here)."""
    matter = matter_get_for_user(user, matter_id)
    try:
        return Letter.objects.select_related("matter", "issuer").get(pk=letter_id, matter=matter)
    except (Letter.DoesNotExist, ValueError, TypeError):
        raise Http404("No letter matches the given query.") from None


def matters_for_case(user, case) -> list[MatterCaseLink]:
    """The matters linked to a mediation case that the user may see (for the case page)."""
    visible = matters_visible_to(user).values("pk")
    return list(
        MatterCaseLink.objects.filter(case=case, matter__in=visible)
        .select_related("matter", "matter__employer").order_by("created_at", "id")
    )


# ---------------------------------------------------------------- statistics (DOMAIN §4.6)

def _rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def supervision_statistics(user, *, year: int, county: str | None = None) -> dict:
    """Letters by type and month, reply and rectification rate, referrals and results, per county."""
    matters = matters_visible_to(user)
    if county:
        matters = matters.filter(county=county)
    letters = Letter.objects.filter(matter__in=matters.values("pk"), year=year)

    by_month = defaultdict(lambda: {k: 0 for k in LetterKind.values})
    for row in letters.annotate(month=TruncMonth("issued_on")).values("month", "kind").annotate(n=Count("id")):
        by_month[row["month"].month][row["kind"]] = row["n"]
    months = [{"month": m, "counts": by_month[m], "total": sum(by_month[m].values())} for m in range(1, 13)]
    max_total = max([m["total"] for m in months] + [1])

    by_kind = {k: 0 for k in LetterKind.values}
    for row in letters.values("kind").annotate(n=Count("id")):
        by_kind[row["kind"]] = row["n"]

    employer_letters = LetterRecipient.objects.filter(letter__in=letters, employer__isnull=False)
    delivered = employer_letters.filter(delivered_on__isnull=False)
    replied = delivered.exclude(reply_kind__in=["", ReplyKind.NO_REPLY])
    answered = delivered.exclude(reply_kind="")
    rectified = delivered.filter(verification=Verification.RECTIFIED)

    handlings = DepartmentHandling.objects.filter(letter__in=letters)
    referrals = ProcuratorateReferral.objects.filter(matter__in=matters.values("pk"), sent_on__year=year)

    per_county = []
    county_rows = defaultdict(lambda: {k: 0 for k in LetterKind.values})
    for row in letters.values("matter__county", "kind").annotate(n=Count("id")):
        county_rows[row["matter__county"]][row["kind"]] = row["n"]
    matter_rows = {
        r["county"]: r for r in matters.filter(year=year).values("county").annotate(
            n=Count("id"), closed_rectified=Count("id", filter=Q(status=MatterStatus.CLOSED_RECTIFIED)),
        )
    }
    for code, label in County.choices:
        counts = county_rows.get(code)
        mrow = matter_rows.get(code)
        if not counts and not mrow:
            continue
        per_county.append({
            "code": code, "label": label, "counts": counts or {k: 0 for k in LetterKind.values},
            "matters": mrow["n"] if mrow else 0, "rectified": mrow["closed_rectified"] if mrow else 0,
        })
    amounts = matters.filter(year=year).values_list("amount_recovered", "workers_covered")
    return {
        "year": year,
        "county": county,
        "by_kind": by_kind,
        "months": months,
        "max_total": max_total,
        "delivered": delivered.count(),
        "reply_rate": _rate(replied.count(), answered.count()),
        "rectification_rate": _rate(rectified.count(), answered.count()),
        "replied": replied.count(),
        "answered": answered.count(),
        "rectified": rectified.count(),
        "recommendations": {
            "total": by_kind[LetterKind.RECOMMENDATION],
            "filed": handlings.filter(decision=DepartmentDecision.FILED).count(),
            "declined": handlings.filter(decision=DepartmentDecision.DECLINED).count(),
            "results": [
                {"result": r["result"], "label": DepartmentResult(r["result"]).label, "n": r["n"]}
                for r in handlings.exclude(result="").values("result").annotate(n=Count("id")).order_by("result")
            ],
        },
        "referrals": {
            "total": referrals.count(),
            "answered": referrals.filter(feedback_on__isnull=False).count(),
            "actions": [
                {"action": r["action"], "label": ProcuratorateAction(r["action"]).label, "n": r["n"]}
                for r in referrals.exclude(action="").values("action").annotate(n=Count("id")).order_by("action")
            ],
        },
        "per_county": per_county,
        "amount_recovered": sum((a for a, _w in amounts), 0),
        "workers_covered": sum((w for _a, w in amounts), 0),
    }


def open_tasks_for_matter(matter: SupervisionMatter) -> list:
    """The open steps of the matter's flows (the ladder and any procuratorate referral)."""
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    return list(
        Task.objects.filter(
            process__supervisionprocess__matter=matter, flow_task_type="HUMAN",
            status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED],
        ).select_related("address__agency", "owner__staff").order_by("created", "id")
    )


def recipient_of_matter(matter: SupervisionMatter, recipient_id) -> LetterRecipient:
    try:
        return LetterRecipient.objects.select_related("letter").get(pk=int(recipient_id), letter__matter=matter)
    except (LetterRecipient.DoesNotExist, TypeError):
        raise ValueError("recipient") from None
