"""Finding a case by a person: the worker, the employer, or the case number.

Workers come back and ask about "my case" by name, by ID number (often only the last digits,
read out at the counter), by phone; offices look up an employer by name or by its unified social
credit code. `person_match(text)` turns what was typed into one filter on cases; the caller
applies it to a queryset that is already limited to the cases the user may see.

On PostgreSQL the lookups are served by indexes (migration cases 0004): trigram GIN indexes
(pg_trgm) on worker ID number and phone, employer name and credit code, case number and title,
and a pattern btree on the worker's name for "starts with". On SQLite the same lookups run as
plain LIKE scans.
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
    worker = Q()
    employer = Q()
    if _FULL_ID.match(term):
        worker |= Q(id_number=term)
    elif _ID_TAIL.match(term) and len(term) >= MIN_TAIL:
        worker |= Q(id_number__endswith=term)
    if term.isdigit() and len(term) >= MIN_TAIL:
        worker |= Q(phone__contains=term)
    if _CREDIT_CODE.match(term) and not _FULL_ID.match(term):
        employer |= Q(credit_code=term)
    elif _CODE_PART.match(term) and not term.isdigit():
        employer |= Q(credit_code__contains=term)
    if _HAS_TEXT.search(term) and not _CODE_PART.match(term):
        worker |= Q(name__startswith=term)
        employer |= Q(name__contains=term)
        sources.append(
            CaseRespondent.objects.filter(person_name__startswith=term).values("case_id")
        )
    if worker:
        sources.append(
            CaseWorker.objects.filter(worker__in=Worker.objects.filter(worker)).values("case_id")
        )
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
