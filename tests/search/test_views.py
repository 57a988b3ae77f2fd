"""The supervisor's pages: search, detail, the pipeline screens, saved searches and their alerts."""

import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse

from mediation.cases.models import CaseStatus, DisputeType
from search import indexing
from search.alerts import alert_saved_searches
from search.models import DEIDENTIFICATION_CHECKLIST, SavedSearch, TypicalCase, TypicalCaseStatus
from tests.factories.search import SavedSearchFactory, TypicalCaseFactory, closed_case

from .conftest import use_elasticsearch

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def library(search_backend):
    cases = [
        TypicalCaseFactory(title="汉滨区农民工欠薪<调解>案", year=2023, amount_yuan=Decimal("5000")),
        TypicalCaseFactory(title="旬阳市铅锌矿矿工欠薪裁前调解案", county="610981", year=2024),
        TypicalCaseFactory(title="岚皋县石材厂尘肺病职业病案", county="610925", dispute_type=DisputeType.WORK_INJURY),
    ]
    indexing.index_ids([c.pk for c in cases])
    return cases


def test_search_page_shows_results_facets_and_escaped_highlights(client, people, library):
    response = login(client, people["supervisor"]).get(reverse("search:search"), {"q": "欠薪"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "共 2 件典型案例" in html
    assert "汉滨区农民工<mark>欠薪</mark>&lt;调解&gt;案" in html
    assert "<调解>" not in html
    assert re.search(r'data-facet="county".*汉滨区</a> <span class="badge">1</span>', html, re.S)
    assert "尘肺病" not in html


def test_facet_link_filters_and_can_be_removed(client, people, library):
    login(client, people["supervisor"])
    html = client.get(reverse("search:search"), {"q": "欠薪", "county": "旬阳市"}).content.decode()
    assert "共 1 件典型案例" in html and "铅锌矿" in html and "县区：旬阳市" in html


def test_search_page_bad_parameter_and_engine_down_are_explained(client, people, settings, library):
    login(client, people["court"])
    response = client.get(reverse("search:search"), {"year": "20x5"})
    assert response.status_code == 400 and "年度应为四位数字年份" in response.content.decode()
    use_elasticsearch(settings, "http://127.0.0.1:9")
    response = client.get(reverse("search:search"), {"q": "欠薪"})
    assert response.status_code == 503
    assert "典型案例检索暂时不可用" in response.content.decode()


def test_detail_page_with_similar_cases(client, people, library):
    html = login(client, people["court"]).get(reverse("search:detail", args=[library[1].pk])).content.decode()
    assert "旬阳市铅锌矿矿工欠薪裁前调解案" in html and "相似典型案例" in html
    assert reverse("search:detail", args=[library[0].pk]) in html


def test_pipeline_pages_end_to_end(client, ankang, people, search_backend, on_commit):
    case = closed_case(agency=ankang["union:610902"], created_by=people["intake"], mediator=people["mediator"])
    login(client, people["mediator"])
    assert "将已结案的案件" in client.get(reverse("search:nominate", args=[case.pk])).content.decode()
    response = client.post(reverse("search:nominate", args=[case.pk]))
    tc = TypicalCase.objects.get(source_case=case)
    assert response.url == reverse("search:edit", args=[tc.pk])
    # De-identify: the preview shows exactly the text that will be saved.
    preview = client.post(reverse("search:deidentify", args=[tc.pk]), {"policy": "INDUSTRY", "action": "preview"})
    html = preview.content.decode()
    assert "王某" in html and "某建筑公司" in html and "13912345678" in html  # in the replacement table
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', html).group(1)
    client.post(reverse("search:deidentify", args=[tc.pk]), {"policy": "INDUSTRY", "action": "confirm",
                                                              "digest": digest})
    tc.refresh_from_db()
    assert tc.status == TypicalCaseStatus.DEIDENTIFIED and "13912345678" not in tc.summary
    client.post(reverse("search:submit", args=[tc.pk]))
    assert client.get(reverse("search:review", args=[tc.pk])).status_code == 403  # writers do not review
    login(client, people["supervisor"])
    ticks = {code: "on" for code, _label in DEIDENTIFICATION_CHECKLIST}
    with on_commit():
        response = client.post(reverse("search:review", args=[tc.pk]), {**ticks, "action": "publish"})
    assert response.url == reverse("search:detail", args=[tc.pk])
    tc.refresh_from_db()
    assert tc.status == TypicalCaseStatus.PUBLISHED
    html = login(client, people["court"]).get(reverse("search:search"), {"q": "农民工"}).content.decode()
    assert reverse("search:detail", args=[tc.pk]) in html and "<mark>农民工</mark>" in html
    # The source case is shown to union staff only.
    assert case.case_no not in client.get(reverse("search:detail", args=[tc.pk])).content.decode()
    assert case.case_no in login(client, people["supervisor"]).get(
        reverse("search:detail", args=[tc.pk])).content.decode()


def test_drafts_are_404_for_others(client, ankang, people, search_backend):
    draft = TypicalCaseFactory(status=TypicalCaseStatus.DRAFTING, nominated_by=people["mediator"],
                               agency=ankang["union:610902"])
    assert login(client, people["other_county_mediator"]).get(
        reverse("search:detail", args=[draft.pk])).status_code == 404
    assert login(client, people["head"]).get(reverse("search:detail", args=[draft.pk])).status_code == 200
    assert draft.title in client.get(reverse("search:pipeline")).content.decode()


def test_saved_search_and_alert_on_publication(client, people, search_backend, notify_calls, on_commit):
    login(client, people["supervisor"])
    client.post(reverse("search:saved_search_create"), {"q": "尘肺病", "name": "职业病关注", "alert": "on",
                                                        "dispute_type": "工伤"})
    saved = SavedSearch.objects.get(user=people["supervisor"])
    assert saved.filters == {"dispute_type": ["工伤"]} and saved.alert
    assert "职业病关注" in client.get(reverse("search:saved_searches")).content.decode()
    SavedSearchFactory(user=people["mediator"], query="欠薪")  # does not match
    tc = TypicalCaseFactory(title="岚皋县石材厂尘肺病职业病待遇案", dispute_type=DisputeType.WORK_INJURY,
                            status=TypicalCaseStatus.UNDER_REVIEW,
                            checklist={code: True for code, _label in DEIDENTIFICATION_CHECKLIST})
    from search import services

    with on_commit():
        services.typical_case_publish(user=people["supervisor"], typical_case_id=tc.pk)
    assert len(notify_calls) == 1
    call = notify_calls[0]
    assert call["recipients"] == [people["supervisor"]] and call["email"] is True
    assert call["url"] == reverse("search:detail", args=[tc.pk]) and "职业病关注" in call["text"]
    assert call["dedupe_key"] == f"saved-search:{saved.pk}:typical-case:{tc.pk}"
    assert alert_saved_searches(tc.pk) == 1  # a retry sends the same dedupe key again
    assert notify_calls[1]["dedupe_key"] == call["dedupe_key"]


def test_similar_include_for_an_open_case_page(people, ankang, search_backend, settings):
    TypicalCaseFactory(title="汉滨区安置小区农民工欠薪司法确认案", summary="总包先行清偿农民工工资。")
    indexing.reconcile()
    case = closed_case(agency=ankang["union:610902"], created_by=people["intake"], status=CaseStatus.IN_MEDIATION)
    template = Template('{% include "search/_similar_for_case.html" %}')
    html = template.render(Context({"case": case}))
    assert "相似典型案例" in html and "汉滨区安置小区农民工欠薪司法确认案" in html
    use_elasticsearch(settings, "http://127.0.0.1:9")
    html = template.render(Context({"case": case}))
    assert "典型案例检索暂时不可用" in html


def test_alert_reaches_the_notification_centre_and_email(people, search_backend, on_commit, mailoutbox):
    from mediation.notifications.models import Notification
    from search import services

    SavedSearchFactory(user=people["supervisor"], name="支付令案例", query="支付令")
    tc = TypicalCaseFactory(title="石泉县丝绸厂女工调解协议未履行申请支付令案", status=TypicalCaseStatus.UNDER_REVIEW,
                            checklist={code: True for code, _label in DEIDENTIFICATION_CHECKLIST})
    with on_commit():
        services.typical_case_publish(user=people["supervisor"], typical_case_id=tc.pk)
    note = Notification.objects.get(recipient=people["supervisor"])
    assert note.url == reverse("search:detail", args=[tc.pk]) and "支付令案例" in note.text
    assert [m.to for m in mailoutbox] == [[people["supervisor"].email]]
    alert_saved_searches(tc.pk)  # a retried alert is deduplicated by the notification centre
    assert Notification.objects.filter(recipient=people["supervisor"]).count() == 1
