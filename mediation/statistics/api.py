"""GET /api/v1/statistics/: the cockpit's figures as JSON, scoped like the page."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from rest_framework.decorators import api_view
from rest_framework.response import Response

from . import selectors


@api_view(["GET"])
def statistics(request):
    """Query: year, period (year|quarter|month|custom), quarter, month, from, to, county, agency,
    dispute_type — the page's own parameters. 404 for users without a cockpit; 400 with a
    zh-hans message for bad input."""
    if not selectors.may_view_cockpit(request.user):
        raise Http404
    try:
        filters = selectors.filters_parse(request.user, request.query_params)
    except ValidationError as exc:
        return Response({"detail": "；".join(exc.messages)}, status=400)
    return Response(selectors.cockpit(request.user, filters))
