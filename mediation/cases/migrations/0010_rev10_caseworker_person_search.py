"""Indexes for finding a case by the name and phone the case itself records (CaseWorker.name,
CaseWorker.phone — the per-case party snapshot), PostgreSQL only, like cases 0004.

mediation.cases.person_search matches a name ("starts with") and a phone ("contains") against
the case's own snapshot, not the person record: a pattern btree serves LIKE 'x%' and a trigram
GIN index serves LIKE '%…%'. SQLite has neither and scans.
"""

from django.db import migrations

TRIGRAM = [
    ("rev10_caseworker_phone_trgm", "cases_caseworker", "phone"),
]
PATTERN = [
    ("rev10_caseworker_name_like", "cases_caseworker", "name"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in TRIGRAM:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON "{table}" USING gin ("{column}" gin_trgm_ops)'
        )
    for name, table, column in PATTERN:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON "{table}" ("{column}" varchar_pattern_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in TRIGRAM + PATTERN:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_merge_records"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
