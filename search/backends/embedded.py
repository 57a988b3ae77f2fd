"""The embedded engine: a tantivy index in settings.CONCORD_EMBEDDED_INDEX_DIR.

Layout: <dir>/CURRENT names the live generation, <dir>/<generation>/ holds one
tantivy index and concord.json (analyzer, schema version). A rebuild writes a
new generation and replaces CURRENT atomically (os.replace), the embedded
equivalent of an Elasticsearch alias swap: readers switch on their next search.

Text is analyzed in Python (search.analysis) and stored as space-joined tokens
under tantivy's whitespace tokenizer, so positions are consecutive and phrase
queries work for every analyzer. Highlighting is done in Python on the stored
text of the page's hits only.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import tantivy

from .. import highlight as hl
from ..analysis import index_text, tokens
from ..documents import DISPLAY_FIELDS
from ..query import (
    BAG_BOOST,
    BAG_FIELDS,
    FACETS,
    FIELD_BOOSTS,
    FIELD_MATCH_SCORE,
    FIELD_TIE_BREAKER,
    PHRASE_BOOST,
    SYNONYM_TIE_BREAKER,
    Alternative,
    SearchHit,
    SearchRequest,
    SearchResult,
    TextQuery,
)
from . import SearchBackend, SearchUnavailable

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 2  # 2: topics (专题)
TEXT_FIELDS = ("title", "tags", "body")
KEYWORD_FIELDS = ("county", "county_code", "dispute_type", "agencies", "channel", "outcome", "status", "allowed_roles",
                  "topics")
WRITER_HEAP = 32_000_000
REBUILD_HEAP = 128_000_000
LOCK_WAIT_SECONDS = 5.0


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("id", stored=True, indexed=True, fast=True)
    sb.add_integer_field("version", stored=False, indexed=False, fast=True)
    for name in TEXT_FIELDS:
        sb.add_text_field(name, stored=False, tokenizer_name="whitespace", index_option="position")
    for name in KEYWORD_FIELDS:
        sb.add_text_field(name, stored=False, tokenizer_name="raw", fast=True, index_option="basic")
    sb.add_integer_field("year", indexed=True, fast=True)
    sb.add_float_field("amount", indexed=True, fast=True)
    sb.add_integer_field("sort_date", indexed=False, fast=True)
    sb.add_integer_field("public", indexed=True, fast=False)
    sb.add_integer_field("allowed_users", indexed=True)
    sb.add_integer_field("allowed_agencies", indexed=True)
    sb.add_bytes_field("source", stored=True, indexed=False)
    return sb.build()


class _Generation:
    def __init__(self, path: Path, index: tantivy.Index, analyzer: str):
        self.path = path
        self.index = index
        self.analyzer = analyzer
        self.schema = index.schema


class EmbeddedBackend(SearchBackend):
    name = "embedded"

    def __init__(self, directory: str | os.PathLike, analyzer: str = "bigram"):
        self.root = Path(directory)
        self.analyzer = analyzer
        self._lock = threading.RLock()
        self._current: tuple[str, _Generation] | None = None

    # --- generations -------------------------------------------------------------------------

    def _pointer(self) -> Path:
        return self.root / "CURRENT"

    def _read_pointer(self) -> str | None:
        try:
            name = self._pointer().read_text().strip()
        except FileNotFoundError:
            return None
        return name or None

    def _create_generation(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"g{time.strftime('%Y%m%d%H%M%S')}-{secrets.token_hex(3)}"
        path = self.root / name
        path.mkdir()
        tantivy.Index(build_schema(), path=str(path))
        (path / "concord.json").write_text(json.dumps({"schema": SCHEMA_VERSION, "analyzer": self.analyzer}))
        return path

    def _switch_to(self, name: str) -> None:
        tmp = self.root / f"CURRENT.{secrets.token_hex(4)}"
        tmp.write_text(name)
        os.replace(tmp, self._pointer())

    def _generation(self, create: bool = True) -> _Generation | None:
        with self._lock:
            name = self._read_pointer()
            if name is None:
                if not create:
                    return None
                path = self._create_generation()
                self._switch_to(path.name)
                name = path.name
            if self._current and self._current[0] == name:
                return self._current[1]
            path = self.root / name
            try:
                meta = json.loads((path / "concord.json").read_text())
                index = tantivy.Index.open(str(path))
            except (OSError, ValueError) as exc:
                raise SearchUnavailable(f"embedded index unreadable at {path}: {exc}") from exc
            if meta.get("schema") != SCHEMA_VERSION:
                raise SearchUnavailable(f"embedded index at {path} has schema {meta.get('schema')}; rebuild it")
            generation = _Generation(path, index, meta.get("analyzer", "bigram"))
            self._current = (name, generation)
            return generation

    def ensure_index(self) -> None:
        self._generation(create=True)

    def describe(self) -> dict:
        gen = self._generation(create=False)
        if gen is None:
            return {"backend": self.name, "path": str(self.root), "documents": 0}
        gen.index.reload()
        size = sum(f.stat().st_size for f in gen.path.iterdir() if f.is_file())
        return {
            "backend": self.name, "path": str(gen.path), "analyzer": gen.analyzer,
            "documents": gen.index.searcher().num_docs, "bytes": size,
        }

    # --- writing -----------------------------------------------------------------------------

    def _writer(self, gen: _Generation, heap: int = WRITER_HEAP):
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                return gen.index.writer(heap, 1)
            except ValueError as exc:
                if "LockBusy" not in str(exc) or time.monotonic() > deadline:
                    raise SearchUnavailable(f"embedded index is locked by another writer: {exc}") from exc
                time.sleep(0.05)

    def _document(self, doc: dict, analyzer: str) -> tantivy.Document:
        d = tantivy.Document()
        d.add_integer("id", int(doc["id"]))
        d.add_integer("version", int(doc["version"]))
        d.add_text("title", index_text(doc["title"], analyzer))
        # Topic names are searchable text like keywords (Elasticsearch: copy_to tags).
        d.add_text("tags", index_text(list(doc.get("tags") or []) + list(doc.get("topics") or []), analyzer))
        d.add_text("body", index_text(doc.get("body", ""), analyzer))
        for name in KEYWORD_FIELDS:
            value = doc.get(name)
            for v in value if isinstance(value, list) else [value]:
                if v not in (None, ""):
                    d.add_text(name, str(v))
        d.add_integer("year", int(doc["year"]))
        d.add_float("amount", float(doc.get("amount") or 0))
        d.add_integer("sort_date", int(doc.get("sort_date") or 0))
        d.add_integer("public", 1 if doc.get("public") else 0)
        for uid in doc.get("allowed_users") or []:
            d.add_integer("allowed_users", int(uid))
        for aid in doc.get("allowed_agencies") or []:
            d.add_integer("allowed_agencies", int(aid))
        source = {k: doc.get(k) for k in DISPLAY_FIELDS}
        d.add_bytes("source", json.dumps(source, ensure_ascii=False).encode())
        return d

    def index(self, docs: list[dict]) -> None:
        if not docs:
            return
        with self._lock:
            gen = self._generation()
            writer = self._writer(gen)
            try:
                for doc in docs:
                    writer.delete_documents_by_term("id", int(doc["id"]))
                    writer.add_document(self._document(doc, gen.analyzer))
                writer.commit()
            except BaseException:
                writer.rollback()
                raise
            finally:
                writer.wait_merging_threads()
            gen.index.reload()

    def delete(self, ids: list[int]) -> None:
        if not ids:
            return
        with self._lock:
            gen = self._generation()
            writer = self._writer(gen)
            try:
                for i in ids:
                    writer.delete_documents_by_term("id", int(i))
                writer.commit()
            finally:
                writer.wait_merging_threads()
            gen.index.reload()

    def rebuild(self, docs: Iterable[dict], progress: Callable[[int], None] | None = None) -> int:
        with self._lock:
            path = self._create_generation()
            index = tantivy.Index.open(str(path))
            writer = index.writer(REBUILD_HEAP, 1)
            count = 0
            try:
                for doc in docs:
                    writer.add_document(self._document(doc, self.analyzer))
                    count += 1
                    if progress:
                        progress(1)
                writer.commit()
            except BaseException:
                writer.rollback()
                writer.wait_merging_threads()
                shutil.rmtree(path, ignore_errors=True)
                raise
            writer.wait_merging_threads()
            self._switch_to(path.name)
            self._current = None
            # Readers still holding the old generation keep their open files (POSIX).
            for child in self.root.iterdir():
                if child.is_dir() and child.name != path.name:
                    shutil.rmtree(child, ignore_errors=True)
            return count

    def drop(self) -> None:
        with self._lock:
            self._current = None
            shutil.rmtree(self.root, ignore_errors=True)

    def indexed_versions(self) -> dict[int, int]:
        gen = self._generation()
        gen.index.reload()
        searcher = gen.index.searcher()
        n = searcher.num_docs
        if not n:
            return {}
        hits = [addr for _score, addr in searcher.search(tantivy.Query.all_query(), limit=n, count=False).hits]
        ids = searcher.fast_field_values("id", hits)
        versions = searcher.fast_field_values("version", hits)
        return dict(zip(ids, versions, strict=True))

    # --- searching ---------------------------------------------------------------------------

    def _per_field(self, gen: _Generation, make, boost: float, fields=None) -> tantivy.Query | None:
        """dis_max over the text fields of make(field), each boosted by its field weight."""
        per_field = []
        for field, field_boost in FIELD_BOOSTS.items():
            if fields is not None and field not in fields:
                continue
            q = make(field)
            if q is not None:
                per_field.append(tantivy.Query.boost_query(q, field_boost * boost))
        if not per_field:
            return None
        return tantivy.Query.disjunction_max_query(per_field, tie_breaker=FIELD_TIE_BREAKER)

    def _phrase(self, gen: _Generation, toks: list[str], boost: float) -> tantivy.Query | None:
        if not toks:
            return None

        def make(field):
            if len(toks) == 1:
                return tantivy.Query.term_query(gen.schema, field, toks[0])
            return tantivy.Query.phrase_query(gen.schema, field, toks)

        return self._per_field(gen, make, boost)

    def _bag(self, gen: _Generation, toks: list[str], boost: float, alt: Alternative) -> tantivy.Query | None:
        unique = list(dict.fromkeys(toks))
        if not unique:
            return None
        required = alt.required(len(unique))

        def make(field):
            clauses = [(tantivy.Occur.Should, tantivy.Query.term_query(gen.schema, field, t)) for t in unique]
            return tantivy.Query.boolean_query(clauses, minimum_number_should_match=required)

        return self._per_field(gen, make, boost, BAG_FIELDS)

    def _alternative(self, gen: _Generation, alt: Alternative) -> tantivy.Query | None:
        if alt.field:
            return tantivy.Query.const_score_query(self._term(gen, alt.field, alt.text), alt.boost * FIELD_MATCH_SCORE)
        toks = tokens(alt.text, gen.analyzer)
        if not toks:
            return None
        parts = [(tantivy.Occur.Should, self._phrase(gen, toks, PHRASE_BOOST))]
        # A single token's bag is the phrase itself: only longer wordings get partial credit.
        bag = self._bag(gen, toks, BAG_BOOST, alt) if alt.bag and len(set(toks)) > 1 else None
        if bag is not None:
            parts.append((tantivy.Occur.Should, bag))
        return tantivy.Query.boost_query(tantivy.Query.boolean_query(parts), alt.boost)

    def _text_query(self, gen: _Generation, text: TextQuery) -> list[tuple]:
        clauses: list[tuple] = []
        should = []
        for clause in text.should:
            words, expansions = clause.grouped()
            alternatives = [q for q in (self._alternative(gen, a) for a in words) if q is not None]
            expanded = [q for q in (self._alternative(gen, a) for a in expansions) if q is not None]
            if expanded:
                alternatives.append(tantivy.Query.disjunction_max_query(expanded, tie_breaker=0.0))
            if alternatives:
                should.append(tantivy.Query.disjunction_max_query(alternatives, tie_breaker=SYNONYM_TIE_BREAKER))
        if should:
            clauses.append((tantivy.Occur.Must, tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, q) for q in should])))
        elif text.should:
            clauses.append((tantivy.Occur.Must, tantivy.Query.empty_query()))
        for phrase in text.must:
            q = self._phrase(gen, tokens(phrase.text, gen.analyzer), phrase.boost)
            clauses.append((tantivy.Occur.Must, q if q is not None else tantivy.Query.empty_query()))
        for phrase in text.must_not:
            q = self._phrase(gen, tokens(phrase.text, gen.analyzer), 1.0)
            if q is not None:
                clauses.append((tantivy.Occur.MustNot, q))
        return clauses

    def _filter(self, gen: _Generation, field: str, values: list) -> tantivy.Query:
        if field == "year":
            values = [int(v) for v in values]
        else:
            values = [str(v) for v in values]
        return tantivy.Query.const_score_query(tantivy.Query.term_set_query(gen.schema, field, values), 0.0)

    def _access(self, gen: _Generation, request: SearchRequest) -> tantivy.Query:
        access = request.access
        public = tantivy.Query.term_query(gen.schema, "public", 1)
        if access.public_only:
            return tantivy.Query.const_score_query(public, 0.0)
        options = [(tantivy.Occur.Should, public)]
        if access.user_id is not None:
            options.append((tantivy.Occur.Should, tantivy.Query.term_query(gen.schema, "allowed_users", access.user_id)))
        if access.agency_id is not None:
            options.append((tantivy.Occur.Should,
                            tantivy.Query.term_query(gen.schema, "allowed_agencies", access.agency_id)))
        if access.roles:
            options.append((tantivy.Occur.Should,
                            tantivy.Query.term_set_query(gen.schema, "allowed_roles", list(access.roles))))
        return tantivy.Query.const_score_query(tantivy.Query.boolean_query(options), 0.0)

    def _term(self, gen: _Generation, field: str, value) -> tantivy.Query:
        return tantivy.Query.term_query(gen.schema, field, int(value) if field == "year" else str(value))

    def compile(self, gen: _Generation, request: SearchRequest) -> tantivy.Query:
        clauses = self._text_query(gen, request.text)
        text_parts = [q for occur, q in clauses if occur == tantivy.Occur.Must]
        if text_parts:
            # A document whose field matches what the query named scores factor × its text score:
            # the text again, boosted by factor − 1, for the documents with that value only.
            text_query = tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in text_parts])
            for factor, pairs, text in request.multiplier_groups():
                repeated = text_query
                if text is not None:
                    repeated = tantivy.Query.boolean_query([
                        (tantivy.Occur.Must, q) for occur, q in self._text_query(gen, text)
                        if occur == tantivy.Occur.Must])
                named = tantivy.Query.boolean_query([(tantivy.Occur.Should, self._term(gen, f, v)) for f, v in pairs])
                clauses.append((tantivy.Occur.Should, tantivy.Query.boolean_query([
                    (tantivy.Occur.Must, tantivy.Query.boost_query(repeated, factor - 1)),
                    (tantivy.Occur.Must, tantivy.Query.const_score_query(named, 0.0)),
                ])))
        if not any(occur == tantivy.Occur.Must for occur, _q in clauses):
            clauses.append((tantivy.Occur.Must, tantivy.Query.all_query()))
        for field, values in request.filters.items():
            if values:
                clauses.append((tantivy.Occur.Must, self._filter(gen, field, values)))
        clauses.append((tantivy.Occur.Must, self._access(gen, request)))
        if request.ids is not None:
            clauses.append((tantivy.Occur.Must, tantivy.Query.const_score_query(
                tantivy.Query.term_set_query(gen.schema, "id", [int(i) for i in request.ids]), 0.0)))
        if request.exclude_ids:
            clauses.append((tantivy.Occur.MustNot,
                            tantivy.Query.term_set_query(gen.schema, "id", [int(i) for i in request.exclude_ids])))
        for field, value, boost in request.boosts:
            clauses.append((tantivy.Occur.Should, tantivy.Query.const_score_query(self._term(gen, field, value), boost)))
        return tantivy.Query.boolean_query(clauses)

    def search(self, request: SearchRequest) -> SearchResult:
        try:
            gen = self._generation()
            gen.index.reload()
            searcher = gen.index.searcher()
            query = self.compile(gen, request)
            sort = request.sort
            if sort == "relevance" and request.text.is_empty:
                sort = "date"
            # With facets, the total is the sum of the dispute-type buckets (every case has exactly
            # one type), so the top-k search need not count and can skip non-competitive documents.
            kwargs: dict = {"limit": request.page_size, "offset": request.offset, "count": not request.facets}
            if sort in ("date", "date_asc"):
                kwargs.update(order_by_field="sort_date",
                              order=tantivy.Order.Asc if sort == "date_asc" else tantivy.Order.Desc)
            elif sort in ("amount", "amount_asc"):
                kwargs.update(order_by_field="amount",
                              order=tantivy.Order.Asc if sort == "amount_asc" else tantivy.Order.Desc)
            result = searcher.search(query, **kwargs)
            facets = self._facets(searcher, query) if request.facets else {}
            count = sum(b["count"] for b in facets["dispute_type"]) if request.facets else (result.count or 0)
            hits = []
            for key, addr in result.hits:
                doc = searcher.doc(addr)
                source = json.loads(doc.get_first("source"))
                score = float(key) if sort == "relevance" else 0.0
                hits.append(SearchHit(id=int(source["id"]), score=score, source=source))
        except SearchUnavailable:
            raise
        except (OSError, ValueError) as exc:
            raise SearchUnavailable(f"embedded search failed: {exc}") from exc
        if request.highlight:
            self._highlight(gen, hits, request.text)
        return SearchResult(count=count, hits=hits, facets=facets, backend=self.name)

    def _facets(self, searcher, query) -> dict[str, list[dict]]:
        spec = {key: {"terms": {"field": field, "size": 200}} for key, field in FACETS.items()}
        raw = searcher.aggregate(query, spec)
        out = {}
        for key in FACETS:
            buckets = raw.get(key, {}).get("buckets", [])
            out[key] = sorted(
                ({"value": b["key"], "count": int(b["doc_count"])} for b in buckets),
                key=lambda b: (-b["count"], str(b["value"])),
            )
        return out

    def _highlight(self, gen: _Generation, hits: list[SearchHit], text: TextQuery) -> None:
        text = text.for_highlighting()
        terms = text.highlight_terms()
        for clause in text.should:
            for alt in clause.alternatives:
                if alt.bag:
                    terms.extend(t for t in tokens(alt.text, "bigram") if len(t) >= 2)
        marker = hl.Marker(terms)
        for hit in hits:
            src = hit.source
            body = "\n".join(t for t in (src.get("summary"), src.get("handling"), src.get("significance")) if t)
            hit.highlight = hl.finalize(
                marker.mark(src.get("title", "")) if terms else None,
                src.get("title", ""),
                marker.fragments(body) if terms else [],
                src.get("summary") or "",
            )
