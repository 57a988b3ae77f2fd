"""Issue 9 item 3 on the cockpit, its report download and the statistics API: a year that cannot
be one answers 400 with the reason in Chinese, never 500 and never a silent default."""

import pytest

pytestmark = pytest.mark.django_db

ABSURD = ["0", "-1", "10000", "abc", "1999", "2026.5", "９９９９９"]


@pytest.mark.parametrize("year", ABSURD)
def test_cockpit_answers_400_with_the_reason(client, people, year):
    client.force_login(people["supervisor"])
    response = client.get("/statistics/", {"year": year})
    assert response.status_code == 400
    html = response.content.decode()
    assert "年度" in html and ("年度须在2000至2100之间。" in html or "年度无效" in html)
    assert 'id="kpi-received"' in html  # the default view below the message, to go on from


@pytest.mark.parametrize("year", ABSURD)
def test_statistics_api_answers_400_with_the_reason(client, people, year):
    client.force_login(people["supervisor"])
    response = client.get("/api/v1/statistics/", {"year": year})
    assert response.status_code == 400
    assert response.json()["detail"] in ("年度须在2000至2100之间。", f"年度无效：{year}")


@pytest.mark.parametrize("year", ["0", "10000", "abc"])
def test_report_download_answers_400_with_the_reason(client, people, year):
    client.force_login(people["supervisor"])
    response = client.get("/statistics/report/", {"year": year, "format": "xlsx"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请求有误" in html and "年度" in html and 'href="/statistics/"' in html


def test_other_refused_filters_answer_400_too(client, people):
    client.force_login(people["supervisor"])
    assert client.get("/statistics/", {"period": "quarter", "quarter": "9"}).status_code == 400
    assert client.get("/statistics/", {"period": "custom", "from": "x"}).status_code == 400
    assert client.get("/api/v1/statistics/", {"period": "month", "month": "13"}).status_code == 400


@pytest.mark.parametrize("year", ["", "2000", "2026", "2100"])
def test_real_years_answer_200(client, people, year):
    client.force_login(people["supervisor"])
    assert client.get("/statistics/", {"year": year}).status_code == 200
    assert client.get("/api/v1/statistics/", {"year": year}).status_code == 200
