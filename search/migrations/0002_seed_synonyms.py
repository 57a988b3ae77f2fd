"""Seed the synonym table with DOMAIN §5.7's pairs and the two expansions the query set needs."""

from django.db import migrations

RULES = [
    ("欠薪, 拖欠工资, 讨薪, 劳动报酬, 工钱", "DOMAIN §5.7"),
    ("双倍工资, 二倍工资", "DOMAIN §5.7"),
    ("外卖骑手, 网约配送员, 外卖配送员", "DOMAIN §5.7"),
    ("快递员, 快递小哥", "DOMAIN §5.7"),
    ("支持起诉, 检察支持", "DOMAIN §5.7"),
    ("司法确认, 确认调解协议效力", "DOMAIN §5.7"),
    ("工伤, 职业病, 伤残", "DOMAIN §5.7"),
    ("社保, 社会保险, 养老保险", "DOMAIN §5.7"),
    ("一函两书 => 提示函, 意见书, 建议书", "一函两书即提示函、意见书、建议书（DOMAIN §4.2）"),
    ("新就业形态 => 平台, 骑手, 快递, 网约", "新就业形态劳动者：平台网约劳动者、快递员、外卖骑手等"),
]


def seed(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    for rule, note in RULES:
        SynonymGroup.objects.get_or_create(rule=rule, defaults={"note": note, "enabled": True})


def unseed(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    SynonymGroup.objects.filter(rule__in=[r for r, _n in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
