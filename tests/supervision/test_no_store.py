"""Supervision pages that name employers and workers are not kept in browser or proxy caches."""

import datetime

import pytest
from django.urls import reverse

from mediation.supervision.models import Conclusion, LetterKind
from tests.factories.supervision import investigate, issue, open_matter

pytestmark = pytest.mark.django_db


def test_matter_and_letter_pages_are_no_store(client, sup, cal):
    matter = open_matter(sup["lsup"], emp=sup["employer"])
    investigate(matter, sup["lsup"], sup["lsup2"], conclusion=Conclusion.RISK)
    letter = issue(matter, "issue_reminder", sup["lsup"], LetterKind.REMINDER, datetime.date(2026, 3, 2))
    client.force_login(sup["lsup"])
    for url in (reverse("supervision:matter_detail", args=[matter.pk]),
                reverse("supervision:letter_detail", args=[matter.pk, letter.pk]),
                reverse("supervision:letter_docx", args=[matter.pk, letter.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
