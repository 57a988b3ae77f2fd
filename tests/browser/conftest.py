"""Browser journeys in Debian's Chromium, driven by Playwright (never `playwright install`)."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CONCORD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1366, "height": 768}, "locale": "zh-CN",
            "timezone_id": "Asia/Shanghai", "accept_downloads": True}


@pytest.fixture
def login(page, live_server):
    """login(username) — log out whoever is logged in, then log in through the real form."""

    def do_login(username, password="pass-Concord-2026", *, to_inbox=True):
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        # Supervisors and committee heads land on the cockpit, everyone else on the inbox.
        page.wait_for_url(lambda url: url in (f"{live_server.url}/inbox/", f"{live_server.url}/statistics/"))
        if to_inbox and page.url != f"{live_server.url}/inbox/":
            page.goto(f"{live_server.url}/inbox/")  # the journeys start from the inbox
        return page

    return do_login
