"""Fixtures of the typical-case library tests.

`search_backend` runs a test on both engines: the embedded tantivy index (in the
test's tmp_path) and Elasticsearch's API served by osmem-server (one process per
pytest-xdist worker, started once per session on a free loopback port; each test
gets its own alias name, so tests never share an index).
"""

from __future__ import annotations

import os
import uuid

import pytest

from search.backends import get_backend, reset_backends

from .osmem_support import CLIENT_OPTIONS, start_osmem

BACKENDS = ["embedded", "elasticsearch"]


@pytest.fixture(scope="session")
def osmem():
    server = start_osmem()
    yield server
    server.close()


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(autouse=True)
def _isolated_search(settings, tmp_path):
    """Every test starts on a private embedded index; search_backend may switch engines."""
    settings.CONCORD_SEARCH_BACKEND = "embedded"
    settings.CONCORD_EMBEDDED_INDEX_DIR = str(tmp_path / "search-index")
    settings.CONCORD_SEARCH_INDEX = f"test-{_worker()}-{uuid.uuid4().hex[:10]}"
    yield
    reset_backends()


def use_elasticsearch(settings, url: str) -> None:
    settings.CONCORD_SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = url
    settings.CONCORD_ELASTICSEARCH_CLIENT_OPTIONS = CLIENT_OPTIONS


@pytest.fixture(params=BACKENDS)
def search_backend(request, settings, _isolated_search):
    """The configured backend, once per engine."""
    if request.param == "elasticsearch":
        use_elasticsearch(settings, request.getfixturevalue("osmem").url)
    backend = get_backend()
    backend.ensure_index()
    yield backend
    backend.drop()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the after-commit callbacks (indexing tasks) of the block, as a real commit would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def notify_calls(monkeypatch):
    """Record the calls of mediation.notifications.services.notify."""
    calls = []

    def notify(*, recipients, verb, text, url="", dedupe_key=None, email=True, sms=False):
        calls.append({"recipients": list(recipients), "verb": verb, "text": text, "url": url,
                      "dedupe_key": dedupe_key, "email": email, "sms": sms})

    import mediation.notifications.services as module

    monkeypatch.setattr(module, "notify", notify)
    return calls
