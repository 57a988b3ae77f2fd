"""Issue 9 item 2 on the password change: a double click or a resubmit after Back changes the
password once and says so, instead of answering the second time "your old password is wrong"."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "pass-Concord-2026"


def test_password_change_posted_twice_changes_once_and_says_so(client, people):
    client.force_login(people["mediator"])
    html = client.get(reverse("password_change")).content.decode()
    token = re.search(r'name="_submission" value="([^"]+)"', html).group(1)
    data = {
        "old_password": PASSWORD,
        "new_password1": "Hanbin-tiaojie-2027",
        "new_password2": "Hanbin-tiaojie-2027",
        "_submission": token,
    }
    first = client.post(reverse("password_change"), data)
    assert first.status_code == 302 and first["Location"] == reverse("password_change_done")
    second = client.post(reverse("password_change"), data)
    assert second.status_code == 302 and second["Location"] == reverse("password_change_done")
    page = client.get(second["Location"]).content.decode()
    assert "此表单已经提交过，本次未重复保存。" in page and "你的旧密码不正确" not in page
    people["mediator"].refresh_from_db()
    assert people["mediator"].check_password("Hanbin-tiaojie-2027")


def test_a_refused_password_change_keeps_its_token(client, people):
    client.force_login(people["mediator"])
    html = client.get(reverse("password_change")).content.decode()
    token = re.search(r'name="_submission" value="([^"]+)"', html).group(1)
    refused = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Ab-12345",
            "new_password2": "Ab-12345",
            "_submission": token,
        },
    )
    assert refused.status_code == 200 and f'value="{token}"' in refused.content.decode()
    accepted = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Hanbin-tiaojie-2027",
            "new_password2": "Hanbin-tiaojie-2027",
            "_submission": token,
        },
    )
    assert accepted.status_code == 302
    people["mediator"].refresh_from_db()
    assert people["mediator"].check_password("Hanbin-tiaojie-2027")
