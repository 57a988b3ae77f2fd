"""The matter log is append-only and an issued letter frozen, in the database too
(issue 9, item 8): see mediation/lib/dbguard.py. A letter counts as issued once its text
hash is set; its identity, text and hash can then neither change nor be deleted."""

from django.db import migrations

from mediation.lib.dbguard import GuardTable


class Migration(migrations.Migration):

    dependencies = [
        ("supervision", "0002_seed_letter_templates"),
    ]

    operations = [
        GuardTable(table="supervision_matterevent"),
        GuardTable(
            table="supervision_letter",
            flag="content_sha256",
            columns=["matter_id", "kind", "year", "number", "doc_no", "issuer_id", "issued_on", "issued_by_id",
                     "rendered_text", "content_sha256"],
        ),
    ]
