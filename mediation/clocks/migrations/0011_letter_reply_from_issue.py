"""D40 / D42 run from the letter's date, the way the letter states it (issue 8 B10).

The 意见书 / 提示函 prints its reply date, and that date is its clock's due date (one source):
the union counts the period from the day it issues the letter and delivers it that day or
states the date in the letter. The rule's text said "from receipt"; it now says what the
clock does. A locality whose regulation counts from receipt sets its own version of the rule.
"""

from django.db import migrations

TEXT = {
    "D40": ("意见书发文之日（答复期限载明于意见书）",
            "意见书载明的书面答复期限即本时限的届满日。地方规定自收到之日起算的，应当面送达（发文当日送达），"
            "或由该地区另设本规则版本。"),
    "D42": ("提示函发文之日（答复期限载明于提示函）",
            "提示函载明的答复期限即本时限的届满日；未要求答复的提示函不计时。"),
}


def forwards(apps, schema_editor):
    DeadlineRule = apps.get_model("clocks", "DeadlineRule")
    for code, (start_event, note) in TEXT.items():
        for rule in DeadlineRule.objects.filter(code=code, superseded_at__isnull=True):
            rule.start_event = start_event
            rule.note = f"{rule.note}\n{note}".strip() if note not in rule.note else rule.note
            rule.save(update_fields=["start_event", "note"])


class Migration(migrations.Migration):
    dependencies = [("clocks", "0010_merge_protect")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
