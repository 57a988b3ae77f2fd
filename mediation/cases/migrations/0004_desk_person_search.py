"""Indexes for finding a case by a person (mediation.cases.person_search), PostgreSQL only.

Trigram GIN indexes (pg_trgm) serve LIKE '%…%' and LIKE '%…' (ID tails read out at the counter);
a pattern btree serves the worker's name "starts with". SQLite has neither and scans.
"""

from django.db import migrations

TRIGRAM = [
    ("desk_worker_id_trgm", "parties_worker", "id_number"),
    ("desk_worker_phone_trgm", "parties_worker", "phone"),
    ("desk_employer_name_trgm", "parties_employer", "name"),
    ("desk_employer_credit_trgm", "parties_employer", "credit_code"),
    ("desk_case_no_trgm", "cases_case", "case_no"),
    ("desk_case_title_trgm", "cases_case", "title"),
]
PATTERN = [
    ("desk_worker_name_like", "parties_worker", "name"),
    ("desk_respondent_person_like", "cases_caserespondent", "person_name"),
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
        ("cases", "0003_case_list_indexes"),
        ("parties", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
