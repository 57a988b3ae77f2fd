"""Concept dictionary precision (issue 12, third judged set): databases seeded by 0004 get the
same changes that search/data/concepts.txt now has.

* 新就业形态 no longer expands to 货车司机 (a lorry driver is platform work only when the platform
  dispatches him: 网约货车) nor to 灵活就业 (a sibling notion, not an instance);
* 辞退 expands to 违法解除 / 违法辞退 and no longer to 被迫离职 (the worker's own resignation);
* a worker's 怀孕 finds the written 孕期 / 妊娠;
* year-end words are linked: 年底, 年关, 过年前 → 年末, 岁末, 春节前, 节前 ….

An entry an administrator has already edited (its expansions differ from the old seed) is left alone.
"""

from django.db import migrations
from django.utils import timezone

CHANGED = [
    (
        "新就业形态",
        "平台, 外卖, 骑手, 网约车, 快递, 快递员, 主播, 直播, 网约配送员, 货车司机, 灵活就业",
        "平台, 外卖, 骑手, 网约车, 快递, 快递员, 主播, 直播, 网约配送员, 网约货车",
    ),
    (
        "辞退",
        "解除劳动合同, 开除, 劝退, 除名, 解雇, 裁员, 口头开除, 不用来上班, 被迫离职",
        "解除劳动合同, 违法解除, 违法辞退, 开除, 劝退, 除名, 解雇, 裁员, 口头开除, 不用来上班",
    ),
]
ADDED = [
    ("COLLOQUIAL", "年底", "年关, 年末, 岁末, 春节前, 节前", "口语"),
    ("COLLOQUIAL", "年关", "年底, 年末, 岁末, 春节前, 节前", "口语"),
    ("COLLOQUIAL", "过年前", "春节前, 节前, 年关, 年底", "口语"),
    ("COLLOQUIAL", "怀孕", "孕期, 妊娠, 孕妇", "口语"),
]


def forwards(apps, schema_editor):
    ConceptEntry = apps.get_model("search", "ConceptEntry")
    for term, old, new in CHANGED:
        ConceptEntry.objects.filter(term=term, expansions=old).update(
            expansions=new, updated_at=timezone.now()
        )
    for kind, term, expansions, source in ADDED:
        ConceptEntry.objects.get_or_create(
            term=term,
            defaults={"kind": kind, "expansions": expansions, "source": source, "enabled": True},
        )


def backwards(apps, schema_editor):
    ConceptEntry = apps.get_model("search", "ConceptEntry")
    for term, old, new in CHANGED:
        ConceptEntry.objects.filter(term=term, expansions=new).update(
            expansions=old, updated_at=timezone.now()
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0005_merge_search12")]

    operations = [migrations.RunPython(forwards, backwards)]
