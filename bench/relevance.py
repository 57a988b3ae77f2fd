"""Relevance of typical-case search on shared/data/queries.json: recall@5 and nDCG@5.

Runs the product's own pipeline end to end — import typical_cases.json into a
fresh database, build the index, search through search.selectors — on each
backend (embedded tantivy with each analyzer; Elasticsearch API on osmem), and
prints the plain character-bigram BM25 baseline of DOMAIN §6.2 for comparison.
Relevance is binary (a title is in the query's list or not).

    .venv/bin/python bench/relevance.py [--data ../shared/data] [--no-es] [-v]
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


def recall_at_k(ranked: list[str], relevant: set[str], k: int = K) -> float:
    return len(set(ranked[:k]) & relevant) / len(relevant)


def ndcg_at_k(ranked: list[str], relevant: set[str], k: int = K) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, title in enumerate(ranked[:k]) if title in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), k)))
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


def product_runs(data: Path, with_es: bool) -> list[tuple[str, dict]]:
    """(label, settings overrides) for each configuration to measure."""
    runs = [(f"embedded ({a})", {"CONCORD_SEARCH_BACKEND": "embedded", "CONCORD_EMBEDDED_ANALYZER": a})
            for a in ("bigram", "unigram", "jieba")]
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
        relevant = set(q["relevant"])
        recalls.append(recall_at_k(ranked, relevant))
        ndcgs.append(ndcg_at_k(ranked, relevant))
        if verbose and recalls[-1] < 1:
            missing = relevant - set(ranked[:K])
            print(f"  [{label}] {q['query']}: recall@5 {recalls[-1]:.2f}, missing {sorted(missing)}")
    return sum(recalls) / len(recalls), sum(ndcgs) / len(ndcgs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="folder with typical_cases.json and queries.json")
    parser.add_argument("--no-es", action="store_true", help="skip the Elasticsearch (osmem) backend")
    parser.add_argument("-v", "--verbose", action="store_true", help="print the queries that miss")
    args = parser.parse_args()
    data = find_data(args.data)
    records = json.loads((data / "typical_cases.json").read_text(encoding="utf-8"))
    queries = json.loads((data / "queries.json").read_text(encoding="utf-8"))

    rows = []
    baseline = BigramBM25(records)
    rows.append(("baseline: char-bigram BM25", *evaluate(baseline.search, queries, args.verbose, "baseline")))

    with tempfile.TemporaryDirectory(prefix="concord-relevance-") as tmp:
        setup_django(tmp)
        from django.contrib.auth.models import AnonymousUser
        from django.test import override_settings

        from search import indexing
        from search.importing import import_typical_cases
        from search.selectors import search_typical_cases

        report = import_typical_cases((data / "typical_cases.json").read_bytes(), "typical_cases.json")
        assert report.imported and len(report.created) == len(records), report.errors
        for i, (label, overrides) in enumerate(product_runs(data, not args.no_es)):
            overrides = {"CONCORD_EMBEDDED_INDEX_DIR": os.path.join(tmp, f"index-{i}"),
                         "CONCORD_SEARCH_INDEX": f"relevance-{i}", **overrides}
            with override_settings(**overrides):
                indexing.rebuild()

                def search(q: str) -> list[str]:
                    result = search_typical_cases(user=AnonymousUser(), q=q, page_size=K, highlight=False)
                    return [h.source["title"] for h in result.hits]

                rows.append((label, *evaluate(search, queries, args.verbose, label)))

    print(f"\n{len(queries)} queries, {len(records)} typical cases, binary relevance\n")
    print(f"{'configuration':34} {'recall@5':>9} {'nDCG@5':>8}")
    for label, recall, ndcg in rows:
        print(f"{label:34} {recall:9.3f} {ndcg:8.3f}")


if __name__ == "__main__":
    main()
