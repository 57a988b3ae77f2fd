"""The cockpit through real URLs: who lands on it, who may open it, filters in the URL, the API."""

import json
import re

import pytest

from tests.statistics.conftest import HB, HY

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "who, home",
    [
        ("supervisor", "/statistics/"),
        ("head", "/statistics/"),
        ("mediator", "/inbox/"),
        ("intake", "/inbox/"),
        ("court", "/inbox/"),
    ],
)
def test_home_page_per_role(client, people, who, home):
    client.force_login(people[who])
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == home


def test_login_lands_the_supervisor_on_the_cockpit(client, people):
    response = client.post(
        "/login/", {"username": "city_supervisor", "password": "pass-Concord-2026"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/statistics/"
    assert "数据驾驶舱" in response.content.decode()


@pytest.mark.parametrize("who", ["mediator", "court", "labor_supervisor"])
def test_others_get_404(client, people, who):
    client.force_login(people[who])
    assert client.get("/statistics/").status_code == 404
    assert client.get("/statistics/report/?year=2026").status_code == 404
    assert client.get("/api/v1/statistics/?year=2026").status_code == 404


def test_cockpit_page_shows_the_figures_with_links_and_chart_data(client, dataset, people):
    client.force_login(people["supervisor"])
    response = client.get("/statistics/?year=2026&period=year")
    assert response.status_code == 200
    html = response.content.decode()
    kpi = re.search(r'id="kpi-received" href="([^"]+)"><span class="stat">(\d+)</span>', html)
    assert kpi.group(2) == "7"
    listing = client.get(kpi.group(1).replace("&amp;", "&")).content.decode()
    assert "共 7 件" in listing
    assert "统计口径筛选" in listing
    data = json.loads(
        re.search(
            r'<script id="cockpit-data" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
    )
    assert data["current"]["received"] == 7
    assert "432,000.00" in html  # recovered, in yuan with two decimals
    assert "同比 +250.0%" in html
    # Charts are drawn by static files only: ECharts from static/, no inline script, no CDN.
    assert "/static/vendor/echarts/echarts.min.js" in html
    assert "/static/statistics/cockpit.js" in html
    assert not re.search(r"<script(?![^>]*(src=|type=\"application/json\"))", html)
    assert "https://" not in html.replace("https://www.w3.org", "")
    # Table alternatives and footnotes.
    assert html.count('class="chart-table"') == 6
    assert "集体争议计为一件" in html


def test_filters_are_kept_in_the_url_and_applied(client, dataset, people):
    client.force_login(people["supervisor"])
    html = client.get(
        f"/statistics/?year=2026&period=quarter&quarter=1&county={HY}&dispute_type=WAGES"
    ).content.decode()
    assert re.search(
        r'id="kpi-received" href="[^"]*county=' + HY + r'[^"]*dispute_type=WAGES[^"]*">'
        r'<span class="stat">1</span>',
        html,
    )
    assert '<option value="1" selected>第1季度</option>' in html
    assert "2026年第1季度" in html


def test_bad_filter_shows_a_message_and_the_default_view(client, dataset, people):
    client.force_login(people["head"])
    response = client.get(f"/statistics/?county={HY}", follow=True)
    html = response.content.decode()
    assert "县区无效或不在您的查看范围内。" in html
    assert re.search(r'id="kpi-received" href="[^"]*"><span class="stat">5</span>', html)


def test_county_head_page_is_scoped(client, dataset, people):
    client.force_login(people["head"])
    html = client.get("/statistics/?year=2026").content.decode()
    assert re.search(r'id="kpi-received" href="[^"]*"><span class="stat">5</span>', html)
    assert f'<option value="{HY}"' not in html


def test_api_returns_the_same_figures_scoped(client, dataset, people):
    client.force_login(people["supervisor"])
    body = client.get("/api/v1/statistics/?year=2026").json()
    assert body["current"]["received"] == 7
    assert body["current"]["amount_recovered"] == "432000.00"
    assert body["previous"]["received"] == 2
    assert body["filters"] == {"period": "year", "year": "2026"}
    q = client.get("/api/v1/statistics/?year=2026&period=quarter&quarter=1").json()
    assert q["current"]["received"] == 4
    client.force_login(people["head"])
    assert client.get("/api/v1/statistics/?year=2026").json()["current"]["received"] == 5
    refused = client.get(f"/api/v1/statistics/?year=2026&county={HY}")
    assert refused.status_code == 400
    assert refused.json()["detail"] == "县区无效或不在您的查看范围内。"
    assert (
        client.get(f"/api/v1/statistics/?year=2026&county={HB}").json()["current"]["received"] == 5
    )


def test_case_list_ignores_bad_drilldown_values(client, dataset, people):
    client.force_login(people["supervisor"])
    html = client.get(
        "/cases/?received_from=not-a-date&outcome=bogus&clock=overdue"
    ).content.decode()
    assert "共 1 件" in html  # only the clock filter applies


def test_answered_referrals_and_rectification_link_and_compare(client, dataset, people):
    """The referrals table's 已答复 count links to the cases whose referral was answered; the
    整改率 card shows its 同比 (0.5 this year against 1.0 last year)."""
    client.force_login(people["supervisor"])
    html = client.get("/statistics/?year=2026").content.decode()
    card = re.search(r'id="kpi-rectification-rate".*?</a>', html, re.S).group(0)
    assert "50.0%" in card and "同比 -50.0%" in card
    # the median answer time links to the same answered cases it is computed from
    assert re.search(r'<a href="[^"]*referral_answered=1[^"]*">5\.0</a>', html)  # 1, 5, 9 days
    answered = re.findall(r'<a href="([^"]*referral_answered=1[^"]*)">(\d+)</a>', html)
    assert sorted(n for _u, n in answered) == ["0", "1", "3"]  # legal aid, Hanyin, Hanbin arbitration
    for url, n in answered:
        listing = client.get(url.replace("&amp;", "&")).content.decode()
        assert f"共 {n} 件" in listing
        assert "移送答复" in listing
