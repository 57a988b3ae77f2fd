"""The audit log is append-only in the database too (issue 9, item 8): see mediation/lib/dbguard.py."""

from django.db import migrations

from mediation.lib.dbguard import GuardTable


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0003_case_list_indexes"),
    ]

    operations = [
        GuardTable(table="cases_caseevent"),
    ]
