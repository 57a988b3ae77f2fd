"""Issue 9 item 3 on the apps added after the error pages: the cockpit, its API and the ledgers
answer with the product's zh-hans 404/500 pages (English when chosen), never Django's defaults."""

import pytest
from django.test import Client

from mediation.statistics import selectors as statistics_selectors

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "who, url",
    [
        ("mediator", "/statistics/"),  # no cockpit for a mediator: the same 404 as missing
        ("mediator", "/statistics/report/?year=2026"),
        ("mediator", "/ledgers/exports/999999/"),
        ("mediator", "/ledgers/exports/999999/download/"),
        ("mediator", "/ledgers/no-such-ledger/"),
        ("supervisor", "/statistics/no-such-page/"),
    ],
)
def test_404_in_chinese_then_english(client, people, who, url):
    client.force_login(people[who])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="zh-Hans">' in html and "页面不存在" in html and 'id="error-page"' in html
    assert "Not Found" not in html
    client.cookies["django_language"] = "en"
    html = client.get(url).content.decode()
    assert '<html lang="en">' in html and 'id="error-page"' in html and "Not Found" not in html


def test_statistics_api_404_is_json_not_a_page(client, people):
    client.force_login(people["mediator"])
    response = client.get("/api/v1/statistics/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_500_on_the_cockpit_in_chinese_then_english(people, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the figures failed")

    monkeypatch.setattr(statistics_selectors, "cockpit", fail)
    client = Client(raise_request_exception=False)
    client.force_login(people["supervisor"])
    response = client.get("/statistics/?year=2026")
    html = response.content.decode()
    assert response.status_code == 500
    assert (
        "系统出错" in html and '<html lang="zh-Hans">' in html and "the figures failed" not in html
    )
    client.cookies["django_language"] = "en"
    response = client.get("/statistics/?year=2026")
    assert response.status_code == 500 and '<html lang="en">' in response.content.decode()
