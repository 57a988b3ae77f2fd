"""The city supervisor's cockpit in real Chromium: charts drawn on canvas at desk and phone width,
a click on a chart segment opens the matching case list, and no request leaves the machine."""

import datetime
from urllib.parse import urlsplit

import pytest
import time_machine
from playwright.sync_api import expect

from tests.statistics.conftest import TODAY, dataset  # noqa: F401  (the hand-built cases)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CANVAS_INK = """(sel) => {
  const canvas = document.querySelector(sel + ' canvas');
  if (!canvas || !canvas.width || !canvas.height) return 0;
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0;
  for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) ink++; }
  return ink;
}"""
CHARTS = [
    "#chart-stages",
    "#chart-monthly",
    "#chart-outcomes",
    "#chart-clocks",
    "#chart-referrals",
    "#chart-letters",
]


@pytest.fixture
def frozen():
    """The dataset's day, with the clock running (the browser and the live server need time to pass)."""
    with time_machine.travel(TODAY, tick=True):
        yield


def test_supervisor_clicks_a_chart_segment_and_lands_on_the_case_list(
    page,
    live_server,
    login,
    dataset,  # noqa: F811
    tmp_path,
):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    login("city_supervisor", to_inbox=False)
    assert page.url == f"{live_server.url}/statistics/"
    expect(page.locator("#kpi-received .stat")).to_have_text("7")
    for chart in CHARTS:
        expect(page.locator(f"{chart} canvas")).to_be_visible()
        assert page.evaluate(CANVAS_INK, chart) > 500, chart
    page.screenshot(path=str(tmp_path / "cockpit-1366.png"), full_page=True)

    # The first bar of 在办案件 (调解中, 2 cases): click its middle on the canvas.
    x, y = page.evaluate("""() => {
      const chart = echarts.getInstanceByDom(document.getElementById('chart-stages'));
      return chart.convertToPixel({seriesIndex: 0}, [0, 1]);
    }""")
    page.locator("#chart-stages").scroll_into_view_if_needed()
    box = page.locator("#chart-stages").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url(f"{live_server.url}/cases/?status=IN_MEDIATION")
    expect(page.get_by_text("共 2 件")).to_be_visible()
    expect(page.locator("#f-status")).to_have_value("IN_MEDIATION")

    # The 已逾期 segment of 汉滨区 in the clocks chart: 1 case.
    page.go_back()
    x, y = page.evaluate("""() => {
      const chart = echarts.getInstanceByDom(document.getElementById('chart-clocks'));
      return chart.convertToPixel({seriesIndex: 0}, [0, 0.5]);
    }""")
    page.locator("#chart-clocks").scroll_into_view_if_needed()
    box = page.locator("#chart-clocks").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url(f"{live_server.url}/cases/?county=610902&clock=overdue")
    expect(page.get_by_text("共 1 件")).to_be_visible()
    expect(page.locator("#extra-filters")).to_contain_text("时限：已逾期")

    # Phone width: the charts are still drawn.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/statistics/?year=2026")
    for chart in CHARTS:
        assert page.evaluate(CANVAS_INK, chart) > 500, chart
    width = page.evaluate(
        "document.querySelector('#chart-outcomes canvas').getBoundingClientRect().width"
    )
    assert 250 < width <= 390
    page.screenshot(path=str(tmp_path / "cockpit-390.png"), full_page=True)
    assert (tmp_path / "cockpit-390.png").stat().st_size > 20_000

    hosts = {urlsplit(u).hostname for u in requests if not u.startswith(("data:", "blob:"))}
    assert hosts == {urlsplit(live_server.url).hostname}, hosts
    assert datetime.date.today() == TODAY.date()
