"""What a searcher sees, on both engines (the embedded index and Elasticsearch via osmem)."""

from decimal import Decimal

import pytest

from mediation.cases.models import ClosingCode, DisputeType
from parties.models import County
from search import indexing
from search.models import PartnerAgency, SynonymGroup, TypicalCaseStatus
from search.selectors import SearchParameterError, search_typical_cases
from tests.factories.search import TypicalCaseFactory

pytestmark = pytest.mark.django_db


def indexed(**kwargs):
    tc = TypicalCaseFactory(**kwargs)
    indexing.index_ids([tc.pk])
    return tc


def titles(result):
    return [h.source["title"] for h in result.hits]


def search(user, q="", **kwargs):
    return search_typical_cases(user=user, q=q, **kwargs)


@pytest.fixture
def corpus(search_backend):
    """A small library with distinct words, places, types, years, agencies and amounts."""
    return {
        "injury": indexed(title="汉滨区外卖骑手送餐途中受伤工伤待遇调解案", dispute_type=DisputeType.WORK_INJURY,
                          summary="骑手张某送餐时摔伤，站点拒付医疗费。", year=2024,
                          agencies=[PartnerAgency.UNION, PartnerAgency.ARBITRATION],
                          outcome=ClosingCode.SUCCESS_ARB_REVIEWED, amount_yuan=Decimal("68000")),
        "wages": indexed(title="宁陕县公路工程包工头失联农民工欠薪支持起诉案", county=County.NINGSHAN,
                         summary="包工头失联，38名农民工被拖欠工资，检察院支持起诉。", year=2023,
                         agencies=[PartnerAgency.UNION, PartnerAgency.PROCURATORATE],
                         outcome=ClosingCode.FAILED_TO_LITIGATION_PROCURATORATE, amount_yuan=Decimal("420000")),
        "double": indexed(title="汉阴县餐馆服务员未签劳动合同二倍工资调解案", county=County.HANYIN,
                          dispute_type=DisputeType.CONTRACT, year=2022,
                          summary="服务员入职一年未签书面劳动合同，要求支付二倍工资差额。",
                          amount_yuan=Decimal("24000")),
        "body_only": indexed(title="石泉县丝绸厂女工调解协议未履行申请支付令案", county=County.SHIQUAN,
                             dispute_type=DisputeType.WORK_INJURY, year=2025,
                             summary="女工在车间受伤，经工伤认定后达成协议，企业逾期未付，申请支付令。",
                             outcome=ClosingCode.SUCCESS_PAYMENT_ORDER, amount_yuan=Decimal("52000")),
    }


def test_two_character_words_match_inside_longer_text(corpus, people):
    assert set(titles(search(people["mediator"], "工伤"))) == {corpus["injury"].title, corpus["body_only"].title}
    assert titles(search(people["mediator"], "欠薪")) == [corpus["wages"].title]
    assert titles(search(people["mediator"], "失联")) == [corpus["wages"].title]
    assert search(people["mediator"], "尘肺").count == 0


def test_title_counts_more_than_body(corpus, people):
    # 工伤 is in the title of one case and only in the body of the other.
    result = search(people["mediator"], "工伤")
    assert titles(result)[0] == corpus["injury"].title
    assert result.hits[0].score > result.hits[1].score


def test_more_matching_words_rank_higher(corpus, people):
    result = search(people["mediator"], "农民工 支持起诉 工伤")
    assert titles(result)[0] == corpus["wages"].title
    assert result.count == 3


def test_quoted_phrase_is_required_and_exact(corpus, people):
    assert titles(search(people["mediator"], '"拖欠工资"')) == [corpus["wages"].title]
    # 拖欠 and 工资 both occur, but not as the phrase 工资拖欠.
    assert search(people["mediator"], '"工资拖欠"').count == 0
    assert titles(search(people["mediator"], '工伤 "支付令"')) == [corpus["body_only"].title]


def test_minus_excludes(corpus, people):
    result = search(people["mediator"], "工伤 -支付令")
    assert titles(result) == [corpus["injury"].title]
    assert search(people["mediator"], '工伤 -"送餐途中"').count == 1


def test_highlights_mark_matches_and_escape_everything_else(search_backend, people):
    indexed(title="带<script>标签的工伤案", summary="正文<b>粗体</b>里说到工伤认定 & 赔偿。")
    hit = search(people["mediator"], "工伤").hits[0]
    assert hit.highlight["title"] == "带&lt;script&gt;标签的<mark>工伤</mark>案"
    fragment = hit.highlight["fragments"][0]
    assert "<mark>工伤</mark>" in fragment
    assert "&lt;b&gt;粗体&lt;/b&gt;" in fragment and "&amp;" in fragment
    assert "<b>" not in fragment and "<script>" not in hit.highlight["title"]


def test_facet_counts_follow_the_query(corpus, people):
    facets = search(people["mediator"], "工伤").facets
    assert facets["dispute_type"] == [{"value": "工伤", "count": 2}]
    assert {b["value"]: b["count"] for b in facets["county"]} == {"汉滨区": 1, "石泉县": 1}
    assert {b["value"] for b in facets["year"]} == {2024, 2025}
    assert {b["value"]: b["count"] for b in facets["agency"]} == {"工会": 2, "仲裁委": 1}
    assert {b["value"] for b in facets["outcome"]} == {"调解成功·仲裁审查确认", "调解成功·申请支付令"}
    everything = search(people["mediator"], "").facets
    assert sum(b["count"] for b in everything["county"]) == 4


@pytest.mark.parametrize("filters, expected", [
    ({"county": ["汉阴县"]}, {"double"}),
    ({"county": ["610923"]}, {"wages"}),  # the division code works as well as the name
    ({"dispute_type": ["工伤"]}, {"injury", "body_only"}),
    ({"dispute_type": ["WORK_INJURY"], "year": ["2025"]}, {"body_only"}),
    ({"year": ["2022", "2023"]}, {"double", "wages"}),
    ({"agency": ["检察院"]}, {"wages"}),
    ({"outcome": ["调解成功·仲裁审查确认"]}, {"injury"}),
])
def test_filters(corpus, people, filters, expected):
    result = search(people["mediator"], "", filters=filters)
    assert set(titles(result)) == {corpus[k].title for k in expected}
    assert result.count == len(expected)


def test_unknown_filter_values_are_refused(corpus, people):
    with pytest.raises(SearchParameterError):
        search(people["mediator"], "", filters={"county": ["火星县"]})
    with pytest.raises(SearchParameterError):
        search(people["mediator"], "", filters={"year": ["20x5"]})


def test_sort_by_date_and_amount(corpus, people):
    by_date = titles(search(people["mediator"], "", sort="date"))
    assert by_date == [corpus[k].title for k in ("body_only", "injury", "wages", "double")]
    assert titles(search(people["mediator"], "", sort="date_asc")) == list(reversed(by_date))
    by_amount = titles(search(people["mediator"], "", sort="amount"))
    assert by_amount == [corpus[k].title for k in ("wages", "injury", "body_only", "double")]
    assert titles(search(people["mediator"], "", sort="amount_asc"))[0] == corpus["double"].title
    with pytest.raises(SearchParameterError):
        search(people["mediator"], "", sort="bogus")


def test_pagination(search_backend, people):
    for i in range(7):
        indexed(title=f"汉滨区第{i}起欠薪调解案", amount_yuan=Decimal(1000 + i))
    pages = [titles(search(people["mediator"], "欠薪", sort="amount", page=p, page_size=3)) for p in (1, 2, 3)]
    assert [len(p) for p in pages] == [3, 3, 1]
    assert pages[0][0] == "汉滨区第6起欠薪调解案" and pages[2] == ["汉滨区第0起欠薪调解案"]
    assert search(people["mediator"], "欠薪", page=2, page_size=3).count == 7
    with pytest.raises(SearchParameterError):
        search(people["mediator"], "欠薪", page_size=101)


def test_synonyms_apply_at_query_time_and_follow_admin_edits(corpus, people):
    # Seeded: 双倍工资 = 二倍工资. The text only says 二倍工资 (工资 alone also matches, lower).
    assert titles(search(people["mediator"], "双倍工资"))[0] == corpus["double"].title
    assert titles(search(people["mediator"], "讨薪")) == [corpus["wages"].title]  # 欠薪 group
    # An admin adds a rule; it works on the next search without reindexing.
    assert search(people["mediator"], "跌伤").count == 0
    rule = SynonymGroup.objects.create(rule="跌伤, 摔伤")
    assert titles(search(people["mediator"], "跌伤")) == [corpus["injury"].title]
    rule.enabled = False
    rule.save()
    assert search(people["mediator"], "跌伤").count == 0


def test_the_typed_word_ranks_above_its_synonym(search_backend, people):
    indexed(title="甲县欠薪调解案", summary="工人欠薪。")
    indexed(title="乙县讨薪调解案", summary="工人讨薪。")
    assert titles(search(people["mediator"], "讨薪"))[0] == "乙县讨薪调解案"
    assert titles(search(people["mediator"], "欠薪"))[0] == "甲县欠薪调解案"


def test_drafts_are_found_only_by_those_who_may_read_them(search_backend, ankang, people):
    draft = indexed(title="汉滨区某物流公司快递员派费纠纷调解案", status=TypicalCaseStatus.DRAFTING,
                    nominated_by=people["mediator"], agency=ankang["union:610902"])
    published = indexed(title="石泉县快递网点快递员加班费争议调解案", county=County.SHIQUAN)

    def found(user, include_drafts=True):
        return set(titles(search(user, "快递员", include_drafts=include_drafts)))

    assert found(people["mediator"]) == {draft.title, published.title}          # the nominator
    assert found(people["head"]) == {draft.title, published.title}              # same agency
    assert found(people["supervisor"]) == {draft.title, published.title}        # approver
    assert found(people["other_county_mediator"]) == {published.title}          # another county
    assert found(people["court"]) == {published.title}                         # a partner agency
    assert found(people["mediator"], include_drafts=False) == {published.title}  # default scope
    facets = search(people["other_county_mediator"], "快递员", include_drafts=True).facets
    assert sum(b["count"] for b in facets["county"]) == 1  # counts leak nothing either


def test_similar_cases_for_a_typical_case_prefer_the_same_kind(search_backend, people):
    from search.selectors import similar_precedents

    base = indexed(title="白河县社区工厂假发加工女工计件工资拖欠调解案",
                   summary="社区工厂老板拖欠假发加工女工计件工资，女工到县总工会求助。")
    like = indexed(title="平利县社区工厂毛绒玩具加工女工工资拖欠调解案",
                   summary="社区工厂拖欠毛绒玩具加工女工工资三个月。")
    indexed(title="岚皋县石材厂工人尘肺病职业病待遇案", dispute_type=DisputeType.WORK_INJURY,
            summary="石材厂工人患尘肺病，企业拒绝承担职业病待遇。")
    hits = similar_precedents(base, limit=5)
    assert hits and hits[0].id == like.pk
    assert base.pk not in [h.id for h in hits]


def test_similar_cases_for_an_open_mediation_case(search_backend, ankang, people):
    from mediation.cases.models import CaseStatus
    from search.selectors import similar_precedents_for_case
    from tests.factories.search import closed_case

    wages = indexed(title="汉滨区安置小区项目农民工欠薪司法确认案",
                    summary="劳务分包方拖欠农民工工资，总包先行清偿，申请司法确认。")
    indexed(title="紫阳县修脚技师经济补偿视频调解案", dispute_type=DisputeType.SEVERANCE,
            summary="修脚技师被辞退，视频调解经济补偿。")
    indexed(title="汉阴县茶叶公司会计工伤案", status=TypicalCaseStatus.DRAFTING, summary="农民工工资 总包 分包")
    case = closed_case(agency=ankang["union:610902"], created_by=people["intake"], status=CaseStatus.IN_MEDIATION)
    hits = similar_precedents_for_case(case, limit=5)
    assert [h.id for h in hits][:1] == [wages.pk]
    assert all(h.source["status"] == TypicalCaseStatus.PUBLISHED for h in hits)  # drafts never leak


def test_a_synonym_is_highlighted_whole_not_by_its_pieces(search_backend, people):
    indexed(title="某县采茶工劳动报酬调解案", summary="茶园拖欠采茶工劳动报酬，且未签劳动合同。")
    hit = search(people["mediator"], "欠薪").hits[0]
    assert "<mark>劳动报酬</mark>" in hit.highlight["title"]
    text = "".join(hit.highlight["fragments"])
    assert "<mark>劳动报酬</mark>" in text and "<mark>劳动</mark>合同" not in text
