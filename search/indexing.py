"""Feeding the search index from the database, and repairing it.

Writes to TypicalCase queue `index_typical_cases` after commit (ids only).
`reconcile` compares id → version in the database and in the index and repairs
any drift (a lost task, an engine that was down, a rebuild that raced an edit);
the beat schedule runs it every 30 minutes as search.tasks.reconcile_index.
Queuing those tasks lives in search.tasks, so imports run one way:
services/importing → tasks → alerts → indexing → backends.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator

from .backends import get_backend
from .documents import document_for
from .models import TypicalCase

logger = logging.getLogger(__name__)

BATCH = 500


def index_ids(ids: Iterable[int]) -> dict:
    """Index the given typical cases as they are now; ids no longer in the database are removed."""
    ids = sorted({int(i) for i in ids})
    backend = get_backend()
    found = list(TypicalCase.objects.filter(pk__in=ids).prefetch_related("topics"))
    backend.index([document_for(tc) for tc in found])
    missing = sorted(set(ids) - {tc.pk for tc in found})
    backend.delete(missing)
    return {"indexed": len(found), "deleted": len(missing)}


def iter_documents(queryset=None) -> Iterator[dict]:
    qs = queryset if queryset is not None else TypicalCase.objects.all()
    for tc in qs.order_by("pk").prefetch_related("topics").iterator(chunk_size=BATCH):
        yield document_for(tc)


def reconcile() -> dict:
    """Make the index hold exactly the database's typical cases at their current versions."""
    backend = get_backend()
    backend.ensure_index()
    in_db = dict(TypicalCase.objects.values_list("pk", "version"))
    in_index = backend.indexed_versions()
    stale = sorted(pk for pk, version in in_db.items() if in_index.get(pk) != version)
    extra = sorted(set(in_index) - set(in_db))
    for start in range(0, len(stale), BATCH):
        chunk = stale[start:start + BATCH]
        backend.index([document_for(tc) for tc in TypicalCase.objects.filter(pk__in=chunk).prefetch_related("topics")])
    backend.delete(extra)
    report = {"checked": len(in_db), "reindexed": len(stale), "deleted": len(extra)}
    if stale or extra:
        logger.info("search index reconciled: %s", report)
    return report


def rebuild(progress: Callable[[int], None] | None = None) -> dict:
    """A new index from scratch, switched in at once; then catch up with edits made meanwhile."""
    backend = get_backend()
    count = backend.rebuild(iter_documents(), progress=progress)
    report = reconcile()
    return {"indexed": count, **report}
