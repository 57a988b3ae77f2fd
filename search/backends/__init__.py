"""One search interface, two engines: the embedded tantivy index (default, no
server) and Elasticsearch (when ELASTICSEARCH_URL is set).

settings.CONCORD_SEARCH_BACKEND picks one; get_backend() builds it once per
configuration and rebuilds it when the relevant settings change (tests).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.translation import gettext_lazy as _

from ..query import SearchRequest, SearchResult


class SearchUnavailable(Exception):
    """The engine cannot answer now (server down, index locked or unreadable)."""

    user_message = _("典型案例检索暂时不可用，请稍后再试。案例的发布和修改不受影响，恢复后会自动补全索引。")


class SearchBackend:
    """What both engines provide. Documents are dicts made by search.documents.document_for."""

    name = ""

    def ensure_index(self) -> None:
        raise NotImplementedError

    def index(self, docs: list[dict]) -> None:
        """Add or replace documents by id."""
        raise NotImplementedError

    def delete(self, ids: list[int]) -> None:
        raise NotImplementedError

    def search(self, request: SearchRequest) -> SearchResult:
        raise NotImplementedError

    def indexed_versions(self) -> dict[int, int]:
        """id → version of every document in the index (for reconciliation)."""
        raise NotImplementedError

    def rebuild(self, docs: Iterable[dict], progress: Callable[[int], None] | None = None) -> int:
        """Build a new index from `docs` and switch readers to it at once; returns the count."""
        raise NotImplementedError

    def drop(self) -> None:
        """Remove the index and everything it holds."""
        raise NotImplementedError

    def describe(self) -> dict:
        return {"backend": self.name}


_lock = threading.Lock()
_backends: dict[tuple, SearchBackend] = {}


def _config_key() -> tuple:
    return (
        settings.CONCORD_SEARCH_BACKEND,
        getattr(settings, "ELASTICSEARCH_URL", ""),
        settings.CONCORD_SEARCH_INDEX,
        str(settings.CONCORD_EMBEDDED_INDEX_DIR),
        getattr(settings, "CONCORD_EMBEDDED_ANALYZER", "bigram"),
        repr(sorted(getattr(settings, "CONCORD_ELASTICSEARCH_CLIENT_OPTIONS", {}).items(), key=lambda kv: kv[0])),
        getattr(settings, "CONCORD_ELASTICSEARCH_REPLICAS", 0),
    )


def get_backend() -> SearchBackend:
    key = _config_key()
    with _lock:
        backend = _backends.get(key)
        if backend is None:
            backend = _make_backend()
            _backends[key] = backend
        return backend


def _make_backend() -> SearchBackend:
    kind = settings.CONCORD_SEARCH_BACKEND
    if kind == "embedded":
        from .embedded import EmbeddedBackend

        return EmbeddedBackend(
            settings.CONCORD_EMBEDDED_INDEX_DIR,
            analyzer=getattr(settings, "CONCORD_EMBEDDED_ANALYZER", "bigram"),
        )
    if kind == "elasticsearch":
        from .elastic import ElasticsearchBackend

        return ElasticsearchBackend(
            settings.ELASTICSEARCH_URL,
            alias=settings.CONCORD_SEARCH_INDEX,
            client_options=getattr(settings, "CONCORD_ELASTICSEARCH_CLIENT_OPTIONS", {}),
            replicas=int(getattr(settings, "CONCORD_ELASTICSEARCH_REPLICAS", 0)),
        )
    raise ValueError(f"Unknown CONCORD_SEARCH_BACKEND {kind!r}: use 'embedded' or 'elasticsearch'")


def reset_backends(**kwargs) -> None:
    """Forget the built backends (their clients close when no longer referenced)."""
    with _lock:
        _backends.clear()


def _on_setting_changed(setting, **kwargs):
    if setting.startswith("CONCORD_") or setting == "ELASTICSEARCH_URL":
        reset_backends()


setting_changed.connect(_on_setting_changed)
