"""De-identification rules (DOMAIN §2.6): what leaves the case file and what replaces it."""

from search import deidentify
from search.models import EmployerPolicy
from tests.factories.search import closed_case


def test_person_alias_keeps_the_surname_only():
    assert deidentify.person_alias("张三") == "张某"
    assert deidentify.person_alias("欧阳娜娜") == "欧阳某"
    assert deidentify.person_alias("王某") == "王某"


def test_employer_variants_include_the_name_without_legal_form():
    assert deidentify.employer_name_variants("安康恒通建筑劳务有限公司") == ["安康恒通建筑劳务有限公司", "安康恒通建筑劳务"]
    assert deidentify.employer_name_variants("某厂") == ["某厂"]


def test_patterns_remove_ids_phones_credit_codes_and_case_numbers():
    text = ("身份证610902198506010013，手机13912345678，座机0915-3212345，"
            "信用代码91610902MA70E1XQ3K，案号汉滨工调〔2024〕第0007号，金额360000元。")
    out = deidentify.apply(text, deidentify.Rules())
    assert "610902198506010013" not in out and "13912345678" not in out and "0915-3212345" not in out
    assert "91610902MA70E1XQ3K" not in out and "〔2024〕第0007号" not in out
    assert "金额360000元" in out  # amounts are not identifying and stay


def test_longer_names_are_replaced_first():
    rules = deidentify.Rules(persons=["张三"], employers={"张三建材有限公司": "某建材公司"})
    assert deidentify.apply("张三建材有限公司欠张三工资", rules) == "某建材公司欠张某工资"


def test_rules_for_a_case_cover_workers_respondents_agents_and_mediators(ankang, people):
    case = closed_case(agency=ankang["union:610902"], created_by=people["intake"], mediator=people["mediator"])
    rules = deidentify.rules_for_case(case, EmployerPolicy.INDUSTRY)
    mediator_name = people["mediator"].staff.full_name
    assert {"王建国", "赵大海", "李志强", mediator_name} <= set(rules.persons)
    assert rules.employers == {"安康恒通建筑劳务有限公司": "某建筑公司"}
    kept = deidentify.rules_for_case(case, EmployerPolicy.KEEP)
    assert kept.employers == {}


def test_preview_lists_every_replacement_and_its_digest_tracks_the_content(ankang, people):
    case = closed_case(agency=ankang["union:610902"], created_by=people["intake"])
    rules = deidentify.rules_for_case(case, EmployerPolicy.INDUSTRY)
    preview = deidentify.preview({"title": "王建国讨薪案", "summary": case.facts}, ["王建国"], rules)
    assert preview.fields["title"] == "王某讨薪案"
    assert "安康恒通建筑劳务有限公司" not in preview.fields["summary"]
    assert "某建筑公司" in preview.fields["summary"]
    assert preview.tags == ["王某"]
    originals = {r.original for r in preview.replacements}
    assert {"王建国", "安康恒通建筑劳务有限公司", "610902198506010013", "13912345678"} <= originals
    other = deidentify.preview({"title": "王建国讨薪案", "summary": case.facts + "。"}, ["王建国"], rules)
    assert other.digest != preview.digest


def test_residual_findings_report_what_still_identifies():
    rules = deidentify.Rules(persons=["王建国"])
    findings = deidentify.residual_findings({"summary": "王建国电话13912345678"}, [], rules)
    assert any("电话号码" in f for f in findings)
    assert any("王建国" in f for f in findings)
    assert deidentify.residual_findings({"summary": "王某求助"}, [], rules) == []
