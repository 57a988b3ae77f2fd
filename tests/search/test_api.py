"""GET /api/v1/precedents/ — search, facets, detail, similar; clear 400s; permissions."""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from mediation.cases.models import DisputeType
from mediation.lib.api_tokens import api_token_issue
from parties.models import County
from search import indexing
from search.models import TypicalCaseStatus
from tests.factories.search import TypicalCaseFactory

pytestmark = pytest.mark.django_db
LIST = "/api/v1/precedents/"


@pytest.fixture
def api(people):
    client = APIClient()
    client.force_authenticate(people["court"])
    return client


@pytest.fixture
def library(search_backend, ankang, people):
    cases = [
        TypicalCaseFactory(title="汉滨区建筑工地农民工欠薪司法确认案", year=2023, amount_yuan=Decimal("860000")),
        TypicalCaseFactory(title="石泉县丝绸厂女工工伤支付令案", county=County.SHIQUAN, year=2025,
                           dispute_type=DisputeType.WORK_INJURY, summary="女工<工伤>认定后申请支付令。"),
        TypicalCaseFactory(title="汉滨区某超市收银员欠薪草稿案", status=TypicalCaseStatus.DRAFTING,
                           nominated_by=people["mediator"], agency=ankang["union:610902"]),
    ]
    indexing.index_ids([c.pk for c in cases])
    return cases


def test_the_documented_shape(api, library):
    response = api.get(LIST, {"q": "欠薪", "page_size": 10})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    hit = body["results"][0]
    assert set(hit) == {"id", "title", "county", "year", "dispute_type", "outcome", "topics", "score", "highlight"}
    assert hit == {**hit, "id": library[0].pk, "county": "汉滨区", "year": 2023, "dispute_type": "欠薪"}
    assert "<mark>欠薪</mark>" in hit["highlight"]["title"]
    assert set(body["facets"]) == {"county", "dispute_type", "year", "agency", "outcome", "topic"}
    assert body["facets"]["county"] == [{"value": "汉滨区", "count": 1}]


def test_filters_sort_and_paging(api, library):
    body = api.get(LIST, {"county": "石泉县"}).json()
    assert [r["id"] for r in body["results"]] == [library[1].pk]
    body = api.get(LIST, {"year": ["2023", "2025"], "sort": "amount"}).json()
    assert [r["id"] for r in body["results"]] == [library[0].pk, library[1].pk]
    body = api.get(LIST, {"sort": "date", "page": 2, "page_size": 1}).json()
    assert body["count"] == 2 and [r["id"] for r in body["results"]] == [library[0].pk]


def test_highlight_is_escaped(api, library):
    hit = api.get(LIST, {"q": "工伤"}).json()["results"][0]
    assert "&lt;<mark>工伤</mark>&gt;" in hit["highlight"]["fragments"][0]


@pytest.mark.parametrize("params, field", [
    ({"page": "abc"}, "page"),
    ({"year": "20x5"}, "year"),
    ({"sort": "bogus"}, "sort"),
    ({"page_size": "101"}, "page_size"),
    ({"page": "0"}, "page"),
    ({"county": "火星县"}, "county"),
    ({"page": "600", "page_size": "100"}, "page"),
])
def test_bad_parameters_are_400_with_a_message(api, search_backend, params, field):
    response = api.get(LIST, params)
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"] and body["detail"].startswith("参数错误")


def test_drafts_only_with_scope_all_and_only_for_those_who_may_read(library, people):
    client = APIClient()
    client.force_authenticate(people["mediator"])
    assert client.get(LIST, {"q": "草稿"}).json()["count"] == 0
    assert client.get(LIST, {"q": "草稿", "scope": "all"}).json()["count"] == 1
    client.force_authenticate(people["court"])
    assert client.get(LIST, {"q": "草稿", "scope": "all"}).json()["count"] == 0


def test_detail_and_similar(api, library, people):
    response = api.get(reverse("search_api:detail", args=[library[0].pk]))
    assert response.status_code == 200 and response.json()["title"] == library[0].title
    assert "source_case" not in response.json()
    assert api.get(reverse("search_api:detail", args=[library[2].pk])).status_code == 404  # a draft
    assert api.get(reverse("search_api:detail", args=[99999])).status_code == 404
    similar = api.get(reverse("search_api:similar", args=[library[0].pk])).json()["results"]
    assert library[0].pk not in [r["id"] for r in similar]
    assert library[2].pk not in [r["id"] for r in similar]


def test_authentication_session_or_token(library, people):
    anonymous = APIClient().get(LIST)
    assert (anonymous.status_code, anonymous["WWW-Authenticate"]) == (401, "Token")
    _stored, token = api_token_issue(user=people["supervisor"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(LIST).status_code == 200
    client = APIClient()
    client.force_login(people["supervisor"])
    assert client.get(LIST).status_code == 200


def test_engine_down_is_503_in_chinese(settings, people):
    from .conftest import use_elasticsearch

    use_elasticsearch(settings, "http://127.0.0.1:9")
    client = APIClient()
    client.force_authenticate(people["court"])
    response = client.get(LIST, {"q": "欠薪"})
    assert response.status_code == 503 and "暂时不可用" in response.json()["detail"]
