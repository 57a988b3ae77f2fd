"""Query-time synonyms from the admin-editable SynonymGroup table.

Applied when the query is built, not in the index, so an edit takes effect on the
next search on both backends without reindexing.
"""

from __future__ import annotations

import threading

from django.db.models import Count, Max

from .models import SynonymGroup, parse_synonym_rule

_lock = threading.Lock()
_cache: dict[tuple, dict[str, list[str]]] = {}


def build_synonym_map(rules: list[str]) -> dict[str, list[str]]:
    """term → its alternatives, from rules in the "a, b, c" / "a => b, c" format."""
    out: dict[str, list[str]] = {}

    def add(term: str, alternatives: list[str]) -> None:
        bucket = out.setdefault(term, [])
        for alt in alternatives:
            if alt != term and alt not in bucket:
                bucket.append(alt)

    for rule in rules:
        left, right = parse_synonym_rule(rule)
        if right:
            for term in left:
                add(term, right)
        else:
            for term in left:
                add(term, left)
    return out


def synonym_map() -> dict[str, list[str]]:
    """The current map; one cheap aggregate query tells whether the table changed."""
    state = SynonymGroup.objects.filter(enabled=True).aggregate(n=Count("id"), changed=Max("updated_at"))
    key = (state["n"], state["changed"])
    with _lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    rules = list(SynonymGroup.objects.filter(enabled=True).values_list("rule", flat=True))
    mapping = build_synonym_map(rules)
    with _lock:
        _cache.clear()
        _cache[key] = mapping
    return mapping
