"""Finding a case by a person: the worker, the employer, or the case number.

Workers come back and ask about "my case" by name, by ID number (often only the last digits,
read out at the counter), by phone; offices look up an employer by name or by its unified social
credit code. `person_match(text)` turns what was typed into one filter on cases; the caller
applies it to a queryset that is already limited to the cases the user may see.

The name and phone are matched against what each case records about the person
(CaseWorker.name / .phone, the case's own snapshot, issue 9 item 1), never against the person
record (Worker), which is only the identity (ID number): a case is found by the name it prints,
and not by a name the same ID number was registered under on another case.

On PostgreSQL the lookups are served by indexes: trigram GIN indexes (pg_trgm) on the worker's
ID number, employer name and credit code, case number and title (migration cases 0004), on the
case's recorded phone, and a pattern btree on the case's recorded name for "starts with"
(migration cases 0010). On SQLite the same lookups run as plain LIKE scans.
"""

from __future__ import annotations

import re
import unicodedata

from django.db.models import Q

# Separators people type inside numbers: spaces, hyphens, dots.
_SEPARATORS = re.compile(r"[\s\-－—.·]+")
_FULL_ID = re.compile(r"^(\d{17}[\dX]|\d{15})$")
_ID_TAIL = re.compile(r"^\d{3,16}X?$")
_CREDIT_CODE = re.compile(r"^[0-9A-Z]{18}$")
_CODE_PART = re.compile(r"^[0-9A-Z]{6,17}$")
_HAS_TEXT = re.compile(r"[^\W\d_]")  # any letter, Han characters included

MIN_TAIL = 4  # "尾号1234": fewer digits would match a large share of everyone


def normalise_query(raw: str | None) -> str:
    """NFKC (full-width digits and letters typed with a Chinese IME become ASCII), no
    separators, upper case (ID numbers end in X, credit codes are stored upper case)."""
    text = unicodedata.normalize("NFKC", raw or "")
    return _SEPARATORS.sub("", text).upper()


def person_match(raw: str) -> Q:
    """A filter on Case for what was typed in the case list's search box. Empty input matches nothing."""
    from parties.models import Employer, Worker

    from .models import Case, CaseRespondent, CaseWorker

    term = normalise_query(raw)
    if not term:
        return Q(pk__in=[])
    # Each way of matching reads its own index and yields case ids; the union of them is then
    # joined to the (permission-scoped) cases. An OR across the joins would make PostgreSQL walk
    # every visible case testing each one.
    sources = []
    if len(term) >= 3:  # fewer characters make no trigram: a case number or title needs 3
        sources.append(Case.objects.filter(case_no__contains=term).values("pk"))
        sources.append(Case.objects.filter(title__contains=term).values("pk"))
    identity = Q()  # on Worker: the ID number only
    recorded = Q()  # on CaseWorker: what the case itself records
    employer = Q()
    if _FULL_ID.match(term):
        identity |= Q(id_number=term)
    elif _ID_TAIL.match(term) and len(term) >= MIN_TAIL:
        identity |= Q(id_number__endswith=term)
    if term.isdigit() and len(term) >= MIN_TAIL:
        recorded |= Q(phone__contains=term)
    if _CREDIT_CODE.match(term) and not _FULL_ID.match(term):
        employer |= Q(credit_code=term)
    elif _CODE_PART.match(term) and not term.isdigit():
        employer |= Q(credit_code__contains=term)
    if _HAS_TEXT.search(term) and not _CODE_PART.match(term):
        recorded |= Q(name__startswith=term)
        employer |= Q(name__contains=term)
        sources.append(
            CaseRespondent.objects.filter(person_name__startswith=term).values("case_id")
        )
    if identity:
        sources.append(
            CaseWorker.objects.filter(worker__in=Worker.objects.filter(identity)).values("case_id")
        )
    if recorded:
        sources.append(CaseWorker.objects.filter(recorded).values("case_id"))
    if employer:
        sources.append(
            CaseRespondent.objects.filter(employer__in=Employer.objects.filter(employer)).values(
                "case_id"
            )
        )
    if not sources:
        return Q(pk__in=[])
    first, *rest = [source.order_by() for source in sources]
    return Q(pk__in=first.union(*rest) if rest else first)
