"""Reads of the typical-case library, always on behalf of a user."""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from mediation.cases.models import ClosingCode, DisputeType
from parties.models import County

from . import permissions
from .backends import get_backend
from .lexicon import lexicon
from .models import PartnerAgency, SavedSearch, Topic, TypicalCase, TypicalCaseStatus
from .query import FACETS, SORTS, SearchRequest, SearchResult
from .understanding import Understood, near_suggestion, understand

MAX_PAGE_SIZE = 100
# A query that finds fewer cases than this gets a "您是不是要找" suggestion if one exists.
FEW_RESULTS = 3


class SearchParameterError(ValueError):
    """A search parameter that cannot be understood; the message is shown to the user."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@functools.lru_cache(maxsize=8)
def _label_lookups(language: str | None) -> dict[str, dict[str, str]]:
    """code or label → the label stored in the index. Index labels are the Chinese source
    strings, so they are read with translation off; per language, the displayed label too."""
    out: dict[str, dict[str, str]] = {}
    for key, choices in (("county", County), ("dispute_type", DisputeType), ("agency", PartnerAgency),
                         ("outcome", ClosingCode)):
        with translation.override(None):
            source = {value: str(label) for value, label in choices.choices}
        lookup = {}
        for value, label in choices.choices:
            lookup[str(value)] = source[value]
            lookup[source[value]] = source[value]
            lookup[str(label)] = source[value]
        out[key] = lookup
    return out


def normalize_filters(raw: dict[str, Iterable[str]]) -> dict[str, list]:
    """Facet filters from request parameters (label or code) → index field → values."""
    lookups = _label_lookups(translation.get_language())
    out: dict[str, list] = {}
    for key, values in raw.items():
        values = [v.strip() for v in values if v is not None and str(v).strip()]
        if key not in FACETS or not values:
            continue
        if key == "topic":
            names = set(Topic.objects.filter(name__in=values).values_list("name", flat=True))
            unknown = [v for v in values if v not in names]
            if unknown:
                raise SearchParameterError(key, _("无法识别的筛选值：%(value)s") % {"value": unknown[0]})
            out[FACETS[key]] = values
            continue
        if key == "year":
            years = []
            for v in values:
                if not str(v).isdigit() or not 1900 <= int(v) <= 2100:
                    raise SearchParameterError("year", _("年度应为四位数字年份，例如 2024。"))
                years.append(int(v))
            out[FACETS[key]] = years
            continue
        labels = []
        for v in values:
            label = lookups[key].get(v)
            if label is None:
                raise SearchParameterError(key, _("无法识别的筛选值：%(value)s") % {"value": v})
            labels.append(label)
        out[FACETS[key]] = labels
    return out


def search_typical_cases(
    *, user, q: str = "", filters: dict[str, Iterable[str]] | None = None, sort: str = "relevance",
    page: int = 1, page_size: int = 20, include_drafts: bool = False, highlight: bool = True,
    exact: bool = False,
) -> SearchResult:
    """Full-text search with facets; raises SearchParameterError or backends.SearchUnavailable.

    The query is understood first (search.understanding); `exact` searches every word as text."""
    if sort not in SORTS:
        raise SearchParameterError("sort", _("排序方式只能是：%(sorts)s") % {"sorts": "、".join(SORTS)})
    if page < 1:
        raise SearchParameterError("page", _("页码应为正整数。"))
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise SearchParameterError("page_size", _("每页条数应在1到%(max)s之间。") % {"max": MAX_PAGE_SIZE})
    if page * page_size > 10_000:
        raise SearchParameterError("page", _("页码超出范围，请缩小检索条件。"))
    lex = lexicon()
    understood = understand(q, lex, recognise_entities=not exact)
    request = request_for(understood, filters or {})
    request.sort, request.page, request.page_size = sort, page, page_size
    request.access = permissions.access_for(user, include_drafts=include_drafts)
    request.highlight = highlight
    result = get_backend().search(request)
    result.entities = understood.entities
    result.understood_filters = understood.filters
    result.suggestion = understood.suggestion
    if not result.suggestion and q and not understood.filters and result.count < FEW_RESULTS:
        result.suggestion = near_suggestion(q, lex)
    return result


def request_for(understood: Understood, filters: dict[str, Iterable[str]]) -> SearchRequest:
    """The engine request of an understood query and the page's facet filters (validated)."""
    merged = {k: list(v) for k, v in filters.items()}
    for key, values in understood.filters.items():
        merged.setdefault(key, [])
        merged[key] += [str(v) for v in values if str(v) not in merged[key]]
    return SearchRequest(text=understood.text, filters=normalize_filters(merged),
                         multipliers=list(understood.multipliers))


def typical_cases_visible_to(user) -> QuerySet[TypicalCase]:
    """Published cases for all staff; pipeline cases for their participants (permissions.can_view)."""
    staff = permissions.staff_of(user)
    if staff is None:
        return TypicalCase.objects.none()
    qs = TypicalCase.objects.all()
    if permissions.is_approver(user):
        return qs
    return qs.filter(
        Q(status=TypicalCaseStatus.PUBLISHED) | Q(nominated_by=user) | Q(agency_id=staff.agency_id)
    )


def typical_case_get_for_user(user, typical_case_id: int) -> TypicalCase:
    """The typical case, or Http404 — the same for a missing and a forbidden one."""
    tc = typical_cases_visible_to(user).filter(pk=typical_case_id).first()
    if tc is None:
        raise Http404(_("没有找到该典型案例。"))
    return tc


def pipeline_for(user) -> QuerySet[TypicalCase]:
    """Cases in the pipeline that the user takes part in (drafts, reviews, rejections)."""
    return typical_cases_visible_to(user).exclude(status=TypicalCaseStatus.PUBLISHED).order_by("-updated_at")


def source_case_for_user(user, typical_case: TypicalCase):
    """The source mediation case if the user may follow the link (union staff who can see it)."""
    if not typical_case.source_case_id or not permissions.can_see_source_case(user):
        return None
    from mediation.cases.selectors import cases_visible_to

    return cases_visible_to(user).filter(pk=typical_case.source_case_id).first()


def saved_searches_of(user) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(user=user)


def similar_precedents(typical_case: TypicalCase, limit: int = 5) -> list:
    """Published typical cases like this one (raises SearchUnavailable)."""
    from .similarity import similar_to_typical_case

    return similar_to_typical_case(typical_case, limit=limit)


def similar_precedents_for_case(case, limit: int = 5) -> list:
    """Published typical cases like an open mediation case (raises SearchUnavailable)."""
    from .similarity import similar_to_case

    return similar_to_case(case, limit=limit)


class _Breaker:
    """After the engine failed or was slow, the case page's panel says "unavailable" at once
    for a while instead of waiting again on every page (issue 9 item 10)."""

    def __init__(self):
        self.open_until = 0.0
        self.lock = threading.Lock()

    def is_open(self) -> bool:
        return time.monotonic() < self.open_until

    def trip(self, seconds: float) -> None:
        with self.lock:
            self.open_until = time.monotonic() + seconds

    def reset(self) -> None:
        with self.lock:
            self.open_until = 0.0


similar_breaker = _Breaker()


def similar_precedents_for_case_page(case, limit: int = 5) -> list:
    """The case page's panel: a short timeout (CONCORD_SIMILAR_TIMEOUT_SECONDS, 1 s) and a circuit
    breaker (CONCORD_SIMILAR_BREAKER_SECONDS, 30 s). Raises SearchUnavailable."""
    from django.conf import settings

    from .backends import SearchUnavailable
    from .similarity import similar_to_case

    if similar_breaker.is_open():
        raise SearchUnavailable("circuit open")
    try:
        return similar_to_case(case, limit=limit,
                               timeout=float(getattr(settings, "CONCORD_SIMILAR_TIMEOUT_SECONDS", 1.0)))
    except SearchUnavailable:
        similar_breaker.trip(float(getattr(settings, "CONCORD_SIMILAR_BREAKER_SECONDS", 30)))
        raise
