"""Seed the legal concept dictionary (search/data/concepts.txt) and the topic list (专题)."""

from pathlib import Path

from django.db import migrations

SEED = Path(__file__).resolve().parent.parent / "data" / "concepts.txt"
KINDS = {"B": "BROADER", "C": "COLLOQUIAL"}

# name, implied primary dispute type (DisputeType code or ""), aliases, note
TOPICS = [
    (
        "新就业形态",
        "CONTRACT",
        "新业态, 平台用工, 新就业形态劳动者",
        "外卖骑手、网约车司机、快递员、网络主播等；常从确认劳动关系开始",
    ),
    (
        "女职工权益",
        "CONTRACT",
        "女职工, 女职工保护, 三期女职工, 女职工特殊保护",
        "孕期、产期、哺乳期保护，反性骚扰与就业歧视",
    ),
    ("劳务派遣", "CONTRACT", "派遣, 劳务派遣用工, 派遣工", "派遣单位与用工单位的责任"),
    (
        "农民工",
        "WAGES",
        "农民工欠薪, 农民工工资, 农民工权益",
        "建筑领域总包先行清偿、工资专用账户、检察院支持起诉",
    ),
    (
        "未签合同二倍工资",
        "CONTRACT",
        "未签劳动合同, 二倍工资, 双倍工资, 未签书面合同二倍工资",
        "劳动合同法第八十二条",
    ),
    ("集体争议", "", "集体劳动争议, 群体性劳动争议", "十人以上的争议与集体协商"),
    ("职业病", "WORK_INJURY", "尘肺病, 职业病待遇", "职业病诊断、鉴定与待遇"),
    ("超龄劳动者", "", "超龄务工, 超龄农民工, 大龄劳动者", "超过法定退休年龄人员的用工与伤害赔偿"),
    ("根治欠薪", "WAGES", "治欠保支, 欠薪治理", "冬季专项行动与节前清欠"),
    ("一函两书", "", "劳动法律监督, 一函两书监督", "工会劳动法律监督的提示函、意见书、建议书"),
]


def parse(text: str) -> list[tuple[str, str, str, str]]:
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        kind, term, expansions, source = (line.split("|") + ["", "", "", ""])[:4]
        rows.append((KINDS[kind.strip()], term.strip(), expansions.strip(), source.strip()))
    return rows


def seed(apps, schema_editor):
    ConceptEntry = apps.get_model("search", "ConceptEntry")
    Topic = apps.get_model("search", "Topic")
    for kind, term, expansions, source in parse(SEED.read_text(encoding="utf-8")):
        ConceptEntry.objects.get_or_create(
            term=term,
            defaults={
                "kind": kind,
                "expansions": expansions,
                "source": source[:200],
                "enabled": True,
            },
        )
    for order, (name, implied, aliases, note) in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(
            name=name,
            defaults={
                "implied_dispute_type": implied,
                "aliases": aliases,
                "note": note,
                "order": order,
                "enabled": True,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("search", "ConceptEntry").objects.all().delete()
    apps.get_model("search", "Topic").objects.filter(name__in=[t[0] for t in TOPICS]).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0003_search12_topics_concepts")]
    operations = [migrations.RunPython(seed, unseed)]
