"""The notification centre: own notifications only, mark read, mark all read, the header bell."""

import pytest
from django.urls import reverse

from mediation.notifications.models import Notification
from mediation.notifications.services import notify


@pytest.fixture
def inbox(people):
    mine = notify(recipients=[people["mediator"]], verb="x", text="你的案件时限提醒", url="/cases/1/", email=False)
    notify(recipients=[people["mediator"]], verb="x", text="第二条消息", email=False)
    theirs = notify(recipients=[people["head"]], verb="x", text="主任的消息", email=False)
    return {"mine": mine[0], "theirs": theirs[0]}


def test_list_shows_only_own_notifications_and_the_unread_count(client, people, inbox):
    client.force_login(people["mediator"])
    response = client.get(reverse("notifications:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "你的案件时限提醒" in html and "第二条消息" in html and "主任的消息" not in html
    assert 'data-unread="2"' in html  # the bell in the header


def test_mark_read(client, people, inbox):
    client.force_login(people["mediator"])
    response = client.post(reverse("notifications:read", args=[inbox["mine"].pk]))
    assert response.status_code == 302
    inbox["mine"].refresh_from_db()
    assert inbox["mine"].is_read
    assert 'data-unread="1"' in client.get(reverse("notifications:list")).content.decode()


def test_open_marks_read_and_follows_the_link(client, people, inbox):
    client.force_login(people["mediator"])
    response = client.post(reverse("notifications:open", args=[inbox["mine"].pk]))
    assert response.status_code == 302 and response["Location"] == "/cases/1/"


def test_open_never_leaves_the_site(client, people):
    row = notify(recipients=[people["mediator"]], verb="x", text="钓鱼", url="https://evil.example/", email=False)[0]
    client.force_login(people["mediator"])
    response = client.post(reverse("notifications:open", args=[row.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_someone_elses_notification_is_404(client, people, inbox):
    client.force_login(people["mediator"])
    for name in ("notifications:read", "notifications:open"):
        assert client.post(reverse(name, args=[inbox["theirs"].pk])).status_code == 404
        assert client.post(reverse(name, args=[999999])).status_code == 404
    inbox["theirs"].refresh_from_db()
    assert not inbox["theirs"].is_read


def test_mark_all_read_touches_only_own(client, people, inbox):
    client.force_login(people["mediator"])
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "已将2条消息标为已读" in response.content.decode()
    assert not Notification.objects.filter(recipient=people["mediator"], read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=people["head"], read_at__isnull=True).count() == 1


def test_state_changes_need_post(client, people, inbox):
    client.force_login(people["mediator"])
    assert client.get(reverse("notifications:read", args=[inbox["mine"].pk])).status_code == 405
    assert client.get(reverse("notifications:read_all")).status_code == 405


def test_unread_filter(client, people, inbox):
    client.force_login(people["mediator"])
    client.post(reverse("notifications:read", args=[inbox["mine"].pk]))
    html = client.get(reverse("notifications:list"), {"unread": "1"}).content.decode()
    assert "第二条消息" in html and "你的案件时限提醒" not in html


def test_login_required(client, db):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302


def test_bell_on_other_pages(client, people, inbox):
    client.force_login(people["mediator"])
    html = client.get(reverse("clocks:calendar")).content.decode()
    assert 'href="/notifications/"' in html and 'data-unread="2"' in html
