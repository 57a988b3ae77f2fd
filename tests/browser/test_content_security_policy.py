"""Under production's Content-Security-Policy the pages still work: the language menu (our
only script) switches language, and no page of the main journey reports a violation."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_work_under_the_policy(page, live_server, login, people, ankang, settings):
    settings.CONCORD_SEND_CSP = True
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    response = page.goto(f"{live_server.url}/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    login("hb_mediator")
    for path in ["/inbox/", "/cases/", "/cases/new/", "/clocks/", "/supervision/", "/precedents/", "/password/"]:
        assert page.goto(f"{live_server.url}{path}").status == 200, path
    # The language menu submits itself through static/concord/concord.js, not an inline handler.
    page.goto(f"{live_server.url}/inbox/")
    with page.expect_navigation():
        page.locator("#lang-select").select_option("en")
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator("#lang-select").select_option("zh-hans")
    page.wait_for_function("document.documentElement.lang === 'zh-Hans'")
    assert violations == []
