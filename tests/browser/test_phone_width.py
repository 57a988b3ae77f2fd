"""Phone and print (issue 10 item 6): at 390 px no page scrolls sideways, the inbox's agency
name does not wrap one character per line, every page has a proper title, and the case page
has a print stylesheet."""

import pytest

from search import indexing
from tests.factories.cases import open_case
from tests.factories.search import TypicalCaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SITE = "劳动争议多元化解协同平台"
OVERFLOW = """() => {
  const width = window.innerWidth;
  const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > width + 1)
    .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));
  return {scroll: document.documentElement.scrollWidth, inner: width, wide};
}"""


@pytest.fixture
def search_index(settings, tmp_path):
    settings.CONCORD_SEARCH_BACKEND = "embedded"
    settings.CONCORD_EMBEDDED_INDEX_DIR = str(tmp_path / "search-index")
    settings.CONCORD_SEARCH_INDEX = "test-phone-width"
    yield
    from search.backends import reset_backends

    reset_backends()


def test_no_page_scrolls_sideways_at_390px(page, live_server, login, people, ankang, search_index):
    case = open_case(
        people["intake"],
        ankang["union:610902"],
        workers=12,
        seed=7,
        title="安康市汉滨区某安置小区建设项目第三标段劳务分包单位拖欠十二名农民工工资及加班费纠纷",
    )
    library = [
        TypicalCaseFactory(
            title=f"汉滨区某新型社区工厂毛绒玩具生产企业拖欠职工计件工资及经济补偿纠纷调解案第{i}号"
        )
        for i in range(3)
    ]
    indexing.index_ids([c.pk for c in library])
    login("hb_head")
    page.set_viewport_size({"width": 390, "height": 844})
    for path, title in (
        ("/cases/", "案件"),
        (f"/cases/{case.pk}/", case.case_no),
        ("/inbox/", "我的待办"),
        ("/precedents/?q=工资", "典型案例"),
    ):
        page.goto(f"{live_server.url}{path}")
        result = page.evaluate(OVERFLOW)
        assert result["scroll"] <= result["inner"], (path, result)
        assert page.title().endswith(f" · {SITE}") and title in page.title(), (path, page.title())
    # The inbox's agency column (shown from tablet width up): a name is never broken one
    # character per line — its cell is at least as wide as its longest word.
    page.set_viewport_size({"width": 660, "height": 900})
    page.goto(f"{live_server.url}/inbox/")
    cell = page.locator("td.agency").first
    lines = cell.evaluate("""e => { const r = document.createRange(); r.selectNodeContents(e);
        return Math.round(r.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight)); }""")
    assert lines <= 2, lines


def test_case_page_prints_cleanly(page, live_server, login, people, ankang):
    case = open_case(people["intake"], ankang["union:610902"], workers=3, seed=8)
    login("hb_head")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.topbar', '.foot', 'form', '.skip'].map(s => {
        const e = document.querySelector(s); return e ? getComputedStyle(e).display : 'none'; })""")
    assert hidden == ["none", "none", "none", "none"]
    assert page.locator("h1").first.is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
