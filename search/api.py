"""Read API of the typical-case library: /api/v1/precedents/ (DRF, session or token auth)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors
from .backends import SearchUnavailable
from .query import FACETS, SORTS


class SearchParams(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    county = serializers.ListField(child=serializers.CharField(max_length=40), required=False, default=list)
    dispute_type = serializers.ListField(child=serializers.CharField(max_length=40), required=False, default=list)
    year = serializers.ListField(child=serializers.IntegerField(min_value=1900, max_value=2100), required=False,
                                 default=list)
    agency = serializers.ListField(child=serializers.CharField(max_length=40), required=False, default=list)
    outcome = serializers.ListField(child=serializers.CharField(max_length=60), required=False, default=list)
    topic = serializers.ListField(child=serializers.CharField(max_length=30), required=False, default=list)
    sort = serializers.ChoiceField(choices=SORTS, required=False, default="relevance")
    page = serializers.IntegerField(min_value=1, required=False, default=1)
    page_size = serializers.IntegerField(min_value=1, max_value=selectors.MAX_PAGE_SIZE, required=False, default=20)
    scope = serializers.ChoiceField(choices=["published", "all"], required=False, default="published")


LIST_PARAMS = tuple(FACETS)


def _bad_request(errors: dict) -> Response:
    parts = []
    for field, messages in errors.items():
        if isinstance(messages, dict):  # ListField errors are keyed by position
            messages = [m for sub in messages.values() for m in sub]
        parts.append(f"{field}：{'；'.join(str(m) for m in messages)}")
    return Response({"detail": _("参数错误。") + " ".join(parts), "errors": errors}, status=status.HTTP_400_BAD_REQUEST)


def _unavailable(exc: SearchUnavailable) -> Response:
    return Response({"detail": str(exc.user_message)}, status=status.HTTP_503_SERVICE_UNAVAILABLE)


def hit_json(hit) -> dict:
    return {
        "id": hit.id,
        "title": hit.source.get("title"),
        "county": hit.source.get("county"),
        "year": hit.source.get("year"),
        "dispute_type": hit.source.get("dispute_type"),
        "outcome": hit.source.get("outcome"),
        "topics": hit.source.get("topics") or [],
        "score": round(hit.score, 4),
        "highlight": hit.highlight or {},
    }


class PrecedentListAPI(APIView):
    """GET ?q=&county=&dispute_type=&year=&agency=&outcome=&topic=&sort=&page=&page_size=&scope=

    The answer also says what the query was understood to name (`understood`: county, year,
    agency, outcome, topic), the filters a query of only such words became (`applied_filters`),
    and a "您是不是要找" `suggestion` (or "")."""

    def get(self, request):
        raw = {}
        for key, value in request.query_params.lists():
            raw[key] = value if key in LIST_PARAMS else value[-1]
        params = SearchParams(data=raw)
        if not params.is_valid():
            return _bad_request(params.errors)
        data = params.validated_data
        try:
            result = selectors.search_typical_cases(
                user=request.user, q=data["q"], filters={k: [str(v) for v in data[k]] for k in LIST_PARAMS},
                sort=data["sort"], page=data["page"], page_size=data["page_size"],
                include_drafts=data["scope"] == "all",
            )
        except selectors.SearchParameterError as exc:
            return _bad_request({exc.field: [exc.message]})
        except SearchUnavailable as exc:
            return _unavailable(exc)
        return Response({
            "count": result.count,
            "page": data["page"],
            "page_size": data["page_size"],
            "results": [hit_json(h) for h in result.hits],
            "facets": result.facets,
            "understood": [{"facet": e.facet, "value": e.value, "text": e.text} for e in result.entities],
            "applied_filters": result.understood_filters,
            "suggestion": result.suggestion,
        })


def typical_case_json(tc, user) -> dict:
    out = {
        "id": tc.pk,
        "title": tc.title,
        "county": tc.county_label,
        "year": tc.year,
        "dispute_type": tc.dispute_type_label,
        "tags": tc.tags,
        "topics": tc.topic_names,
        "agencies": tc.agency_labels,
        "channel": tc.channel_label,
        "outcome": tc.outcome_label,
        "amount_yuan": str(tc.amount_yuan),
        "workers_count": tc.workers_count,
        "summary": tc.summary,
        "handling": tc.handling,
        "significance": tc.significance,
        "legal_basis": tc.legal_basis,
        "status": tc.status,
        "version": tc.version,
        "published_at": tc.published_at.isoformat() if tc.published_at else None,
    }
    source = selectors.source_case_for_user(user, tc)
    if source is not None:
        out["source_case"] = {"id": source.pk, "case_no": source.case_no}
    return out


class PrecedentDetailAPI(APIView):
    def get(self, request, pk: int):
        tc = selectors.typical_case_get_for_user(request.user, pk)
        return Response(typical_case_json(tc, request.user))


class PrecedentSimilarAPI(APIView):
    def get(self, request, pk: int):
        tc = selectors.typical_case_get_for_user(request.user, pk)
        try:
            hits = selectors.similar_precedents(tc, limit=5)
        except SearchUnavailable as exc:
            return _unavailable(exc)
        return Response({"results": [hit_json(h) for h in hits]})
