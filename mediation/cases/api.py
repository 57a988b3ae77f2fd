"""Read API (/api/v1/): session or token authentication, JSON, object permissions applied."""

from __future__ import annotations

from rest_framework.decorators import api_view
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from mediation.lib.masking import mask_id_number, mask_phone
from mediation.lib.security import no_store

from . import hooks, permissions, selectors, services


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


def _agency(agency):
    return {"id": agency.pk, "name": agency.name, "kind": agency.kind, "unit": agency.unit or None,
            "level": agency.level, "county": agency.get_county_display(), "county_code": agency.county}


def _task(task):
    address = getattr(task, "address", None)
    return {
        "id": task.pk, "step": task.flow_task.name, "title": str(task.flow_task.task_title or task.flow_task.name),
        "status": task.status, "created": task.created.isoformat(),
        "owner": task.owner.username if task.owner_id else None,
        "agency": address.agency.name if address else None, "role": address.role if address else None,
    }


@api_view(["GET"])
def me(request):
    staff = getattr(request.user, "staff", None)
    return Response({
        "username": request.user.username,
        "name": staff.full_name if staff else "",
        "roles": sorted(staff.roles) if staff else [],
        "agency": _agency(staff.agency) if staff else None,
    })


def _labels():
    from parties.models import County

    from .models import CaseStatus
    return {k: str(v) for k, v in CaseStatus.choices}, {k: str(v) for k, v in County.choices}


def _case_row(case, labels=None):
    status_labels, county_labels = labels or _labels()
    return {
        "id": case.pk, "case_no": case.case_no, "title": case.title, "status": case.status,
        "status_label": status_labels[case.status], "channel": case.channel, "county": county_labels[case.county],
        "agency": case.agency.name, "received_on": case.received_on.isoformat() if case.received_on else None,
        "workers_count": case.workers_count, "is_collective": case.is_collective,
    }


@no_store
@api_view(["GET"])
def case_list(request):
    qs = selectors.case_list_for_user(request.user, status=request.query_params.get("status") or None)
    paginator = Pagination()
    page = paginator.paginate_queryset(qs, request)
    labels = _labels()
    return paginator.get_paginated_response([_case_row(c, labels) for c in page])


@no_store
@api_view(["GET"])
def case_detail(request, case_id):
    case = selectors.case_detail_for_user(request.user, case_id)
    full = permissions.may_see_personal_data(request.user, case)
    if full and permissions.personal_data_view_is_logged(request.user):
        # DOMAIN §5.1: the same access event as the case page writes.
        services.personal_data_viewed(case=case, actor=request.user)
    data = _case_row(case)
    data.update({
        "facts": case.facts,
        "workers": [{
            "name": cw.name,
            "id_number": cw.id_number if full else mask_id_number(cw.id_number),
            "phone": cw.phone if full else mask_phone(cw.phone),
            "is_representative": cw.is_representative, "amount_claimed": str(cw.amount_claimed),
        } for cw in case.case_workers.all()],
        "respondents": [{"name": str(r), "role": r.role,
                         "credit_code": r.employer.credit_code if r.employer else None}
                        for r in case.respondents.all()],
        "claims": [{"dispute_type": c.dispute_type, "subtype": c.subtype, "item": c.item,
                    "payment_order_eligible": c.payment_order_eligible, "amount_claimed": str(c.amount_claimed),
                    "amount_agreed": str(c.amount_agreed) if c.amount_agreed is not None else None}
                   for c in case.claims.all()],
        "open_tasks": [_task(t) for t in hooks.open_tasks_for_case(case)],
        "events": [{"time": e.created_at.isoformat(), "action": e.action, "summary": e.summary,
                    "actor": e.actor.username if e.actor_id else None,
                    "agency": e.agency.name if e.agency_id else None} for e in case.events.all()],
    })
    return Response(data)


@no_store
@api_view(["GET"])
def task_list(request):
    tasks = hooks.inbox_for(request.user)
    paginator = Pagination()
    page = paginator.paginate_queryset(tasks, request)
    rows = []
    for task in page:
        row = _task(task)
        case = getattr(task.process.coerced, "case", None)
        row["case"] = {"id": case.pk, "case_no": case.case_no} if case else None
        rows.append(row)
    return paginator.get_paginated_response(rows)
