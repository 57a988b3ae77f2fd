"""Who may see and do what with a mediation case (DOMAIN §1.5), in one screen.

| what                                   | who                                                                |
|----------------------------------------|--------------------------------------------------------------------|
| see a case (list, page, API, files)    | city union supervisor: every case; union case handlers and labor-law |
|                                        | supervisors: their union's cases (a county union: its county's);   |
|                                        | a partner agency: only cases with a step addressed to it (the      |
|                                        | object permission `view_case` granted to its group by the flow)    |
| open (register) a case                 | union intake officers, mediators, committee heads; court liaisons  |
|                                        | (a delegation); arbitration liaisons (a referral)                  |
| work on a case (files, agents,         | intake officers, mediators and committee heads of the handling     |
| corrections, paperwork)                | union; never once the case is archived                             |
| approve an extension, close a case     | the committee head (调解委员会主任)                                 |
| record a withdrawal (T21)              | intake officers, mediators and committee heads of the handling     |
|                                        | union, in an open state up to enforcement                          |
| accept and assign in one step          | the committee head of the handling union                           |
| be assigned as lead mediator           | mediators and committee heads of the handling union                |
| be assigned as assistant               | any staff of the handling union                                    |
| act on a flow step                     | the agency and role the step is addressed to (workflows.engine)    |
| full ID numbers and phones (case page) | union case handlers (intake, mediators, heads, union supervisor);  |
|                                        | partner liaisons with a step on the case (each view is logged)     |
| full phones in lists                   | union case handlers only; ID numbers are masked in every list      |
| the overdue-clocks link in the header  | union staff (the page itself lists only the cases they may see)    |
| session records, internal events,      | the union only: a partner sees the step's files and the events     |
| the case file, nominating a typical    | marked visible to partners                                         |
| case, the child-labour warning         |                                                                    |

Missing and forbidden look the same: every read goes through `cases_visible_to` (404).
Views hand the answers to templates as flags; templates never re-check a role.
"""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, QuerySet

from parties.models import CASE_HANDLING_ROLES, Role

from .models import Case, CaseGroupObjectPermission, CaseStatus

WORKING_ROLES = (Role.INTAKE, Role.MEDIATOR, Role.COMMITTEE_HEAD)
APPROVER_ROLES = (Role.COMMITTEE_HEAD,)
LEAD_MEDIATOR_ROLES = (Role.MEDIATOR, Role.COMMITTEE_HEAD)
EXTENDABLE_STATUSES = (CaseStatus.IN_MEDIATION, CaseStatus.EXTENDED)


def staff_of(user):
    """The user's Staff row, or None (anonymous, or an account without one)."""
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "staff", None)


def is_union_staff(user) -> bool:
    staff = staff_of(user)
    return bool(staff and staff.agency.is_union)


def is_partner_view(user) -> bool:
    """Staff of a partner agency (court, arbitration, inspection, legal aid, procuratorate…)."""
    staff = staff_of(user)
    return bool(staff and not staff.agency.is_union)


# ---------------------------------------------------------------- seeing

def cases_visible_to(user) -> QuerySet[Case]:
    """DOMAIN §1.5: counties see their own cases, the city supervisor all of them,
    a partner agency only the cases with a step addressed to it."""
    staff = staff_of(user)
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


def may_see_personal_data(user, case: Case) -> bool:
    """Full ID numbers and phones: union handlers of the case's scope, the city supervisor,
    and partner liaisons with a task on it (the case is visible to them only then)."""
    staff = staff_of(user)
    if staff is None:
        return False
    if staff.agency.is_union:
        return bool(staff.roles.intersection(CASE_HANDLING_ROLES))
    return staff.has_role(Role.LIAISON)


def personal_data_view_is_logged(user) -> bool:
    """DOMAIN §5.1: a partner's view of unmasked personal data is written to the case log."""
    return is_partner_view(user)


def may_see_personal_data_in_lists(user) -> bool:
    """Full phone numbers in case lists: only the union's case handlers. Partners and everyone
    else see them masked (a partner's full view is on the case page, logged). ID numbers are
    masked in every list."""
    staff = staff_of(user)
    return bool(staff and staff.agency.is_union and staff.roles.intersection(CASE_HANDLING_ROLES))


def may_see_overdue_dashboard(user) -> bool:
    """The header links the overdue clocks of the cases in scope for union staff."""
    return is_union_staff(user)


def may_see_internal_records(user) -> bool:
    """Session records, the events not marked for partners, the case file, the child-labour
    warning: the union's file. A partner gets the documents and files of its step."""
    return is_union_staff(user)


# Who may nominate a typical case (DOMAIN §2.6: any mediator, supervisor or partner); search.permissions
# decides on the nomination itself with the same roles.
NOMINATING_ROLES = (Role.MEDIATOR, Role.COMMITTEE_HEAD, Role.LABOR_SUPERVISOR, Role.UNION_SUPERVISOR, Role.LIAISON)


def may_nominate_typical_case(user, case: Case) -> bool:
    """The case page offers 提名典型案例 on a closed case to whoever the nomination accepts."""
    staff = staff_of(user)
    return bool(staff and staff.has_role(*NOMINATING_ROLES)) and not case.is_open


# ---------------------------------------------------------------- acting

def intake_family(user) -> str | None:
    """Who may open a case and how (DOMAIN §1.5 "Register intake"): "union", "court",
    "arbitration", or None for nobody."""
    staff = staff_of(user)
    return staff.intake_family if staff else None


def may_register_case(user) -> bool:
    return intake_family(user) is not None


def may_work_on(user, case: Case) -> bool:
    """Union staff of the handling organisation who work cases (not partners, not read-only roles)."""
    staff = getattr(user, "staff", None)
    return bool(staff and staff.agency_id == case.agency_id and staff.has_role(*WORKING_ROLES))


def may_pause_clocks(user, case: Case) -> bool:
    """暂停计时 / 恢复计时 (D34, e.g. 等待工伤认定): a handler of the case's union, while the case is open."""
    return case.is_open and may_work_on(user, case)


def may_edit(user, case: Case) -> bool:
    """Upload files, record agents, correct a party, print documents and bind the case file:
    a handler, before archiving."""
    return may_see_internal_records(user) and case.status != CaseStatus.ARCHIVED and may_work_on(user, case)


def may_approve(user) -> bool:
    """An extension (T7) and the closing of a case (T22) are decided by the committee head."""
    staff = getattr(user, "staff", None)
    return bool(staff and staff.has_role(*APPROVER_ROLES))


def may_extend(user, case: Case) -> bool:
    """The extension form on the case page: the head of the handling union, while mediating."""
    staff = staff_of(user)
    return bool(
        staff
        and not is_partner_view(user)
        and staff.has_role(*APPROVER_ROLES)
        and staff.agency_id == case.agency_id
        and case.status in EXTENDABLE_STATUSES
    )


# T21: the states a withdrawal may be recorded from (mediation.cases.services.TRANSITIONS["withdraw"]).
WITHDRAWABLE_STATUSES = (
    CaseStatus.RECEIVED, CaseStatus.ACCEPTED, CaseStatus.IN_MEDIATION, CaseStatus.EXTENDED,
    CaseStatus.AGREEMENT_EFFECTIVE, CaseStatus.CONFIRMATION_PENDING, CaseStatus.CONFIRMED,
    CaseStatus.CONFIRMATION_REFUSED, CaseStatus.PERFORMING, CaseStatus.DEFAULTED, CaseStatus.ENFORCEMENT,
)


def may_withdraw(user, case: Case) -> bool:
    """The withdrawal form on the case page (T21): a handler of the handling union, while the case is
    open up to enforcement."""
    return (may_see_internal_records(user) and may_work_on(user, case)
            and case.status in WITHDRAWABLE_STATUSES)


def may_assign_mediator(user, case: Case) -> bool:
    """The assignment that follows acceptance is addressed to the committee head of the case's union."""
    staff = getattr(user, "staff", None)
    return bool(staff and staff.agency_id == case.agency_id and staff.has_role(*APPROVER_ROLES))


def may_lead_mediation(user, case: Case) -> bool:
    """Who can be assigned as the lead mediator: a mediator or head of the handling union."""
    staff = getattr(user, "staff", None)
    return bool(staff and staff.agency_id == case.agency_id and staff.has_role(*LEAD_MEDIATOR_ROLES))


def may_assist_mediation(user, case: Case) -> bool:
    """Who can be assigned as an assistant mediator: any staff of the handling union."""
    staff = getattr(user, "staff", None)
    return bool(staff and staff.agency_id == case.agency_id)
