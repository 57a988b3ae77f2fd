import importlib

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType

SEED_MIGRATIONS = (
    "mediation.supervision.migrations.0002_seed_letter_templates",
    "mediation.supervision.migrations.0003_docs_sandboxed_templates:forwards",
    "mediation.cases.migrations.0005_docs_seed_document_templates",
    "mediation.supervision.migrations.0004_letters_citations_and_wording",
    "mediation.clocks.migrations.0002_seed_rules",
    "mediation.clocks.migrations.0003_rule_events",
    "mediation.clocks.migrations.0006_court_stages",
    "mediation.clocks.migrations.0008_entrusted_summary_rule",
    "mediation.clocks.migrations.0005_protective_rules",
    "mediation.clocks.migrations.0011_letter_reply_from_issue:forwards",
    "mediation.clocks.migrations.0013_rule_windows_and_ends:forwards",
    "search.migrations.0002_seed_synonyms",
    "search.migrations.0004_search12_seed_concepts_topics",
    "search.migrations.0006_search3_concept_precision:forwards",
)


def reseed_migration_data():
    """Transactional tests (threads, live_server, a real worker) may run on a flushed database,
    without the rows that data migrations seed: put back the letter templates, the deadline rules,
    the synonyms, the concept dictionary and topics, and the content types and permissions (guardian's object permissions need the
    model's view permission). Idempotent."""
    ContentType.objects.clear_cache()
    for config in apps.get_app_configs():
        create_contenttypes(config, verbosity=0)
        create_permissions(config, verbosity=0)
    for entry in SEED_MIGRATIONS:
        module, _, function = entry.partition(":")
        getattr(importlib.import_module(module), function or "seed")(apps, None)
