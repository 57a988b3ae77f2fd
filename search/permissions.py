"""Who may do what with a typical case (DOMAIN §1.5, §2.6), in one screen.

| action                        | who                                                             |
|-------------------------------|-----------------------------------------------------------------|
| read a PUBLISHED case, search | every staff member (all agencies)                               |
| read a case in the pipeline   | its nominator, staff of the nominating agency, union supervisors |
| nominate / write a draft      | mediators, committee heads, labor-law supervisors, union        |
|                               | supervisors; partner liaisons may suggest                       |
| edit a draft, de-identify,    | the nominator, staff of the nominating agency, union supervisors |
| submit for review             |                                                                 |
| review (checklist), publish,  | union supervisors (Role.UNION_SUPERVISOR)                       |
| reject, unpublish, edit a     |                                                                 |
| published case                |                                                                 |
| see the source case link      | union staff only, and only if the case itself is visible to them |

The search index stores the same rule per document (public / allowed_users /
allowed_agencies / allowed_roles, see search.documents) so that a search over
drafts returns only what the user may read.
"""

from __future__ import annotations

from mediation.cases.permissions import NOMINATING_ROLES
from parties.models import Role

from .models import TypicalCase, TypicalCaseStatus
from .query import Access

APPROVER_ROLES = (Role.UNION_SUPERVISOR,)
DRAFT_STATUSES = (TypicalCaseStatus.NOMINATED, TypicalCaseStatus.DRAFTING, TypicalCaseStatus.DEIDENTIFIED)


def staff_of(user):
    if not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "staff", None)


def is_staff_member(user) -> bool:
    return staff_of(user) is not None


def is_approver(user) -> bool:
    staff = staff_of(user)
    return bool(staff and staff.has_role(*APPROVER_ROLES))


def can_nominate(user) -> bool:
    staff = staff_of(user)
    return bool(staff and staff.has_role(*NOMINATING_ROLES))


def is_participant(user, typical_case: TypicalCase) -> bool:
    """The nominator, a colleague at the nominating agency, or a supervisor."""
    staff = staff_of(user)
    if staff is None:
        return False
    if is_approver(user):
        return True
    if typical_case.nominated_by_id and typical_case.nominated_by_id == user.id:
        return True
    return bool(typical_case.agency_id and typical_case.agency_id == staff.agency_id)


def can_view(user, typical_case: TypicalCase) -> bool:
    if typical_case.status == TypicalCaseStatus.PUBLISHED:
        return is_staff_member(user)
    return is_participant(user, typical_case)


def can_edit(user, typical_case: TypicalCase) -> bool:
    if typical_case.status in DRAFT_STATUSES:
        return is_participant(user, typical_case)
    if typical_case.status in (TypicalCaseStatus.PUBLISHED, TypicalCaseStatus.UNPUBLISHED):
        return is_approver(user)
    return False


def can_see_source_case(user) -> bool:
    staff = staff_of(user)
    return bool(staff and staff.agency.is_union)


def access_for(user, *, include_drafts: bool = False) -> Access:
    """The index-side filter for `user` (published only unless drafts are asked for)."""
    staff = staff_of(user)
    if not include_drafts or staff is None:
        return Access(public_only=True)
    return Access(public_only=False, user_id=user.id, agency_id=staff.agency_id, roles=tuple(sorted(staff.roles)))


def document_access(typical_case: TypicalCase) -> dict:
    """The access fields stored in the index document (mirrors can_view)."""
    users = sorted({u for u in (typical_case.nominated_by_id, typical_case.reviewer_id) if u})
    return {
        "public": typical_case.status == TypicalCaseStatus.PUBLISHED,
        "allowed_users": users,
        "allowed_agencies": [typical_case.agency_id] if typical_case.agency_id else [],
        "allowed_roles": [str(r) for r in APPROVER_ROLES],
    }
