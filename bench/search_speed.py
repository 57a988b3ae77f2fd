"""Speed and memory of typical-case search at scale.

Embedded (tantivy) on 100,000 generated cases, once per analyzer: index build
time and size, then — in a fresh process that only opens the index, as a web
worker would — search latency (median / p95 / max, with highlighting and all
six facets, 20 hits a page) and the process's memory. Each query goes through
query understanding (search.understanding: places, years, concept expansions,
typo correction) with the seeded dictionary, synonyms and topics and a vocabulary
built from the generated library, as search.selectors does; the mix holds the
queries of both judged sets plus generated ones. Then the same through the
Elasticsearch API on osmem-server with a few thousand documents (osmem is an
in-memory functional test server: ~3.5 GB and ~1 s a query at 100,000 documents,
so it is no speed reference for a real cluster).

    .venv/bin/python bench/search_speed.py [--docs 100000] [--es-docs 3000]
        [--analyzers bigram,unigram,jieba] [--queries 300] [--no-es]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import generate_typical_cases as gen  # noqa: E402


def setup_django() -> None:
    os.environ.setdefault("CONCORD_VAR_DIR", os.path.join(tempfile.gettempdir(), "concord-speed-var"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "mediation.settings.test"
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)


def documents(count: int):
    """Generated records → the product's own search documents (search.documents.document_for)."""
    from django.utils import timezone

    from search.documents import document_for
    from search.importing import validate_record
    from search.models import TypicalCase, TypicalCaseStatus

    now = timezone.now()
    for i, record in enumerate(gen.generate(count), start=1):
        values, problems = validate_record(record)
        assert not problems, problems
        values.pop("topics", None)
        yield document_for(TypicalCase(id=i, **values, status=TypicalCaseStatus.PUBLISHED, published_at=now),
                           topics=[])


def seeded_lexicon(vocabulary_docs: int = 3000):
    """The lexicon search.lexicon builds from the database, built here from the seed data
    (synonyms, concept dictionary, topics) and the generated library's vocabulary."""
    import importlib
    from collections import Counter

    from search.analysis import HAN_RUN, jieba_tokens
    from search.lexicon import MAX_TERM_CHARS, Lexicon
    from search.synonyms import build_synonym_map

    synonyms = build_synonym_map([rule for rule, _note in importlib.import_module(
        "search.migrations.0002_seed_synonyms").RULES])
    seed = importlib.import_module("search.migrations.0004_search12_seed_concepts_topics")
    concepts, colloquial = {}, set()
    for kind, term, expansions, _source in seed.parse(seed.SEED.read_text(encoding="utf-8")):
        concepts[term] = [e.strip() for e in expansions.split(",") if e.strip() and e.strip() != term]
        if kind == "COLLOQUIAL":
            colloquial.add(term)
    topics = {}
    for name, _implied, aliases, _note in seed.TOPICS:
        topics[name] = name
        for alias in aliases.split(","):
            topics.setdefault(alias.strip(), name)
    counts = Counter()
    for record in gen.generate(vocabulary_docs):
        text = " ".join([record["title"], " ".join(record.get("tags") or []), record["summary"]])
        for run in HAN_RUN.findall(text):
            counts.update(w for w in jieba_tokens(run) if 2 <= len(w) <= MAX_TERM_CHARS)
    return Lexicon(synonyms=synonyms, concepts=concepts, colloquial=colloquial, topics=topics, frequency=counts)


def query_mix(n: int, seed: int = 7) -> list[dict]:
    """The queries of both judged sets (shared/data, bench/judged/second) plus generated ones in the same style."""
    rng = random.Random(seed)
    out = []
    for candidate in [ROOT.parent / "shared" / "data" / "queries.json", ROOT / "tests/search/data/queries.json"]:
        if candidate.exists():
            out = [{"q": q["query"]} for q in json.loads(candidate.read_text(encoding="utf-8"))]
            break
    second = ROOT / "bench" / "judged" / "second" / "queries.json"
    out += [{"q": q["query"]} for q in json.loads(second.read_text(encoding="utf-8"))]
    words = ([w for w, _s in gen.WORKPLACES] + [w for ws in gen.SUBJECTS.values() for w in ws]
             + [w for ws in gen.DISPUTE_PHRASES.values() for w in ws]
             + [m for o in gen.OUTCOMES for m in o[3]] + gen.TOWNS + ["春节前", "失联", "留守妇女", "视频调解"])
    while len(out) < n:
        terms = rng.sample(words, rng.choice([1, 1, 2, 2, 3]))
        roll = rng.random()
        if roll < 0.1:
            terms[0] = f'"{terms[0]}"'
        elif roll < 0.2:
            terms.append("-" + rng.choice(words))
        item: dict = {"q": " ".join(terms)}
        if rng.random() < 0.2:
            item["filters"] = {"county": [rng.choice(gen.COUNTIES)]}
        if rng.random() < 0.1:
            item["sort"] = "amount"
        if rng.random() < 0.05:
            item = {"q": "", "filters": {"dispute_type": [rng.choice(gen.TYPES)[0]]}}
        out.append(item)
    return out[:n]


def rss_mb(pid: int | str = "self") -> tuple[float, float]:
    """(current, peak) resident memory of a process in MB, from /proc."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _sep, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def dir_size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1024 / 1024


def run_queries(backend, n_queries: int) -> dict:
    from search.query import SearchRequest
    from search.selectors import normalize_filters
    from search.understanding import understand

    lexicon = seeded_lexicon()
    mix = query_mix(n_queries)

    def one(item):
        understood = understand(item["q"], lexicon)
        filters = {k: list(v) for k, v in item.get("filters", {}).items()}
        for key, values in understood.filters.items():
            filters.setdefault(key, []).extend(str(v) for v in values)
        request = SearchRequest(text=understood.text, filters=normalize_filters(filters),
                                multipliers=list(understood.multipliers),
                                sort=item.get("sort", "relevance"), page_size=20, highlight=True, facets=True)
        return backend.search(request)

    for item in mix[:50]:  # warm-up: page cache of the index files, jieba, first segments
        one(item)
    wall, cpu, counts = [], [], []
    load_before = os.getloadavg()[0]
    for item in mix:
        start, start_cpu = time.perf_counter(), time.process_time()
        result = one(item)
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
        counts.append(result.count)
    wall.sort()
    cpu.sort()
    p95 = int(len(wall) * 0.95) - 1
    return {"queries": len(wall), "median_ms": round(statistics.median(wall), 1), "p95_ms": round(wall[p95], 1),
            "max_ms": round(wall[-1], 1), "cpu_median_ms": round(statistics.median(cpu), 1),
            "cpu_p95_ms": round(cpu[p95], 1), "median_hits": int(statistics.median(counts)),
            "load": round((load_before + os.getloadavg()[0]) / 2, 1)}


# --- children (each in its own process, so memory figures are its own) -----------------------


def child_build(args) -> dict:
    setup_django()
    from search.backends.embedded import EmbeddedBackend

    backend = EmbeddedBackend(args.dir, analyzer=args.analyzer)
    start, start_cpu = time.perf_counter(), time.process_time()
    count = backend.rebuild(documents(args.docs))
    seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    info = backend.describe()
    current, peak = rss_mb()
    return {"documents": count, "build_s": round(seconds, 1), "build_cpu_s": round(cpu, 1),
            "size_mb": round(dir_size_mb(Path(info["path"])), 1), "build_peak_rss_mb": round(peak)}


def child_search(args) -> dict:
    setup_django()
    from search.backends.embedded import EmbeddedBackend

    before, _ = rss_mb()
    backend = EmbeddedBackend(args.dir, analyzer=args.analyzer)
    stats = run_queries(backend, args.queries)
    current, peak = rss_mb()
    return {**stats, "search_rss_mb": round(current), "search_peak_rss_mb": round(peak),
            "python_django_baseline_mb": round(before)}


def child_es(args) -> dict:
    setup_django()
    from search.backends.elastic import ElasticsearchBackend
    from tests.search.osmem_support import CLIENT_OPTIONS, start_osmem

    server = start_osmem()
    try:
        backend = ElasticsearchBackend(server.url, alias="speed", client_options=CLIENT_OPTIONS)
        start = time.perf_counter()
        count = backend.rebuild(documents(args.docs))
        seconds = time.perf_counter() - start
        stats = run_queries(backend, args.queries)
        current, peak = rss_mb(server.pid)
        return {"documents": count, "build_s": round(seconds, 1), **stats, "osmem_rss_mb": round(current),
                "osmem_peak_rss_mb": round(peak)}
    finally:
        server.close()


def spawn(*argv: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *argv], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--es-docs", type=int, default=3_000)
    parser.add_argument("--analyzers", default="bigram,unigram,jieba")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--no-es", action="store_true")
    parser.add_argument("--child", choices=["build", "search", "es"], help=argparse.SUPPRESS)
    parser.add_argument("--dir", help=argparse.SUPPRESS)
    parser.add_argument("--analyzer", default="bigram", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = {"build": child_build, "search": child_search, "es": child_es}[args.child](args)
        print(json.dumps(result))
        return

    print(f"embedded (tantivy), {args.docs:,} generated typical cases, {args.queries} queries "
          f"(20 hits, highlighting, 6 facets, query understanding); targets: p95 < 50 ms, memory < 500 MB")
    print("latency: wall clock (and CPU time of the process, what an idle core would take); "
          "the machine's load average is shown because other work shares its 2 cores")
    print(f"{'analyzer':9} {'build s (cpu)':>14} {'size MB':>8} {'build RSS':>10} {'median ms (cpu)':>16} "
          f"{'p95 ms (cpu)':>14} {'max ms':>7} {'hits':>6} {'search RSS MB':>14} {'load':>5}")
    with tempfile.TemporaryDirectory(prefix="concord-speed-") as tmp:
        for analyzer in [a for a in args.analyzers.split(",") if a]:
            directory = os.path.join(tmp, analyzer)
            b = spawn("--child", "build", "--dir", directory, "--analyzer", analyzer, "--docs", str(args.docs))
            s = spawn("--child", "search", "--dir", directory, "--analyzer", analyzer, "--queries", str(args.queries))
            print(f"{analyzer:9} {b['build_s']:6} ({b['build_cpu_s']:5}) {b['size_mb']:8} {b['build_peak_rss_mb']:10} "
                  f"{s['median_ms']:7} ({s['cpu_median_ms']:5}) {s['p95_ms']:6} ({s['cpu_p95_ms']:5}) "
                  f"{s['max_ms']:7} {s['median_hits']:6} {s['search_rss_mb']:6} (peak {s['search_peak_rss_mb']}) "
                  f"{s['load']:5}", flush=True)
    if not args.no_es:
        e = spawn("--child", "es", "--docs", str(args.es_docs), "--queries", str(args.queries))
        print(f"\nElasticsearch API on osmem-server, {e['documents']:,} documents: build {e['build_s']} s, "
              f"median {e['median_ms']} ms, p95 {e['p95_ms']} ms, max {e['max_ms']} ms (load {e['load']}), "
              f"osmem RSS {e['osmem_rss_mb']} MB (peak {e['osmem_peak_rss_mb']} MB)")


if __name__ == "__main__":
    main()
