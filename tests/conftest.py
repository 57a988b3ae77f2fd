import pytest

from parties.models import Role
from parties.services import agencies_ensure_ankang
from tests.factories.parties import staff_user


@pytest.fixture(autouse=True)
def chinese_first():
    """Each test starts in the product's language; a request in English must not leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def no_upload_marks_from_earlier_tests():
    """Files saved in a rolled-back transaction are deleted when the request ends; a test rolled
    back by pytest-django is no request, so its marks would outlive it and could delete a later
    test's file of the same name (case ids restart after each rollback)."""
    from mediation.lib.uploads import forget_uncommitted

    forget_uncommitted()
    yield


@pytest.fixture(autouse=True)
def seeded_after_flush(request):
    """A transactional test may start on a database flushed by the one before it."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        from tests.factories.seeds import reseed_migration_data

        request.getfixturevalue("transactional_db")
        reseed_migration_data()


@pytest.fixture(scope="session", autouse=True)
def flush_past_append_only_triggers():
    """SQLite has no TRUNCATE: Django's flush (after each transactional test) DELETEs every
    row, which the append-only triggers (mediation/lib/dbguard.py) refuse. The flush drops
    the triggers, empties the tables and re-creates the triggers in its own transaction —
    DDL, as an operator would need; the product has no switch to get past them."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    DatabaseOperations = DatabaseWrapper.ops_class

    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
            triggers = cursor.fetchall()
        original(self, [f'DROP TRIGGER "{name}";' for name, _sql in triggers] + list(sql_list)
                 + [f"{sql};" for _name, sql in triggers])

    DatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    DatabaseOperations.execute_sql_flush = original


@pytest.fixture
def ankang(db):
    """The agency network of Ankang: keys like "union:610902", "court:city"."""
    return agencies_ensure_ankang()


@pytest.fixture
def people(ankang):
    """One user per role in Hanbin district plus the city, named for the permission tables."""
    hb = "610902"
    return {
        "intake": staff_user(ankang[f"union:{hb}"], Role.INTAKE, username="hb_intake"),
        "mediator": staff_user(ankang[f"union:{hb}"], Role.MEDIATOR, username="hb_mediator"),
        "mediator2": staff_user(ankang[f"union:{hb}"], Role.MEDIATOR, username="hb_mediator2"),
        "head": staff_user(ankang[f"union:{hb}"], Role.COMMITTEE_HEAD, username="hb_head"),
        "labor_supervisor": staff_user(ankang[f"union:{hb}"], Role.LABOR_SUPERVISOR, username="hb_lsup"),
        "supervisor": staff_user(ankang["union:city"], Role.UNION_SUPERVISOR, username="city_supervisor"),
        "other_county_mediator": staff_user(ankang["union:610921"], Role.MEDIATOR, username="hy_mediator"),
        "court": staff_user(ankang[f"court:{hb}"], Role.LIAISON, username="hb_court"),
        "arbitration": staff_user(ankang[f"arbitration:{hb}"], Role.LIAISON, username="hb_arb"),
        "inspection": staff_user(ankang[f"inspection:{hb}"], Role.LIAISON, username="hb_insp"),
        "legal_aid": staff_user(ankang[f"legal_aid:{hb}"], Role.LIAISON, username="hb_legalaid"),
        "procuratorate": staff_user(ankang[f"procuratorate:{hb}"], Role.LIAISON, username="hb_procur"),
        "admin": staff_user(ankang["union:city"], Role.ADMIN, username="city_admin"),
    }


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need real row locks and parallel connections. They run in
    the PostgreSQL pass of .ci/run; on SQLite they are reported as skipped, with the reason."""
    from django.db import connection

    for item in items:
        # Transactional tests flush the database afterwards, which would also wipe the rows
        # the data migrations seed (deadline rules, synonyms, letter templates): restore them.
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and "serialized_rollback" not in marker.kwargs:
            item.add_marker(pytest.mark.django_db(**marker.kwargs, serialized_rollback=True), append=False)
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (row locks, parallel connections): runs in .ci/run's PostgreSQL pass")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
