"""Elasticsearch 8 through elasticsearch-dsl.

Readers and writers use the alias settings.CONCORD_SEARCH_INDEX; concrete
indices are named <alias>-<timestamp>-<random>. `search_index --rebuild`
fills a new concrete index and moves the alias in one _aliases call, so
searches never see a half-built index.

Analysis: every text field uses a custom analyzer `concord_cjk` (standard
tokenizer → cjk_width → lowercase → cjk_bigram), the same tokens as the embedded
backend's bigram analyzer; titles and keywords also have an exact `raw`
keyword sub-field. If the cluster has the IK or smartcn plugin (asked through
_cat/plugins when the index is created) the title and body get a word-level
sub-field too, recorded in the mapping's _meta so queries know it exists.

Client options (TLS, api_key, a custom node_class …) come from
settings.CONCORD_ELASTICSEARCH_CLIENT_OPTIONS.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterable

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError, dsl, helpers

from .. import highlight as hl
from ..analysis import bigram_tokens
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
ANALYZER = "concord_cjk"
CHINESE_PLUGINS = {
    # plugin component → (sub-field name, index analyzer, search analyzer)
    "analysis-ik": ("ik", "ik_max_word", "ik_smart"),
    "analysis-smartcn": ("smartcn", "smartcn", "smartcn"),
}
BULK_CHUNK = 500
MAX_RESULT_WINDOW = 10_000


def chinese_subfield(plugins: Iterable[str]) -> tuple[str, str, str] | None:
    names = set(plugins)
    for component, spec in CHINESE_PLUGINS.items():
        if component in names:
            return spec
    return None


def build_index(name: str, plugins: Iterable[str] = (), replicas: int = 0) -> dsl.Index:
    """The index definition: settings, analysis and mapping (pure; no cluster call)."""
    sub = chinese_subfield(plugins)
    cjk = dsl.analyzer(ANALYZER, tokenizer="standard", filter=["cjk_width", "lowercase", "cjk_bigram"])

    def text_field(keyword: bool) -> dsl.Text:
        fields: dict = {}
        if keyword:
            fields["raw"] = dsl.Keyword(ignore_above=256)
        if sub:
            fields[sub[0]] = dsl.Text(analyzer=sub[1], search_analyzer=sub[2])
        return dsl.Text(analyzer=cjk, fields=fields) if fields else dsl.Text(analyzer=cjk)

    mapping = dsl.Mapping()
    mapping.meta("_meta", {"concord_schema": SCHEMA_VERSION, "chinese_subfield": sub[0] if sub else None})
    mapping.field("id", dsl.Integer())
    mapping.field("version", dsl.Integer())
    mapping.field("status", dsl.Keyword())
    mapping.field("public", dsl.Boolean())
    mapping.field("allowed_users", dsl.Integer())
    mapping.field("allowed_agencies", dsl.Integer())
    mapping.field("allowed_roles", dsl.Keyword())
    mapping.field("title", text_field(keyword=True))
    mapping.field("tags", text_field(keyword=True))
    mapping.field("body", text_field(keyword=False))
    for stored in ("summary", "handling", "significance"):
        mapping.field(stored, dsl.Text(index=False))
    for keyword in ("county", "county_code", "dispute_type", "agencies", "channel", "outcome"):
        mapping.field(keyword, dsl.Keyword())
    # Topics (专题): a facet, and searchable text like the keywords (the embedded index does the same).
    mapping.field("topics", dsl.Keyword(copy_to="tags"))
    mapping.field("year", dsl.Integer())
    mapping.field("amount", dsl.Double())
    mapping.field("workers_count", dsl.Integer())
    mapping.field("published_at", dsl.Date())
    mapping.field("sort_date", dsl.Long())

    index = dsl.Index(name)
    index.settings(number_of_shards=1, number_of_replicas=replicas, max_result_window=MAX_RESULT_WINDOW)
    index.mapping(mapping)
    return index


def _unavailable(exc: Exception) -> Exception:
    """Server down, timeouts and 5xx mean "unavailable"; a 4xx is a bug and stays an error."""
    if isinstance(exc, ApiError) and exc.meta.status < 500:
        return exc
    return SearchUnavailable(f"Elasticsearch unavailable: {exc}")


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, url: str, alias: str, client_options: dict | None = None, replicas: int = 0):
        if not url:
            raise ValueError("CONCORD_SEARCH_BACKEND is 'elasticsearch' but ELASTICSEARCH_URL is empty")
        options = {"request_timeout": 10, "max_retries": 1, "retry_on_timeout": False}
        options.update(client_options or {})
        self.client = Elasticsearch(url, **options)
        self.alias = alias
        self.replicas = replicas
        self._lock = threading.Lock()
        self._subfield: str | None | bool = False  # False: not read yet
        self._ensured = False

    def close(self) -> None:
        try:
            self.client.close()
        except Exception:  # noqa: BLE001 - closing a dead connection must not fail anything
            pass

    # --- index lifecycle ---------------------------------------------------------------------

    def plugins(self) -> list[str]:
        """Installed plugin components, to decide on the IK / smartcn sub-field."""
        rows = self.client.cat.plugins(format="json")
        return sorted({row.get("component", "") for row in rows.body or []})

    def _new_index_name(self) -> str:
        return f"{self.alias}-{time.strftime('%Y%m%d%H%M%S')}-{secrets.token_hex(3)}"

    def _create_concrete(self) -> str:
        name = self._new_index_name()
        build_index(name, self.plugins(), self.replicas).create(using=self.client)
        return name

    def _alias_targets(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias).body)
        except NotFoundError:
            return []

    def ensure_index(self) -> None:
        if self._ensured:
            return
        try:
            with self._lock:
                if self._alias_targets():
                    self._ensured = True
                    return
                name = self._create_concrete()
                self.client.indices.update_aliases(actions=[{"add": {"index": name, "alias": self.alias}}])
                self._subfield = False
                self._ensured = True
        except (TransportError, ApiError) as exc:
            raise _unavailable(exc) from exc

    def _chinese_subfield(self) -> str | None:
        if self._subfield is False:
            try:
                mappings = self.client.indices.get_mapping(index=self.alias).body
            except NotFoundError:
                return None
            except (TransportError, ApiError) as exc:
                raise _unavailable(exc) from exc
            meta = next(iter(mappings.values()), {}).get("mappings", {}).get("_meta", {})
            self._subfield = meta.get("chinese_subfield")
        return self._subfield or None

    def describe(self) -> dict:
        try:
            targets = self._alias_targets()
            count = self.client.count(index=self.alias)["count"] if targets else 0
            return {"backend": self.name, "alias": self.alias, "indices": targets, "documents": count,
                    "chinese_subfield": self._chinese_subfield() if targets else None}
        except (TransportError, ApiError) as exc:
            raise _unavailable(exc) from exc

    # --- writing -----------------------------------------------------------------------------

    def index(self, docs: list[dict]) -> None:
        if not docs:
            return
        self.ensure_index()
        actions = ({"_index": self.alias, "_id": str(d["id"]), "_source": d} for d in docs)
        try:
            helpers.bulk(self.client, actions, chunk_size=BULK_CHUNK, refresh="wait_for")
        except (TransportError, ApiError, helpers.BulkIndexError) as exc:
            raise _unavailable(exc) from exc

    def delete(self, ids: list[int]) -> None:
        if not ids:
            return
        self.ensure_index()
        actions = ({"_op_type": "delete", "_index": self.alias, "_id": str(i)} for i in ids)
        try:
            helpers.bulk(self.client, actions, chunk_size=BULK_CHUNK, refresh="wait_for", raise_on_error=False)
        except (TransportError, ApiError) as exc:
            raise _unavailable(exc) from exc

    def rebuild(self, docs: Iterable[dict], progress: Callable[[int], None] | None = None) -> int:
        try:
            old = self._alias_targets()
            name = self._create_concrete()
            self.client.indices.put_settings(index=name, settings={"index": {"refresh_interval": "-1"}})
            count = 0

            def actions():
                nonlocal count
                for d in docs:
                    count += 1
                    if progress:
                        progress(1)
                    yield {"_index": name, "_id": str(d["id"]), "_source": d}

            helpers.bulk(self.client, actions(), chunk_size=BULK_CHUNK)
            self.client.indices.put_settings(index=name, settings={"index": {"refresh_interval": "1s"}})
            self.client.indices.refresh(index=name)
            swap = [{"remove": {"index": o, "alias": self.alias}} for o in old]
            swap.append({"add": {"index": name, "alias": self.alias}})
            self.client.indices.update_aliases(actions=swap)
            for o in old:
                self.client.indices.delete(index=o, ignore_unavailable=True)
            self._subfield = False
            return count
        except (TransportError, ApiError, helpers.BulkIndexError) as exc:
            raise _unavailable(exc) from exc

    def drop(self) -> None:
        try:
            for name in self._alias_targets():
                self.client.indices.delete(index=name, ignore_unavailable=True)
        except (TransportError, ApiError) as exc:
            raise _unavailable(exc) from exc
        self._subfield = False
        self._ensured = False

    def indexed_versions(self) -> dict[int, int]:
        self.ensure_index()
        out: dict[int, int] = {}
        after = None
        try:
            while True:
                body = {"size": 1000, "sort": [{"id": "asc"}], "_source": ["id", "version"],
                        "query": {"match_all": {}}}
                if after is not None:
                    body["search_after"] = after
                hits = self.client.search(index=self.alias, body=body)["hits"]["hits"]
                if not hits:
                    return out
                for h in hits:
                    out[int(h["_source"]["id"])] = int(h["_source"]["version"])
                after = hits[-1]["sort"]
        except (TransportError, ApiError) as exc:
            raise _unavailable(exc) from exc

    # --- searching ---------------------------------------------------------------------------

    def _fields(self, word_level: bool = False) -> list[tuple[str, float]]:
        """Phrase fields; with word_level, the bag fields plus the IK/smartcn sub-field if any."""
        if not word_level:
            return list(FIELD_BOOSTS.items())
        fields = [(name, FIELD_BOOSTS[name]) for name in BAG_FIELDS]
        sub = self._chinese_subfield()
        if sub:
            fields += [(f"{name}.{sub}", FIELD_BOOSTS[name]) for name in BAG_FIELDS if name in ("title", "body")]
        return fields

    # Per-field queries under dis_max, as multi_match would build them in Elasticsearch —
    # spelled out so the query is the same structure as the embedded one (and osmem,
    # the test server, treats multi_match type=phrase as a plain OR of terms).

    def _phrase(self, text: str, boost: float) -> dsl.Q:
        per_field = [dsl.Q("match_phrase", **{name: {"query": text, "boost": weight}})
                     for name, weight in self._fields()]
        return dsl.Q("dis_max", queries=per_field, tie_breaker=FIELD_TIE_BREAKER, boost=boost)

    def _bag(self, text: str, boost: float, percent: str) -> dsl.Q:
        per_field = [dsl.Q("match", **{name: {"query": text, "operator": "or", "minimum_should_match": percent,
                                              "boost": weight}})
                     for name, weight in self._fields(word_level=True)]
        return dsl.Q("dis_max", queries=per_field, tie_breaker=FIELD_TIE_BREAKER, boost=boost)

    def _alternative(self, alt: Alternative) -> dsl.Q:
        if alt.field:
            return dsl.Q("constant_score", filter=dsl.Q("term", **{alt.field: alt.text}),
                         boost=alt.boost * FIELD_MATCH_SCORE)
        parts = [self._phrase(alt.text, PHRASE_BOOST)]
        if alt.bag and len(set(bigram_tokens(alt.text))) > 1:  # the tokens of concord_cjk
            parts.append(self._bag(alt.text, BAG_BOOST, alt.percent))
        return dsl.Q("bool", should=parts, minimum_should_match=1, boost=alt.boost)

    def _text(self, text: TextQuery) -> dict:
        must, must_not = [], []
        should = []
        for clause in text.should:
            words, expansions = clause.grouped()
            queries = [self._alternative(a) for a in words]
            if expansions:
                queries.append(dsl.Q("dis_max", queries=[self._alternative(a) for a in expansions], tie_breaker=0.0))
            if queries:
                should.append(dsl.Q("dis_max", queries=queries, tie_breaker=SYNONYM_TIE_BREAKER))
        if should:
            must.append(dsl.Q("bool", should=should, minimum_should_match=1))
        elif text.should:
            must.append(dsl.Q("match_none"))
        must += [self._phrase(p.text, p.boost) for p in text.must]
        must_not += [self._phrase(p.text, 1.0) for p in text.must_not]
        return {"must": must, "must_not": must_not}

    def _access(self, request: SearchRequest) -> dsl.Q:
        access = request.access
        if access.public_only:
            return dsl.Q("term", public=True)
        options = [dsl.Q("term", public=True)]
        if access.user_id is not None:
            options.append(dsl.Q("term", allowed_users=access.user_id))
        if access.agency_id is not None:
            options.append(dsl.Q("term", allowed_agencies=access.agency_id))
        if access.roles:
            options.append(dsl.Q("terms", allowed_roles=list(access.roles)))
        return dsl.Q("bool", should=options, minimum_should_match=1)

    def compile(self, request: SearchRequest) -> dsl.Q:
        parts = self._text(request.text)
        filters = [self._access(request)]
        for field, values in request.filters.items():
            if values:
                filters.append(dsl.Q("terms", **{field: list(values)}))
        if request.ids is not None:
            filters.append(dsl.Q("terms", id=[int(i) for i in request.ids]))
        must_not = parts["must_not"]
        if request.exclude_ids:
            must_not.append(dsl.Q("terms", id=[int(i) for i in request.exclude_ids]))
        should = [dsl.Q("constant_score", filter=dsl.Q("term", **{field: value}), boost=boost)
                  for field, value, boost in request.boosts]
        if parts["must"]:
            # factor × the text score for documents whose field holds what the query named
            should += [dsl.Q("bool", must=list(parts["must"] if text is None else self._text(text)["must"]),
                             boost=factor - 1,
                             filter=[dsl.Q("bool", should=[dsl.Q("term", **{f: v}) for f, v in pairs],
                                           minimum_should_match=1)])
                       for factor, pairs, text in request.multiplier_groups()]
        must = parts["must"] or [dsl.Q("match_all")]
        return dsl.Q("bool", must=must, must_not=must_not, filter=filters, should=should)

    def search(self, request: SearchRequest) -> SearchResult:
        client = self.client.options(request_timeout=request.timeout) if request.timeout else self.client
        s = dsl.Search(using=client, index=self.alias).query(self.compile(request))
        sort = request.sort
        if sort == "relevance" and request.text.is_empty:
            sort = "date"
        s = s.sort(*{
            "relevance": ["_score", {"sort_date": "desc"}],
            "date": [{"sort_date": "desc"}],
            "date_asc": [{"sort_date": "asc"}],
            "amount": [{"amount": "desc"}, {"sort_date": "desc"}],
            "amount_asc": [{"amount": "asc"}, {"sort_date": "desc"}],
        }[sort])
        s = s.extra(from_=request.offset, size=request.page_size, track_total_hits=True)
        s = s.source(list(DISPLAY_FIELDS))
        if request.highlight:
            options = {"pre_tags": [hl.OPEN], "post_tags": [hl.CLOSE], "encoder": "default"}
            marked = self._text(request.text.for_highlighting())["must"]
            if marked:  # mark synonyms whole, and partial matches of the typed words only
                options["highlight_query"] = dsl.Q("bool", should=marked).to_dict()
            s = s.highlight_options(**options)
            s = s.highlight("title", number_of_fragments=0)
            s = s.highlight("body", fragment_size=hl.FRAGMENT_CHARS, number_of_fragments=hl.MAX_FRAGMENTS)
        if request.facets:
            for key, field in FACETS.items():
                s.aggs.bucket(key, "terms", field=field, size=200)
        try:
            response = s.execute()
        except NotFoundError:
            self._ensured = False
            self.ensure_index()
            return SearchResult(count=0, hits=[], facets={k: [] for k in FACETS} if request.facets else {},
                                backend=self.name)
        except (TransportError, ApiError) as exc:
            raise _unavailable(exc) from exc
        hits = []
        for h in response.hits:
            source = h.to_dict()
            meta = h.meta
            score = float(meta.score) if sort == "relevance" and meta.score is not None else 0.0
            hit = SearchHit(id=int(source["id"]), score=score, source=source)
            if request.highlight:
                marked = getattr(meta, "highlight", None)
                title = list(getattr(marked, "title", []) or []) if marked else []
                body = list(getattr(marked, "body", []) or []) if marked else []
                hit.highlight = hl.finalize(title[0] if title else None, source.get("title", ""),
                                            body, source.get("summary") or "")
            hits.append(hit)
        facets = {}
        if request.facets:
            for key in FACETS:
                buckets = response.aggregations[key].buckets
                facets[key] = sorted(
                    ({"value": b.key, "count": int(b.doc_count)} for b in buckets),
                    key=lambda b: (-b["count"], str(b["value"])),
                )
        return SearchResult(count=int(response.hits.total.value), hits=hits, facets=facets, backend=self.name)

