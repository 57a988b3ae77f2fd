"""Statistics filters with a year that cannot be one answer 400 with the reason, never 500."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", ["0", "-1", "10000", "abc", "1999", "2026.5", "９９"])
def test_absurd_year_answers_400_in_chinese(client, people, year):
    client.force_login(people["supervisor"])
    response = client.get(reverse("supervision:statistics"), {"year": year})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请求有误" in html
    assert "请填写2000至2100之间的四位数字年份，例如 2026。" in html
    assert f'href="{reverse("supervision:statistics")}"' in html


@pytest.mark.parametrize("year", ["", "2026", "2000", "2100"])
def test_real_years_answer_200(client, people, year):
    client.force_login(people["supervisor"])
    assert client.get(reverse("supervision:statistics"), {"year": year}).status_code == 200


def test_absurd_year_in_english(client, people):
    client.force_login(people["supervisor"])
    client.cookies["django_language"] = "en"
    response = client.get(reverse("supervision:statistics"), {"year": "0"})
    assert response.status_code == 400 and '<html lang="en">' in response.content.decode()
