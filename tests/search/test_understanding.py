"""Query understanding, the legal concept dictionary, typo suggestions and topics — on both engines."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from mediation.cases.models import ClosingCode, DisputeType
from parties.models import County
from search import indexing
from search.models import ConceptEntry, ConceptKind, PartnerAgency, Topic
from search.selectors import search_typical_cases
from tests.factories.search import TypicalCaseFactory

pytestmark = pytest.mark.django_db


def indexed(topics=(), **kwargs):
    tc = TypicalCaseFactory(**kwargs)
    if topics:
        tc.topics.set(Topic.objects.filter(name__in=topics))
    indexing.index_ids([tc.pk])
    return tc


def titles(result):
    return [h.source["title"] for h in result.hits]


def search(user, q="", **kwargs):
    return search_typical_cases(user=user, q=q, **kwargs)


@pytest.fixture
def library(search_backend):
    """Wage cases in two counties (汉滨区's says 欠薪 more often), and cases of other years, agencies, outcomes."""
    return {
        "hanbin_wages": indexed(
            title="汉滨区某商场拖欠工资欠薪调解案",
            county=County.HANBIN,
            year=2023,
            summary="商场欠薪三个月，导购员讨薪，欠薪数额较大。",
            dispute_type=DisputeType.WAGES,
        ),
        "xunyang_wages": indexed(
            title="旬阳市某矿业公司欠薪调解案",
            county=County.XUNYANG,
            year=2023,
            summary="矿业公司停产，职工工资未发。",
            dispute_type=DisputeType.WAGES,
        ),
        "injury_2024": indexed(
            title="石泉县养殖场饲养员工伤调解案",
            county=County.SHIQUAN,
            year=2024,
            dispute_type=DisputeType.WORK_INJURY,
            summary="饲养员操作机器受伤。",
        ),
        "injury_2022": indexed(
            title="紫阳县茶厂工人工伤工伤赔偿调解案",
            county=County.ZIYANG,
            year=2022,
            dispute_type=DisputeType.WORK_INJURY,
            summary="工人工伤，工伤认定后索赔工伤待遇。",
        ),
        "payment_order": indexed(
            title="宁陕县公路工程欠薪调解案",
            county=County.NINGSHAN,
            year=2025,
            summary="分包企业拖欠工资，调解协议到期未履行。",
            outcome=ClosingCode.SUCCESS_PAYMENT_ORDER,
            agencies=[PartnerAgency.UNION, PartnerAgency.COURT],
        ),
        "procuratorate": indexed(
            title="白河县安置房项目欠薪调解案",
            county=County.BAIHE,
            year=2023,
            summary="农民工被拖欠工资。",
            outcome=ClosingCode.FAILED_TO_LITIGATION_PROCURATORATE,
            agencies=[PartnerAgency.UNION, PartnerAgency.PROCURATORATE],
        ),
    }


# --- 1. places, years, agencies and outcomes --------------------------------------------------


@pytest.mark.parametrize("q", ["旬阳 欠薪", "旬阳市欠薪", "欠薪 旬阳市"])
def test_a_county_named_with_a_topic_ranks_that_countys_cases_first(library, people, q):
    result = search(people["mediator"], q)
    assert titles(result)[0] == library["xunyang_wages"].title
    # a boost, not a filter: the other counties' wage cases still follow
    assert library["hanbin_wages"].title in titles(result)
    assert [(e.facet, e.value) for e in result.entities] == [("county", "旬阳市")]
    assert result.understood_filters == {}


def test_without_the_county_the_stronger_text_match_wins(library, people):
    assert titles(search(people["mediator"], "欠薪"))[0] == library["hanbin_wages"].title


def test_a_year_in_the_query_boosts_that_year(library, people):
    assert (
        titles(search(people["mediator"], "工伤"))[0] == library["injury_2022"].title
    )  # more 工伤 in its text
    result = search(people["mediator"], "2024年 工伤")
    assert titles(result)[0] == library["injury_2024"].title
    assert [(e.facet, e.value) for e in result.entities] == [("year", 2024)]


def test_agency_and_outcome_words_boost_the_matching_fields(library, people):
    result = search(people["mediator"], "检察院 欠薪")
    assert titles(result)[0] == library["procuratorate"].title
    assert ("agency", "检察院") in [(e.facet, e.value) for e in result.entities]
    result = search(people["mediator"], "支付令 欠薪")
    assert titles(result)[0] == library["payment_order"].title
    assert ("outcome", "调解成功·申请支付令") in [(e.facet, e.value) for e in result.entities]


@pytest.mark.parametrize(
    "q, filters, expected",
    [
        ("旬阳", {"county": ["旬阳市"]}, ["xunyang_wages"]),
        ("汉滨区 2023年", {"county": ["汉滨区"], "year": [2023]}, ["hanbin_wages"]),
        ("法院", {"agency": ["法院"]}, ["payment_order"]),
        ("支持起诉", {"outcome": ["调解不成·诉讼（检察院支持起诉）"]}, ["procuratorate"]),
    ],
)
def test_a_query_of_only_such_words_becomes_filters(library, people, q, filters, expected):
    result = search(people["mediator"], q)
    assert result.understood_filters == filters
    assert sorted(titles(result)) == sorted(library[k].title for k in expected)


@pytest.fixture
def procedures(search_backend):
    """Overtime cases with and without arbitration, an arbitral review of something else, and
    inspection cases: one coded 责令整改 and named by the inspectorate, one only rectified after
    the union's letters with the inspectorate taking part, one coded 责令整改 by another route."""
    arbitration = [PartnerAgency.UNION, PartnerAgency.ARBITRATION]
    inspection = [PartnerAgency.UNION, PartnerAgency.INSPECTION]
    return {
        "overtime_arbitration": indexed(
            title="岚皋县某酒店拒付加班费仲裁审查确认案",
            summary="酒店员工加班费争议，仲裁院审查确认调解协议。",
            agencies=arbitration,
            outcome=ClosingCode.SUCCESS_ARB_REVIEWED,
        ),
        "overtime_only": indexed(
            title="宁陕县某景区国庆黄金周用工调解案",
            summary="景区职工国庆期间连续上班，索要加班费。",
            agencies=[PartnerAgency.UNION],
            outcome=ClosingCode.SUCCESS_PAID_ON_SPOT,
        ),
        "dismissal_arbitration": indexed(
            title="汉滨区某商贸公司解除劳动合同仲裁审查确认案",
            summary="公司解除劳动合同，工会调解后申请仲裁，仲裁院对调解协议仲裁审查确认，仲裁员出具仲裁调解书，"
            "仲裁程序终结。",
            agencies=arbitration,
            outcome=ClosingCode.SUCCESS_ARB_REVIEWED,
        ),
        "inspection_ordered": indexed(
            title="镇坪县某建筑公司未缴社保移送劳动监察责令补缴案",
            summary="公司未缴社会保险，移送劳动监察，责令整改。",
            agencies=inspection,
            outcome=ClosingCode.REFERRED_INSPECTION,
        ),
        "inspection_rectified": indexed(
            title="汉阴县某社区工厂超时加班一函两书整改案",
            summary="工会发出提示函，劳动监察大队参与，企业整改。",
            agencies=inspection,
            outcome=ClosingCode.SUPERVISION_RECTIFIED,
        ),
        "ordered_elsewhere": indexed(
            title="紫阳县某安置点工程拖欠工资责令整改案",
            summary="拖欠农民工工资，责令整改后支付。",
            agencies=[PartnerAgency.UNION],
            outcome=ClosingCode.REFERRED_INSPECTION,
        ),
    }


def test_an_agency_word_reorders_the_subject_matches_but_does_not_outweigh_the_subject(procedures, people):
    ranked = titles(search(people["mediator"], "仲裁 加班费"))
    # the overtime case settled by arbitral review first; then the other overtime case, even though
    # the arbitral review of a dismissal says 仲裁 four times
    assert ranked[:2] == [procedures["overtime_arbitration"].title, procedures["overtime_only"].title]
    assert ranked.index(procedures["dismissal_arbitration"].title) == 2


def test_an_agency_and_an_outcome_together_search_as_text_not_as_a_narrow_filter(procedures, people):
    result = search(people["mediator"], "劳动监察 责令整改")
    assert result.understood_filters == {}
    assert {(e.facet, e.value) for e in result.entities} == {
        ("agency", "劳动监察"), ("outcome", "移送劳动监察·责令整改"),
    }
    # the case coded with both, and the cases with only one of the two, first
    assert set(titles(result)[:3]) == {
        procedures[k].title for k in ("inspection_ordered", "inspection_rectified", "ordered_elsewhere")
    }
    # one agency or one outcome alone is still an unambiguous filter
    assert search(people["mediator"], "责令整改").understood_filters == {
        "outcome": ["移送劳动监察·责令整改"]
    }


def test_the_page_shows_those_filters_as_removable_chips(client, library, people):
    client.force_login(people["supervisor"])
    response = client.get(reverse("search:search"), {"q": "旬阳 2023年"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="understood-filters"' in html and "县区：旬阳市 ×" in html and "年度：2023 ×" in html
    assert library["xunyang_wages"].title in html and library["hanbin_wages"].title not in html
    # removing the county chip keeps the year; "按文字检索" searches the words as text
    assert "q=2023%E5%B9%B4" in html and "exact=1" in html
    exact = client.get(reverse("search:search"), {"q": "旬阳", "exact": "1"}).content.decode()
    assert 'id="understood-filters"' not in exact
    assert "<mark>旬阳</mark>市某矿业公司欠薪调解案" in exact


# --- 2. the legal concept dictionary -----------------------------------------------------------


@pytest.fixture
def women(search_backend):
    return {
        "literal": indexed(
            title="高新区电子厂三期女职工调岗调解案", summary="女职工在三期内被调岗。"
        ),
        "narrower": indexed(
            title="平利县社区工厂女工被辞退调解案", summary="女工哺乳期内被辞退，每天需回家喂奶。"
        ),
        "other": indexed(
            title="汉阴县超市理货员经济补偿调解案", summary="理货员与店长口角后被口头通知离职。"
        ),
    }


def test_a_broader_concept_finds_its_instances_below_the_literal_matches(women, people):
    result = search(people["mediator"], "三期")
    assert titles(result) == [women["literal"].title, women["narrower"].title]
    assert result.hits[0].score > result.hits[1].score
    assert "<mark>哺乳期</mark>" in " ".join(result.hits[1].highlight["fragments"])


def test_expansion_is_one_way(women, people):
    assert titles(search(people["mediator"], "哺乳期")) == [women["narrower"].title]


def test_a_workers_phrasing_finds_the_written_one(search_backend, people):
    gone = indexed(
        title="汉滨区装修公司负责人下落不明转仲裁案", summary="公司负责人电话不接，工钱无人结算。"
    )
    indexed(title="汉滨区物流公司未签劳动合同调解案", summary="司机入职一年未签书面劳动合同。")
    assert titles(search(people["mediator"], "老板跑了 工资没人给"))[0] == gone.title


def test_expansions_are_instances_only(search_backend, people):
    """新就业形态 finds platform work, not every driver; 年底 finds the 春节前 / 年关 cases."""
    rider = indexed(title="岚皋县外卖骑手确认劳动关系调解案", summary="骑手通过平台接单送餐。")
    lorry = indexed(title="平利县物流公司货车司机未签劳动合同调解案", summary="货车司机入职十个月未签合同。")
    assert titles(search(people["mediator"], "新就业形态")) == [rider.title]
    before_new_year = indexed(title="白河县大桥工程春节前集中清欠调解案", summary="春节前农民工工资全部结清。")
    assert titles(search(people["mediator"], "年底"))[:1] == [before_new_year.title]
    assert lorry.title not in titles(search(people["mediator"], "年底"))


def test_the_precision_migration_updates_an_unedited_seed_and_keeps_an_edited_one():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("search.migrations.0006_search3_concept_precision")
    ConceptEntry.objects.filter(term="新就业形态").update(expansions=migration.CHANGED[0][1])
    ConceptEntry.objects.filter(term="辞退").update(expansions="解除劳动合同, 开除")  # an admin's edit
    ConceptEntry.objects.filter(term="年底").delete()
    migration.forwards(apps, None)
    assert ConceptEntry.objects.get(term="新就业形态").expansions == migration.CHANGED[0][2]
    assert ConceptEntry.objects.get(term="辞退").expansions == "解除劳动合同, 开除"
    assert "春节前" in ConceptEntry.objects.get(term="年底").expansion_list


def test_a_dictionary_edit_applies_to_the_next_search_without_reindexing(women, people):
    assert search(people["mediator"], "宝妈").count == 0
    ConceptEntry.objects.create(term="宝妈", kind=ConceptKind.COLLOQUIAL, expansions="哺乳期, 产假")
    assert titles(search(people["mediator"], "宝妈")) == [women["narrower"].title]
    ConceptEntry.objects.filter(term="宝妈").update(enabled=False)
    assert search(people["mediator"], "宝妈").count == 0


def test_the_dictionary_is_seeded_from_the_domain():
    assert ConceptEntry.objects.filter(enabled=True).count() >= 200
    three = ConceptEntry.objects.get(term="三期")
    assert {"孕期", "产期", "哺乳期", "怀孕", "产假"} <= set(three.expansion_list)
    assert {"解除劳动合同", "开除", "劝退"} <= set(
        ConceptEntry.objects.get(term="辞退").expansion_list
    )
    assert {"欠发", "未发", "迟发", "克扣"} <= set(
        ConceptEntry.objects.get(term="拖欠").expansion_list
    )


# --- 3. typos and suggestions ------------------------------------------------------------------


@pytest.fixture
def overtime(search_backend):
    return [
        indexed(
            title="平利县茶厂春茶季加班费调解案",
            summary="茶厂安排连续加班，未付加班费。",
            dispute_type=DisputeType.OVERTIME,
        ),
        indexed(
            title="镇坪县腊肉加工企业加班费督促整改案",
            summary="企业超时加班，补发加班费。",
            dispute_type=DisputeType.OVERTIME,
        ),
    ]


def test_a_homophone_typo_is_corrected_and_suggested(overtime, people):
    result = search(people["mediator"], "加版费")
    assert sorted(titles(result)) == sorted(tc.title for tc in overtime)
    assert result.suggestion == "加班费"


def test_a_correct_query_gets_no_suggestion(overtime, people):
    assert search(people["mediator"], "加班费").suggestion == ""


def test_the_suggestion_is_one_click_away(client, overtime, people):
    client.force_login(people["supervisor"])
    html = client.get(reverse("search:search"), {"q": "加版费"}).content.decode()
    assert 'id="search-suggestion"' in html and "您是不是要找：" in html
    assert "q=%E5%8A%A0%E7%8F%AD%E8%B4%B9" in html  # ?q=加班费


def test_a_near_typo_is_suggested_when_little_is_found(overtime, people):
    result = search(people["mediator"], "加班发")  # 费 fei → 发 fa: same initial, one character off
    assert result.suggestion == "加班费"


# --- 4. topics ---------------------------------------------------------------------------------


@pytest.fixture
def topical(search_backend):
    return {
        "rider": indexed(
            title="汉滨区外卖骑手摔伤调解案",
            topics=["新就业形态"],
            dispute_type=DisputeType.WORK_INJURY,
        ),
        "courier": indexed(title="高新区快递员派费调解案", topics=["新就业形态", "集体争议"]),
        "dispatch": indexed(
            title="汉滨区医院派遣保安退回调解案",
            topics=["劳务派遣"],
            dispute_type=DisputeType.CONTRACT,
        ),
        "plain": indexed(title="石泉县酒店服务员调解案"),
    }


def test_topics_are_a_facet_and_a_filter(topical, people):
    result = search(people["mediator"], "")
    assert {b["value"]: b["count"] for b in result.facets["topic"]} == {
        "新就业形态": 2,
        "集体争议": 1,
        "劳务派遣": 1,
    }
    result = search(people["mediator"], "", filters={"topic": ["新就业形态"]})
    assert sorted(titles(result)) == sorted([topical["rider"].title, topical["courier"].title])
    assert result.hits[0].source["topics"]


def test_a_topic_name_in_the_query_finds_cases_of_that_topic(topical, people):
    result = search(people["mediator"], "新就业形态")
    assert {topical["rider"].title, topical["courier"].title} <= set(titles(result))
    assert ("topic", "新就业形态") in [(e.facet, e.value) for e in result.entities]


def test_topic_facet_on_the_page_and_the_api(client, topical, people):
    client.force_login(people["supervisor"])
    html = client.get(reverse("search:search"), {"topic": "劳务派遣"}).content.decode()
    assert (
        'data-facet="topic"' in html
        and topical["dispatch"].title in html
        and topical["plain"].title not in html
    )
    api = APIClient()
    api.force_authenticate(people["court"])
    body = api.get("/api/v1/precedents/", {"q": "旬阳 加版费"}).json()
    assert body["understood"] == [{"facet": "county", "value": "旬阳市", "text": "旬阳"}]
    assert body["suggestion"] == "旬阳 加班费"
    assert api.get("/api/v1/precedents/", {"topic": "不存在的专题"}).status_code == 400


def test_editing_a_case_sets_its_topics(topical, people, on_commit):
    from search import services

    topic = Topic.objects.get(name="农民工")
    with on_commit():
        services.typical_case_update(
            user=people["supervisor"],
            typical_case_id=topical["plain"].pk,
            values={"topics": [topic.pk]},
        )
    assert topical["plain"].topic_names == ["农民工"]
    assert titles(search(people["mediator"], "", filters={"topic": ["农民工"]})) == [
        topical["plain"].title
    ]
    assert topical["plain"].events.last().changes["topics"] == {"from": "", "to": "农民工"}
    assert topical["plain"].versions.first().snapshot["topics"] == ["农民工"]


def test_the_dictionary_is_edited_in_the_admin(admin_client, women, people):
    response = admin_client.post(
        reverse("admin:search_conceptentry_add"),
        {
            "term": "宝妈",
            "kind": ConceptKind.COLLOQUIAL,
            "expansions": "哺乳期，产假",
            "source": "口语",
            "enabled": "on",
        },
    )
    assert response.status_code == 302
    assert titles(search(people["mediator"], "宝妈")) == [women["narrower"].title]
    response = admin_client.post(
        reverse("admin:search_conceptentry_add"),
        {"term": "空词", "kind": ConceptKind.BROADER, "expansions": " ， ", "enabled": "on"},
    )
    assert response.status_code == 200 and "至少填写一个扩展词" in response.content.decode()


@pytest.mark.parametrize(
    "q, entities",
    [
        ("欠薪2000元", []),
        ("38人 2024年度 工伤", [("year", 2024)]),
        ("高新技术企业 欠薪", []),
        ("高新区 欠薪", [("county", "高新区")]),
        ("汉滨 法院 司法确认", [("county", "汉滨区"), ("agency", "法院"), ("outcome", "调解成功·司法确认")]),
    ],
)
def test_what_counts_as_a_place_a_year_an_agency_or_an_outcome(q, entities):
    from search.lexicon import lexicon
    from search.understanding import understand

    assert [(e.facet, e.value) for e in understand(q, lexicon()).entities] == entities


@pytest.mark.parametrize(
    "q, terms",
    [
        # the employer a worker's question is about, and its particles, are not search terms
        ("被公司辞退了能要补偿吗", ["辞退", "补偿"]),
        ("老板不给钱", ["不给钱"]),
        # typed on its own, the word is still searched
        ("公司", ["公司"]),
    ],
)
def test_a_workers_question_is_split_into_its_content_terms(q, terms):
    from search.lexicon import lexicon
    from search.understanding import understand

    understood = understand(q, lexicon())
    searched = [c.alternatives[0].text for c in understood.text.should]
    # (a long word also counts whole, as an exact phrase: the last clause)
    assert searched[: len(terms)] == terms and set(searched[len(terms) :]) <= {q}


def test_a_workers_phrasing_weighs_its_written_forms_above_a_concepts_narrower_terms():
    """跑路 is found through 失联 / 下落不明 (colloquial, weighted like a synonym); 辞退's narrower
    terms count further below the typed word (CONCEPT_BOOST)."""
    from search.lexicon import lexicon
    from search.query import COLLOQUIAL_BOOST, CONCEPT_BOOST
    from search.understanding import understand

    def weights(q):
        (clause,) = understand(q, lexicon()).text.should
        return {a.text: a.boost for a in clause.alternatives if a.expansion}

    assert weights("跑路")["失联"] == COLLOQUIAL_BOOST > CONCEPT_BOOST == weights("辞退")["开除"]
    # per token always below the typed word: a longer written form weighs less in total
    assert weights("跑路")["下落不明"] < weights("跑路")["失联"]
