"""Tokenizing Chinese text and understanding the query box (no engine involved)."""

import pytest
from django.core.exceptions import ValidationError

from search.analysis import bigram_tokens, index_text, jieba_tokens, unigram_tokens
from search.models import SynonymGroup, parse_synonym_rule
from search.query import build_text_query, expand_synonyms, parse_query_string
from search.synonyms import build_synonym_map


def test_bigrams_cover_every_two_character_word():
    assert bigram_tokens("拖欠工资") == ["拖欠", "欠工", "工资"]
    assert bigram_tokens("工伤") == ["工伤"]
    assert bigram_tokens("伤") == ["伤"]


def test_non_han_text_is_lowercased_words_and_fullwidth_is_folded():
    assert bigram_tokens("１２３５１热线 ABC") == ["12351", "热线", "abc"]
    assert unigram_tokens("工伤12351") == ["工", "伤", "12351"]


def test_jieba_segments_into_words():
    assert "农民工" in jieba_tokens("拖欠农民工工资")


def test_index_text_separates_multiple_values():
    text = index_text(["欠薪", "工伤"])
    assert text.split(" ")[0] == "欠薪" and text.split(" ")[-1] == "工伤"
    assert len(text.split(" ")) == 3  # a separator token keeps phrases from spanning two values


def test_query_box_words_phrases_and_exclusions():
    parsed = parse_query_string('拖欠工资 "支持起诉" -工伤 “司法确认” -"职业病"')
    assert parsed.words == ["拖欠工资"]
    assert parsed.phrases == ["支持起诉", "司法确认"]
    assert parsed.excluded == ["工伤", "职业病"]


def test_query_box_splits_on_chinese_punctuation_and_ignores_a_lone_minus():
    parsed = parse_query_string("欠薪，工伤、 - 社保")
    assert parsed.words == ["欠薪", "工伤", "社保"]
    assert parsed.excluded == []


def test_synonym_rules_equivalence_and_one_way():
    mapping = build_synonym_map(["欠薪, 拖欠工资, 讨薪", "一函两书 => 提示函, 意见书"])
    assert mapping["讨薪"] == ["欠薪", "拖欠工资"]
    assert mapping["一函两书"] == ["提示函", "意见书"]
    assert "提示函" not in mapping  # one way only


def test_synonyms_apply_to_a_word_that_contains_one():
    mapping = build_synonym_map(["双倍工资, 二倍工资", "欠薪, 拖欠工资, 讨薪"])
    assert expand_synonyms("双倍工资", mapping) == ["二倍工资"]
    assert expand_synonyms("追讨双倍工资", mapping) == ["追讨二倍工资"]
    # a short modifier inside a four-character synonym: 拖欠[农民工]工资
    assert set(expand_synonyms("拖欠农民工工资", mapping)) == {"欠薪", "讨薪"}
    assert expand_synonyms("拖欠了很多很多工资", mapping) == []


def test_quoted_phrases_and_exclusions_are_not_expanded():
    mapping = build_synonym_map(["工伤, 职业病"])
    query = build_text_query('工伤 "工伤认定" -职业病', mapping)
    assert [a.text for a in query.should[0].alternatives] == ["工伤", "职业病"]
    assert [p.text for p in query.must] == ["工伤认定"]
    assert [p.text for p in query.must_not] == ["职业病"]


def test_parse_synonym_rule():
    assert parse_synonym_rule("a, b，c") == (["a", "b", "c"], [])
    assert parse_synonym_rule("x => y、z") == (["x"], ["y", "z"])


@pytest.mark.parametrize("rule", ["只有一个词", "a =>", "含 空格, 另一个"])
def test_synonym_admin_validation_refuses_bad_rules(rule):
    with pytest.raises(ValidationError):
        SynonymGroup(rule=rule).clean()


@pytest.mark.django_db
def test_seeded_synonyms_come_from_the_data_migration():
    rules = set(SynonymGroup.objects.values_list("rule", flat=True))
    assert "欠薪, 拖欠工资, 讨薪, 劳动报酬, 工钱" in rules
    assert "双倍工资, 二倍工资" in rules
    assert "一函两书 => 提示函, 意见书, 建议书" in rules
