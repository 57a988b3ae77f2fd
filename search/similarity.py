"""Similar typical cases, built from a query of the salient terms of a text.

Elasticsearch's more_like_this is not used: it depends on term vectors of an
indexed document (which an open mediation case is not) and osmem returns
nothing for it. Instead jieba's TF-IDF keyword extraction picks the salient
words of the case, and a weighted OR of those words as phrases runs on
whichever backend is configured, boosted for the same dispute type.
"""

from __future__ import annotations

import logging
import threading

from .backends import get_backend
from .deidentify import PATTERNS, rules_for_case
from .deidentify import apply as deidentify_apply
from .models import EmployerPolicy, TypicalCase, label_of
from .query import Access, SearchHit, SearchRequest, weighted_text_query

MAX_TERMS = 12
SAME_TYPE_BOOST = 2.0
SAME_COUNTY_BOOST = 0.5
# Words present in nearly every typical case: they carry no similarity.
STOPWORDS = {
    "调解", "案件", "工会", "双方", "当事人", "申请", "工作", "进行", "要求", "情况", "问题", "相关", "依法",
    "表示", "认为", "以及", "通过", "达成", "协议", "纠纷", "争议", "劳动", "劳动者", "职工", "工人", "单位",
    "公司", "企业", "元", "万元", "年", "月", "日", "某", "该案", "本案",
}

_lock = threading.Lock()
_extract = None


def _extractor():
    global _extract
    with _lock:
        if _extract is None:
            import jieba
            import jieba.analyse

            jieba.setLogLevel(logging.WARNING)
            _extract = jieba.analyse.extract_tags
    return _extract


def salient_terms(text: str, limit: int = MAX_TERMS) -> list[tuple[str, float]]:
    """The most characteristic words of `text`, weighted 0.5–1.0."""
    candidates = _extractor()(text or "", topK=limit * 3, withWeight=True)
    terms = [(w, s) for w, s in candidates if len(w) >= 2 and not w.isdigit() and w not in STOPWORDS][:limit]
    if not terms:
        return []
    top = max(s for _w, s in terms)
    return [(w, round(0.5 + 0.5 * s / top, 3)) for w, s in terms]


def _run(text: str, *, boosts: list[tuple[str, str, float]], exclude_ids: list[int], limit: int,
         timeout: float | None = None) -> list[SearchHit]:
    terms = salient_terms(text)
    if not terms:
        return []
    request = SearchRequest(
        text=weighted_text_query(terms), page_size=limit, access=Access(public_only=True),
        exclude_ids=exclude_ids, boosts=boosts, highlight=False, facets=False, timeout=timeout,
    )
    return get_backend().search(request).hits


def similar_to_typical_case(tc: TypicalCase, limit: int = 5) -> list[SearchHit]:
    text = "\n".join([tc.title, tc.title, " ".join(tc.tags), tc.summary, tc.handling, tc.significance])
    boosts = [("dispute_type", tc.dispute_type_label, SAME_TYPE_BOOST), ("county", tc.county_label, SAME_COUNTY_BOOST)]
    return _run(text, boosts=boosts, exclude_ids=[tc.pk], limit=limit)


def case_query_text(case) -> str:
    """The words of a mediation case that describe the dispute, with names and numbers scrubbed."""
    from mediation.cases.models import DisputeType, EmploymentForm
    from parties.models import Industry

    parts = [case.title, case.title, case.facts]
    for claim in case.claims.all():
        parts += [label_of(DisputeType, claim.dispute_type), claim.subtype, claim.basis]
    parts.append(label_of(Industry, case.industry))
    if case.employment_form != EmploymentForm.STANDARD:
        parts.append(label_of(EmploymentForm, case.employment_form))
    for session in case.sessions.all():
        parts.append(session.points_in_dispute)
    text = "\n".join(p for p in parts if p)
    scrubbed = deidentify_apply(text, rules_for_case(case, EmployerPolicy.INDUSTRY))
    for _kind, pattern, _label in PATTERNS:
        scrubbed = pattern.sub(" ", scrubbed)
    return scrubbed.replace("某", " ")


def similar_to_case(case, limit: int = 5, timeout: float | None = None) -> list[SearchHit]:
    from mediation.cases.models import DisputeType
    from parties.models import County

    types = {label_of(DisputeType, c.dispute_type) for c in case.claims.all()}
    boosts = [("dispute_type", t, SAME_TYPE_BOOST) for t in sorted(types)]
    boosts.append(("county", label_of(County, case.county), SAME_COUNTY_BOOST))
    return _run(case_query_text(case), boosts=boosts, exclude_ids=[], limit=limit, timeout=timeout)
