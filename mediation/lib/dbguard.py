"""Append-only in the database itself: triggers that refuse UPDATE and DELETE.

The ORM guard (`mediation.lib.audit.AppendOnlyModel`) stops the product's own code; these
triggers stop everything else that talks SQL — a cascade from a deleted parent, a raw
query, a maintenance script, the admin. There is deliberately no switch to turn them off
for a session: removing them takes DDL (DROP TRIGGER), which the application's database
role should not hold in production (docs/audit.md).

Two kinds:
* `append_only(table)`: every UPDATE and DELETE is refused (audit events).
* `frozen_once(table, flag, columns)`: once `flag` is set (not NULL and not empty), an
  UPDATE that changes one of `columns`, and any DELETE, is refused (issued letters: their
  text and hash). Rows whose flag is still empty stay editable (a draft).

Errors surface as django.db.IntegrityError on both vendors (SQLSTATE 23000 on PostgreSQL,
RAISE(ABORT) on SQLite), with a message naming the table.

PostgreSQL: TRUNCATE fires no row trigger; it needs the table's owner or the TRUNCATE
privilege, which the test teardown has and a production role should not. SQLite has no
TRUNCATE; the test suite's flush drops and restores the triggers around its DELETEs
(tests/conftest.py), which is the same DDL an operator would need.
"""

from __future__ import annotations

from django.db import migrations

PG_FUNCTION = "concord_refuse_change"
APPEND_ONLY = "the table is append-only"
FROZEN = "the row is frozen once issued"


def _pg_function() -> str:
    return f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'concord: % on % refused: %', TG_OP, TG_TABLE_NAME, TG_ARGV[0]
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;"""


def _flag_set(flag: str, row: str = "OLD") -> str:
    return f"({row}.{flag} IS NOT NULL AND {row}.{flag} <> '')"


def _changed(columns: list[str], vendor: str) -> str:
    op = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    return " OR ".join(f"NEW.{c} {op} OLD.{c}" for c in columns)


def create_sql(vendor: str, table: str, *, flag: str | None = None, columns: list[str] | None = None) -> list[str]:
    """The statements that install the guard of `table` on `vendor`."""
    if vendor == "postgresql":
        out = [_pg_function()]
        if flag is None:
            out.append(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}('{APPEND_ONLY}');")
        else:
            out.append(f"CREATE TRIGGER {table}_frozen_update BEFORE UPDATE ON {table} FOR EACH ROW "
                       f"WHEN ({_flag_set(flag)} AND ({_changed(columns, vendor)})) "
                       f"EXECUTE FUNCTION {PG_FUNCTION}('{FROZEN}');")
            out.append(f"CREATE TRIGGER {table}_frozen_delete BEFORE DELETE ON {table} FOR EACH ROW "
                       f"WHEN ({_flag_set(flag)}) EXECUTE FUNCTION {PG_FUNCTION}('{FROZEN}');")
        return out
    if vendor == "sqlite":
        if flag is None:
            return [
                f"CREATE TRIGGER {table}_append_only_{op.lower()} BEFORE {op} ON {table} FOR EACH ROW "
                f"BEGIN SELECT RAISE(ABORT, 'concord: {op} on {table} refused: {APPEND_ONLY}'); END;"
                for op in ("UPDATE", "DELETE")
            ]
        return [
            f"CREATE TRIGGER {table}_frozen_update BEFORE UPDATE ON {table} FOR EACH ROW "
            f"WHEN {_flag_set(flag)} AND ({_changed(columns, vendor)}) "
            f"BEGIN SELECT RAISE(ABORT, 'concord: UPDATE on {table} refused: {FROZEN}'); END;",
            f"CREATE TRIGGER {table}_frozen_delete BEFORE DELETE ON {table} FOR EACH ROW "
            f"WHEN {_flag_set(flag)} "
            f"BEGIN SELECT RAISE(ABORT, 'concord: DELETE on {table} refused: {FROZEN}'); END;",
        ]
    raise NotImplementedError(f"no append-only triggers for the {vendor} backend")


def trigger_names(vendor: str, table: str, *, flag: str | None = None) -> list[str]:
    if flag is None:
        return [f"{table}_append_only"] if vendor == "postgresql" else [
            f"{table}_append_only_update", f"{table}_append_only_delete"]
    return [f"{table}_frozen_update", f"{table}_frozen_delete"]


def drop_sql(vendor: str, table: str, *, flag: str | None = None, columns: list[str] | None = None) -> list[str]:
    on = f" ON {table}" if vendor == "postgresql" else ""
    return [f"DROP TRIGGER IF EXISTS {name}{on};" for name in trigger_names(vendor, table, flag=flag)]


# Every guarded table, as the migrations installed them. `ensure_guards` (post_migrate)
# re-installs a guard that is missing: on SQLite, a later migration that alters one of these
# tables rebuilds it (CREATE new, copy, DROP old, RENAME), and the DROP takes its triggers.
GUARDS: tuple[dict, ...] = (
    {"table": "cases_caseevent"},
    {"table": "supervision_matterevent"},
    {"table": "search_typicalcaseevent"},
    {"table": "supervision_letter", "flag": "content_sha256",
     "columns": ["matter_id", "kind", "year", "number", "doc_no", "issuer_id", "issued_on", "issued_by_id",
                 "rendered_text", "content_sha256"]},
    {"table": "cases_casedocument", "flag": "sha256",
     "columns": ["case_id", "kind", "session_id", "served_id", "doc_no", "title", "rendered_text", "pdf",
                 "pages", "sha256", "case_status", "created_by_id", "created_at"]},
)


def _trigger_names(connection, table: str) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [table])
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
        return {row[0] for row in cursor.fetchall()}


def ensure_guards(connection) -> list[str]:
    """Install the guards missing on existing tables; returns the tables repaired."""
    if connection.vendor not in ("postgresql", "sqlite"):
        return []
    existing = set(connection.introspection.table_names())
    repaired = []
    for guard in GUARDS:
        table = guard["table"]
        if table not in existing:
            continue
        wanted = set(trigger_names(connection.vendor, table, flag=guard.get("flag")))
        if wanted <= _trigger_names(connection, table):
            continue
        with connection.cursor() as cursor:
            for sql in drop_sql(connection.vendor, **guard) + create_sql(connection.vendor, **guard):
                cursor.execute(sql)
        repaired.append(table)
    return repaired


def ensure_guards_after_migrate(sender, using="default", **kwargs) -> None:
    from django.db import connections

    ensure_guards(connections[using])


class GuardTable(migrations.operations.base.Operation):
    """Migration operation: install (and on reverse, remove) the guard of one table."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, table: str, flag: str | None = None, columns: list[str] | None = None):
        self.table, self.flag, self.columns = table, flag, list(columns or [])

    def deconstruct(self):
        kwargs = {"table": self.table}
        if self.flag:
            kwargs.update(flag=self.flag, columns=self.columns)
        return (self.__class__.__qualname__, [], kwargs)

    def state_forwards(self, app_label, state):
        pass

    def _run(self, schema_editor, statements):
        for sql in statements:
            schema_editor.execute(sql, params=None)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        vendor = schema_editor.connection.vendor
        self._run(schema_editor, create_sql(vendor, self.table, flag=self.flag, columns=self.columns))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        vendor = schema_editor.connection.vendor
        self._run(schema_editor, drop_sql(vendor, self.table, flag=self.flag, columns=self.columns))

    def describe(self):
        return f"Refuse UPDATE/DELETE on {self.table} in the database"
