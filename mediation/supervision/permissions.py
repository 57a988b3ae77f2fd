"""Who may see and do what with a supervision matter (一函两书, DOMAIN §1.5, §4), in one screen.

| what                                      | who                                                          |
|-------------------------------------------|--------------------------------------------------------------|
| see a matter, its letters and downloads   | the city union supervisor: every matter; union staff: their  |
|                                           | county's matters (the city union: its own and the city's);   |
|                                           | a partner agency: only matters addressed to it (the object   |
|                                           | permission granted to its group when a step is addressed)    |
| see the union's file on a matter (the     | union staff only; a partner sees the letters, its own step   |
| clue, investigation, linked cases, the    | and the events marked visible to partners                    |
| events not marked for partners)           |                                                              |
| register a clue, start a mass 提示函,       | union labor-law supervisors and union supervisors            |
| the statistics page                       |                                                              |
| work on a matter from its page (refer,    | the same, for the matter's county (a city union: any county) |
| link or spawn a case, campaign deliveries)|                                                              |
| the steps themselves (services refuse)    | the same, for the county of the matter's union               |
| be an investigator (调查核实)               | union labor-law supervisors                                  |
| refer a clue to the procuratorate         | the above, when the matter's union is of a referring level   |
|                                           | (county or city, rule REFERRAL_LEVELS)                       |
| sign off (签发) a letter                    | the chair / vice-chair (UNION_CHAIR) of the matter's union    |
| record a department's filing and result, | staff of the addressed department / procuratorate            |
| a procuratorate's feedback                |                                                              |
| act on a flow step                        | the agency and role the step is addressed to (workflows)     |

Missing and forbidden look the same: every read goes through `matters_visible_to` (404).
Views hand the answers to templates as flags; templates never re-check a role.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from parties.models import Agency, County, Role

from .models import MatterGroupObjectPermission, SupervisionMatter

WRITER_ROLES = (Role.LABOR_SUPERVISOR, Role.UNION_SUPERVISOR)
INVESTIGATOR_ROLES = (Role.LABOR_SUPERVISOR,)
SIGNER_ROLES = (Role.UNION_CHAIR,)


def staff_of(user):
    """The user's Staff row, or None (anonymous, or an account without one)."""
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "staff", None)


def is_partner_view(user) -> bool:
    staff = staff_of(user)
    return bool(staff and not staff.agency.is_union)


# ---------------------------------------------------------------- seeing

def sees_all_counties(user) -> bool:
    staff = staff_of(user)
    return bool(staff and staff.agency.is_union and staff.agency.is_city and staff.has_role(Role.UNION_SUPERVISOR))


def matters_visible_to(user) -> QuerySet[SupervisionMatter]:
    staff = staff_of(user)
    if staff is None:
        return SupervisionMatter.objects.none()
    agency = staff.agency
    if agency.is_union:
        if sees_all_counties(user):
            return SupervisionMatter.objects.all()
        if agency.is_city:
            return SupervisionMatter.objects.filter(Q(agency=agency) | Q(county=County.CITY))
        return SupervisionMatter.objects.filter(county=agency.county)
    granted = MatterGroupObjectPermission.objects.filter(
        group_id=agency.group_id, permission__codename="view_supervisionmatter"
    ).values("content_object_id")
    return SupervisionMatter.objects.filter(pk__in=granted)


def may_see_internal_records(user) -> bool:
    """The clue, the investigation, the linked cases, the union's own events: not for partners."""
    staff = staff_of(user)
    return bool(staff and staff.agency.is_union)


# ---------------------------------------------------------------- acting

def is_union_supervision_staff(user) -> bool:
    """Union labor-law supervisors and union supervisors: they register clues, draft and
    deliver letters, start mass reminders and read the statistics."""
    staff = staff_of(user)
    return bool(staff and staff.agency.is_union and staff.has_role(*WRITER_ROLES))


def may_register_matter(user) -> bool:
    return is_union_supervision_staff(user)


def may_see_statistics(user) -> bool:
    return is_union_supervision_staff(user)


def covers_agency(user, agency: Agency) -> bool:
    """A county union's staff handle the matters of their county's unions; a city union's, all."""
    staff = staff_of(user)
    return bool(staff and (staff.agency.is_city or staff.agency.county == agency.county))


def may_handle(user, agency: Agency | None = None) -> bool:
    """The rule the services apply to every step of the union (see services._require_union_supervision_staff)."""
    return is_union_supervision_staff(user) and (agency is None or covers_agency(user, agency))


def may_write(user, matter: SupervisionMatter) -> bool:
    """The matter page's forms: the same rule as the services' (may_handle on the matter's union),
    so a form is offered only to who may submit it."""
    return may_handle(user, matter.agency)


def may_investigate(user) -> bool:
    """调查核实 is done by union labor-law supervisors (at least two of them)."""
    staff = staff_of(user)
    return bool(staff and staff.agency.is_union and staff.has_role(*INVESTIGATOR_ROLES))


def may_refer_to_procuratorate(user, matter: SupervisionMatter) -> bool:
    """Only a county or city federation passes a clue to the procuratorate (2024 SPP–ACFTU notice)."""
    from .services import rule  # the locality's rules live with the services that apply them

    return may_write(user, matter) and matter.agency.level in rule("REFERRAL_LEVELS")


def may_sign_off(user, matter: SupervisionMatter) -> bool:
    """签发: the chair or a vice-chair of the matter's union."""
    staff = staff_of(user)
    return staff is not None and staff.agency_id == matter.agency_id and staff.has_role(*SIGNER_ROLES)


def is_staff_of(user, agency: Agency) -> bool:
    """The addressed department or procuratorate records its own answer."""
    staff = staff_of(user)
    return bool(staff and staff.agency_id == agency.pk)
