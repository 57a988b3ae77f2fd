"""Relevance of typical-case search: recall@5 and nDCG@5 on three judged sets.

* ``shared``: shared/data (typical_cases.json + queries.json; binary relevance);
* ``second``: bench/judged/second, written and frozen before the ranking was changed
  (graded relevance: 2 on point, 1 related; see its README);
* ``third``: bench/judged/third, written blind (its author had not read the search code, its
  concept dictionary or the second set) and run only after it was committed: a held-out test
  (graded 3 on point, 2 clearly relevant, 1 related; see its README).

For each set the product's own pipeline runs end to end — import the cases into a
fresh database, build the index, search through search.selectors — on each backend
(embedded tantivy; Elasticsearch API on osmem), next to a plain character-bigram
BM25 baseline (DOMAIN §6.2). recall@5 = relevant titles in the top 5 / min(relevant, 5);
nDCG@5 uses the grades (gain 2^grade − 1).

    .venv/bin/python bench/relevance.py [--data ../shared/data] [--no-es] [--analyzers bigram,unigram] [-v]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
K = 5


def find_data(arg: str | None) -> Path:
    for candidate in [arg, os.environ.get("CONCORD_SHARED_DATA"), ROOT.parent / "shared" / "data",
                      ROOT / "shared" / "data"]:
        if candidate and (Path(candidate) / "queries.json").exists():
            return Path(candidate)
    raise SystemExit("shared/data not found: pass --data DIR")


# --- metrics ---------------------------------------------------------------------------------


def grades_of(relevant: list[str] | dict[str, int]) -> dict[str, int]:
    """Binary lists (shared/data) count as grade 1; graded sets give title → grade."""
    if isinstance(relevant, dict):
        return {t: int(g) for t, g in relevant.items() if int(g) > 0}
    return dict.fromkeys(relevant, 1)


def recall_at_k(ranked: list[str], relevant: dict[str, int], k: int = K) -> float:
    return len(set(ranked[:k]) & set(relevant)) / min(len(relevant), k)


def ndcg_at_k(ranked: list[str], relevant: dict[str, int], k: int = K) -> float:
    dcg = sum((2 ** relevant.get(title, 0) - 1) / math.log2(i + 2) for i, title in enumerate(ranked[:k]))
    ideal_gains = sorted(relevant.values(), reverse=True)[:k]
    ideal = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal_gains))
    return dcg / ideal


# --- the baseline: character-bigram BM25 over title + text -----------------------------------

_HAN = re.compile(r"[\u4e00-\u9fff]+|[0-9a-z]+")


def bigrams(text: str) -> list[str]:
    out = []
    for run in _HAN.findall(text.lower()):
        if run[0] >= "\u4e00" and len(run) > 1:
            out += [run[i:i + 2] for i in range(len(run) - 1)]
        else:
            out.append(run)
    return out


class BigramBM25:
    def __init__(self, records: list[dict], k1: float = 1.2, b: float = 0.75):
        self.titles = [r["title"] for r in records]
        self.docs = [Counter(bigrams(" ".join([r["title"], r["summary"], r["handling"], r["significance"]])))
                     for r in records]
        self.lengths = [sum(d.values()) for d in self.docs]
        self.avg = sum(self.lengths) / len(self.lengths)
        df = Counter(t for d in self.docs for t in d)
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.k1, self.b = k1, b

    def search(self, query: str) -> list[str]:
        terms = bigrams(query)
        scores = []
        for doc, length, title in zip(self.docs, self.lengths, self.titles, strict=True):
            s = 0.0
            for t in terms:
                tf = doc.get(t, 0)
                if tf:
                    s += self.idf[t] * tf * (self.k1 + 1) / (tf + self.k1 * (1 - self.b + self.b * length / self.avg))
            scores.append((s, title))
        return [t for s, t in sorted(scores, key=lambda x: -x[0]) if s > 0]


# --- the product ------------------------------------------------------------------------------


def setup_django(tmp: str) -> None:
    os.environ["CONCORD_VAR_DIR"] = tmp
    os.environ["DJANGO_SETTINGS_MODULE"] = "mediation.settings.test"
    os.environ.pop("DATABASE_URL", None)
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def product_runs(with_es: bool, analyzers: list[str]) -> list[tuple[str, dict]]:
    """(label, settings overrides) for each configuration to measure."""
    runs = [(f"embedded ({a})", {"CONCORD_SEARCH_BACKEND": "embedded", "CONCORD_EMBEDDED_ANALYZER": a})
            for a in analyzers]
    if with_es:
        from tests.search.osmem_support import CLIENT_OPTIONS, start_osmem

        server = start_osmem()
        runs.append(("elasticsearch (osmem)", {
            "CONCORD_SEARCH_BACKEND": "elasticsearch", "ELASTICSEARCH_URL": server.url,
            "CONCORD_ELASTICSEARCH_CLIENT_OPTIONS": CLIENT_OPTIONS,
        }))
    return runs


def evaluate(search, queries: list[dict], verbose: bool, label: str) -> tuple[float, float]:
    recalls, ndcgs = [], []
    for q in queries:
        ranked = search(q["query"])
        relevant = grades_of(q["relevant"])
        recalls.append(recall_at_k(ranked, relevant))
        ndcgs.append(ndcg_at_k(ranked, relevant))
        if verbose and (recalls[-1] < 1 or ndcgs[-1] < 0.9):
            missing = set(relevant) - set(ranked[:K])
            print(f"  [{label}] {q['query']}: recall@5 {recalls[-1]:.2f} nDCG@5 {ndcgs[-1]:.2f}, "
                  f"missing {sorted(missing)}; top: {ranked[:K]}")
    return sum(recalls) / len(recalls), sum(ndcgs) / len(ndcgs)


def judged_sets(shared: Path) -> list[tuple[str, Path, Path]]:
    second = ROOT / "bench" / "judged" / "second"
    third = ROOT / "bench" / "judged" / "third"
    return [("shared", shared / "typical_cases.json", shared / "queries.json"),
            ("second", second / "typical_cases.json", second / "queries.json"),
            ("third", third / "typical_cases.json", third / "queries.json")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="folder with shared typical_cases.json and queries.json")
    parser.add_argument("--no-es", action="store_true", help="skip the Elasticsearch (osmem) backend")
    parser.add_argument("--analyzers", default="bigram", help="embedded analyzers to measure, comma-separated")
    parser.add_argument("--set", choices=("shared", "second", "third"), help="measure one judged set only")
    parser.add_argument("-v", "--verbose", action="store_true", help="print the queries that miss")
    args = parser.parse_args()
    sets = [s for s in judged_sets(find_data(args.data)) if args.set in (None, s[0])]

    rows = []
    with tempfile.TemporaryDirectory(prefix="concord-relevance-") as tmp:
        setup_django(tmp)
        from django.contrib.auth.models import AnonymousUser
        from django.test import override_settings

        from search import indexing
        from search.backends import get_backend
        from search.importing import import_typical_cases
        from search.models import TypicalCase
        from search.selectors import search_typical_cases

        runs = product_runs(not args.no_es, [a for a in args.analyzers.split(",") if a])
        for set_name, cases_path, queries_path in sets:
            records = json.loads(cases_path.read_text(encoding="utf-8"))
            queries = json.loads(queries_path.read_text(encoding="utf-8"))
            baseline = BigramBM25(records)
            rows.append((set_name, len(records), len(queries), "baseline: char-bigram BM25",
                         *evaluate(baseline.search, queries, args.verbose, f"{set_name}/baseline")))
            report = import_typical_cases(cases_path.read_bytes(), cases_path.name)
            assert report.imported and len(report.created) == len(records), [str(e) for e in report.errors]
            this_set = TypicalCase.objects.filter(pk__in=report.created)  # each set has an index of its own
            for i, (label, overrides) in enumerate(runs):
                overrides = {"CONCORD_EMBEDDED_INDEX_DIR": os.path.join(tmp, f"index-{set_name}-{i}"),
                             "CONCORD_SEARCH_INDEX": f"relevance-{set_name}-{i}", **overrides}
                with override_settings(**overrides):
                    get_backend().rebuild(indexing.iter_documents(this_set))

                    def search(q: str) -> list[str]:
                        result = search_typical_cases(user=AnonymousUser(), q=q, page_size=K, highlight=False)
                        return [h.source["title"] for h in result.hits]

                    rows.append((set_name, len(records), len(queries), label,
                                 *evaluate(search, queries, args.verbose, f"{set_name}/{label}")))

    print(f"\n{'set':7} {'cases':>5} {'queries':>7}  {'configuration':34} {'recall@5':>9} {'nDCG@5':>8}")
    for set_name, n_cases, n_queries, label, recall, ndcg in rows:
        print(f"{set_name:7} {n_cases:5} {n_queries:7}  {label:34} {recall:9.3f} {ndcg:8.3f}")


if __name__ == "__main__":
    main()
