"""Printed case documents are official signed records, frozen like issued letters (issue 9,
item 8): once a document has its SHA-256 (always, from the moment it is printed), the database
refuses an UPDATE of its number, text, file or hash and any DELETE. Only the signed scan may
be attached later. See mediation/lib/dbguard.py."""

from django.db import migrations

from mediation.lib.dbguard import GuardTable

COLUMNS = [
    "case_id",
    "kind",
    "session_id",
    "served_id",
    "doc_no",
    "title",
    "rendered_text",
    "pdf",
    "pages",
    "sha256",
    "case_status",
    "created_by_id",
    "created_at",
]


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_merge_records"),
    ]

    operations = [
        GuardTable(table="cases_casedocument", flag="sha256", columns=COLUMNS),
    ]
