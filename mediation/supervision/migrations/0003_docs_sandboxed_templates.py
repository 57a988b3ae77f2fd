"""Letter templates now see plain values, not model instances (issue 9 item 5).

Rewrite the expressions the seeded (or admin-edited) templates used on model instances into
the plain fields of mediation.supervision.documents.LETTER_SPECIMEN."""

import re

from django.db import migrations

INVESTIGATORS = re.compile(
    r"\{%\s*for (\w+) in inv\.investigators\.all\s*%\}\{\{\s*\1\.staff\.full_name\s*\}\}"
    r"\{%\s*if not forloop\.last\s*%\}、\{%\s*endif\s*%\}\{%\s*endfor\s*%\}"
)
DISPLAY = re.compile(r"\.get_(\w+?)_display\b")


def rewrite(source: str) -> str:
    source = INVESTIGATORS.sub("{{ inv.investigator_names }}", source)
    return DISPLAY.sub(r".\1", source)


def forwards(apps, schema_editor):
    LetterTemplate = apps.get_model("supervision", "LetterTemplate")
    for template in LetterTemplate.objects.all():
        new = rewrite(template.source)
        if new != template.source:
            LetterTemplate.objects.filter(pk=template.pk).update(source=new)


class Migration(migrations.Migration):
    dependencies = [("supervision", "0002_seed_letter_templates")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
