"""Saved-search alerts: tell a supervisor when a newly published case matches."""

from __future__ import annotations

import logging

from django.urls import reverse
from django.utils.translation import gettext as _

from .backends import get_backend
from .indexing import index_ids
from .lexicon import lexicon
from .models import SavedSearch, TypicalCase, TypicalCaseStatus
from .query import Access
from .selectors import SearchParameterError, request_for
from .understanding import understand

logger = logging.getLogger(__name__)


def matches(saved: SavedSearch, typical_case_id: int) -> bool:
    """Whether the saved search finds this (published) case, asked of the search engine itself."""
    try:
        request = request_for(understand(saved.query, lexicon(), as_filters=False), saved.filters or {})
    except SearchParameterError:
        logger.warning("saved search %s has filters that no longer exist: %s", saved.pk, saved.filters)
        return False
    request.page_size = 1
    request.access = Access(public_only=True)
    request.ids = [typical_case_id]
    request.highlight = request.facets = False
    return get_backend().search(request).count > 0


def alert_saved_searches(typical_case_id: int) -> int:
    """Notify the owners of matching saved searches; returns how many were notified."""
    from mediation.notifications.services import notify

    tc = TypicalCase.objects.filter(pk=typical_case_id, status=TypicalCaseStatus.PUBLISHED).first()
    if tc is None:
        return 0
    index_ids([tc.pk])  # the alert may run before the indexing task: make sure the case is there
    url = reverse("search:detail", args=[tc.pk])
    sent = 0
    for saved in SavedSearch.objects.filter(alert=True, user__is_active=True).select_related("user"):
        if not matches(saved, tc.pk):
            continue
        notify(
            recipients=[saved.user],
            verb="typical_case.saved_search_match",
            text=_("新发布的典型案例“%(title)s”符合您保存的检索“%(name)s”。") % {"title": tc.title, "name": saved.name},
            url=url,
            dedupe_key=f"saved-search:{saved.pk}:typical-case:{tc.pk}",
            email=True,
        )
        sent += 1
    return sent
