"""Issue 9 item 10: with Elasticsearch hanging, the case page does not wait for it.

The similar-precedents panel loads after the page from its own URL, with a short timeout and a
circuit breaker, and says when the search is unavailable.
"""

import socket
import threading

import pytest
from django.test import Client

from mediation.cases.models import CaseStatus
from search import indexing
from search.selectors import similar_breaker
from tests.factories.search import TypicalCaseFactory, closed_case

from .conftest import use_elasticsearch

pytestmark = pytest.mark.django_db


class HangingServer:
    """Accepts connections on 127.0.0.1 and never answers: an Elasticsearch that hangs."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.connections = []
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _accept(self):
        while not self.closed:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            self.connections.append(conn)

    def close(self):
        self.closed = True
        for conn in self.connections:
            conn.close()
        self.sock.close()


@pytest.fixture
def hanging(settings):
    server = HangingServer()
    use_elasticsearch(settings, server.url)
    settings.CONCORD_SIMILAR_TIMEOUT_SECONDS = 0.3
    yield server
    server.close()


@pytest.fixture(autouse=True)
def closed_breaker():
    similar_breaker.reset()
    yield
    similar_breaker.reset()


@pytest.fixture
def open_case_page(people, ankang):
    case = closed_case(
        agency=ankang["union:610902"], created_by=people["intake"], status=CaseStatus.IN_MEDIATION
    )
    client = Client()
    client.force_login(people["mediator"])
    return case, client


def test_case_page_does_not_ask_a_hanging_engine(hanging, open_case_page):
    case, client = open_case_page
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert (
        f'data-similar-url="/cases/{case.pk}/similar/"' in page
        and "/static/concord/similar.js" in page
    )
    assert hanging.connections == []  # the page never touched the engine


def test_panel_gives_up_quickly_and_then_stops_asking(hanging, open_case_page):
    case, client = open_case_page
    panel = client.get(f"/cases/{case.pk}/similar/", headers={"X-Requested-With": "fetch"})
    assert panel.status_code == 200
    body = panel.content.decode()
    assert "典型案例检索暂时不可用" in body and "<html" not in body
    asked = len(hanging.connections)
    assert asked == 1
    again = client.get(
        f"/cases/{case.pk}/similar/", headers={"X-Requested-With": "fetch"}
    ).content.decode()
    assert "典型案例检索暂时不可用" in again
    assert len(hanging.connections) == asked  # the circuit breaker answered without waiting


def test_panel_lists_similar_cases_when_search_works(open_case_page):
    case, client = open_case_page
    TypicalCaseFactory(
        title="汉滨区安置小区农民工欠薪司法确认案", summary="总包先行清偿农民工工资。"
    )
    indexing.reconcile()
    fragment = client.get(
        f"/cases/{case.pk}/similar/", headers={"X-Requested-With": "fetch"}
    ).content.decode()
    assert "汉滨区安置小区农民工欠薪司法确认案" in fragment
    page = client.get(f"/cases/{case.pk}/similar/").content.decode()  # without script: a whole page
    assert "<html" in page and "汉滨区安置小区农民工欠薪司法确认案" in page and case.case_no in page


def test_panel_of_a_case_the_user_may_not_see_is_404(people, open_case_page):
    case, _client = open_case_page
    outsider = Client()
    outsider.force_login(people["other_county_mediator"])
    assert outsider.get(f"/cases/{case.pk}/similar/").status_code == 404
