"""What a search asks for, independent of the engine that answers it.

The query box understands words (OR-ed, ranked by how many match and where),
quoted phrases ("…" or “…”, required, exact), and exclusions (-词 or -"短语").
Each word becomes a clause: the best of its wordings (the word, its synonyms),
each scored as a phrase plus a bag of its tokens, so 没签劳动合同 still finds
未签书面劳动合同 through 劳动/动合/合同 while the exact phrase ranks higher.
Both backends compile this one structure, so they match and rank alike.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from .analysis import normalize

MAX_QUERY_CHARS = 200
MAX_TERMS = 16
MAX_SYNONYM_GAP = 3

# Relevance knobs, shared by both backends (BM25 in both). A word's score is summed
# over the fields it occurs in ("most_fields"), with the title and keywords weighted
# above the body (DOMAIN §5.7 titles name place, subject, dispute and method). An exact
# phrase scores its phrase plus its bag of tokens, so it counts about double a
# scattered partial match. Synonyms score a little below the word typed.
# Chosen on bench/relevance.py with coarse steps (see the report), not per query.
FIELD_BOOSTS = {"title": 1.5, "tags": 1.5, "body": 1.0}
# The loose bag of tokens is scored on the long text only: it is the costly part of a query
# (a disjunction over every bigram's postings), and a partial match in a title adds little.
BAG_FIELDS = ("body",)
FIELD_TIE_BREAKER = 1.0
SYNONYM_TIE_BREAKER = 0.3
SYNONYM_BOOST = 0.8
PHRASE_BOOST = 1.0
BAG_BOOST = 1.0
BAG_MINIMUM_SHOULD_MATCH = 0.6
SYNONYM_MINIMUM_SHOULD_MATCH = 0.75
# Concept-dictionary expansions (三期 → 哺乳期 …) score below the typed word and its synonyms,
# as exact phrases only (search.understanding).
CONCEPT_BOOST = 0.6
# A worker's phrasing (跑路, 老板跑了) rarely appears in a written case: its written forms (下落不明,
# 失联) are how it is found, so they weigh as much as a synonym rather than as a narrower concept.
COLLOQUIAL_BOOST = 0.8
MAX_EXPANSIONS = 12
# A query word that is a primary dispute type (欠薪, 工伤 …) also matches cases filed under that
# type whose text words it differently, with this constant score (a floor, not a ranking signal).
FIELD_MATCH_SCORE = 1.0
# Multipliers on these fields (a named agency or outcome) repeat only the topical part of the text
# (TextQuery.topical): they reorder the cases that match the subject, and a case that matches
# nothing but the agency word (仲裁 加班费 → an arbitral review of a dismissal) gains nothing.
TOPICAL_FIELDS = frozenset({"agencies", "outcome"})

# Facets: request/response key → index field.
FACETS = {
    "county": "county",
    "dispute_type": "dispute_type",
    "year": "year",
    "agency": "agencies",
    "outcome": "outcome",
    "topic": "topics",
}
SORTS = ("relevance", "date", "date_asc", "amount", "amount_asc")


@dataclass(frozen=True)
class Phrase:
    """Text that must appear as a phrase (after analysis) in a text field."""

    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Alternative:
    """One wording of a query word: as a phrase, and (if `bag`) as any share of its tokens."""

    text: str
    boost: float = 1.0
    bag: bool = True
    minimum_should_match: float = BAG_MINIMUM_SHOULD_MATCH
    # When set, the wording is a value of this keyword field (constant score), not text.
    field: str = ""
    # A concept-dictionary expansion: a clause's expansions count only by their best match,
    # so many narrower terms never outweigh the typed word itself.
    expansion: bool = False

    def required(self, n_tokens: int) -> int:
        # Elasticsearch's rounding of a minimum_should_match percentage: down, at least one.
        return max(1, math.floor(n_tokens * self.minimum_should_match + 1e-9))

    @property
    def percent(self) -> str:
        return f"{int(round(self.minimum_should_match * 100))}%"


@dataclass(frozen=True)
class TermClause:
    """One word of the query: the best of its wordings (the word itself, its synonyms, its expansions)."""

    alternatives: tuple[Alternative, ...]
    # The clause of an agency or outcome word (仲裁, 责令整改): it counts in the text score, but the
    # agency/outcome multipliers repeat only the other clauses (TOPICAL_FIELDS).
    entity: bool = False

    def grouped(self) -> tuple[list[Alternative], list[Alternative]]:
        """(the word and its synonyms, its concept expansions) — backends put the expansions
        under one dis_max without tie-breaking, scored as one more wording."""
        return ([a for a in self.alternatives if not a.expansion],
                [a for a in self.alternatives if a.expansion])


@dataclass
class TextQuery:
    should: list[TermClause] = field(default_factory=list)
    must: list[Phrase] = field(default_factory=list)
    must_not: list[Phrase] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.should or self.must)

    def topical(self) -> TextQuery | None:
        """The query without its agency/outcome clauses, or None when nothing else is left."""
        should = [c for c in self.should if not c.entity]
        if len(should) == len(self.should) or not (should or self.must):
            return None
        return TextQuery(should=should, must=list(self.must), must_not=list(self.must_not))

    def highlight_terms(self) -> list[str]:
        """The surface strings worth marking in a result, longest first."""
        terms = {a.text for c in self.should for a in c.alternatives if not a.field} | {p.text for p in self.must}
        return sorted((t for t in terms if t), key=len, reverse=True)

    def for_highlighting(self) -> TextQuery:
        """The same query with only the typed words' bags: a synonym is marked whole or not at all."""
        should = []
        for clause in self.should:
            first = clause.alternatives[0].text
            # An expansion that contains the typed word (工伤 → 工伤认定) would hide the word's own mark.
            rest = tuple(Alternative(a.text, a.boost, bag=False, expansion=a.expansion)
                         for a in clause.alternatives[1:] if not a.field and not (a.expansion and first in a.text))
            should.append(TermClause(alternatives=clause.alternatives[:1] + rest))
        return TextQuery(should=should, must=list(self.must))


@dataclass(frozen=True)
class Access:
    """Who is searching: published cases for everyone, drafts for those with access to them."""

    public_only: bool = True
    user_id: int | None = None
    agency_id: int | None = None
    roles: tuple[str, ...] = ()


@dataclass
class SearchRequest:
    text: TextQuery = field(default_factory=TextQuery)
    filters: dict[str, list] = field(default_factory=dict)  # index field → accepted values
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20
    access: Access = field(default_factory=Access)
    ids: list[int] | None = None
    exclude_ids: list[int] = field(default_factory=list)
    # Structured should-clauses that only add to the score of documents that match the text.
    boosts: list[tuple[str, str, float]] = field(default_factory=list)
    # (index field, value, factor): a document whose field holds the value scores `factor`
    # times its text score (query understanding: 旬阳 欠薪 puts 旬阳市's wage cases first).
    multipliers: list[tuple[str, str | int, float]] = field(default_factory=list)
    highlight: bool = True
    facets: bool = True
    # Seconds an engine server may take before the answer counts as unavailable (None: its default).
    timeout: float | None = None

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    def multiplier_groups(self) -> list[tuple[float, list[tuple[str, str | int]], TextQuery | None]]:
        """Multipliers by factor: one clause per factor, matching any of its (field, value) pairs,
        so the text query is repeated once per factor rather than once per recognised word.
        The third item is the text to repeat: None for the whole text query, or its topical part
        for agency/outcome multipliers (TOPICAL_FIELDS)."""
        topical = self.text.topical()
        groups: dict[tuple[float, bool], list[tuple[str, str | int]]] = {}
        for field_name, value, factor in self.multipliers:
            if factor > 1:
                only_topical = topical is not None and field_name in TOPICAL_FIELDS
                groups.setdefault((factor, only_topical), []).append((field_name, value))
        return [(factor, pairs, topical if only_topical else None)
                for (factor, only_topical), pairs in sorted(groups.items(), reverse=True)]


@dataclass
class SearchHit:
    id: int
    score: float
    source: dict
    highlight: dict = field(default_factory=dict)


@dataclass
class SearchResult:
    count: int
    hits: list[SearchHit]
    facets: dict[str, list[dict]] = field(default_factory=dict)
    backend: str = ""
    # Query understanding, for the page and the API: what was recognised, the filters a
    # query of only such words became, and a "您是不是要找" suggestion.
    entities: list = field(default_factory=list)
    understood_filters: dict[str, list] = field(default_factory=dict)
    suggestion: str = ""


@dataclass
class ParsedQuery:
    words: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)


_TOKEN = re.compile(r'(-?)(?:"([^"]*)"?|“([^”]*)”?|([^\s"“”,，、；;]+))')


def parse_query_string(q: str) -> ParsedQuery:
    """Split the query box into words, "quoted phrases" and -exclusions."""
    text = normalize(q)[:MAX_QUERY_CHARS]
    parsed = ParsedQuery()
    for m in _TOKEN.finditer(text):
        negative, quoted_a, quoted_b, word = m.groups()
        quoted = quoted_a if quoted_a is not None else quoted_b
        value = (quoted if quoted is not None else word or "").strip()
        if not value or value == "-":
            continue
        if negative:
            target = parsed.excluded
        elif quoted is not None:
            target = parsed.phrases
        else:
            target = parsed.words
        if value not in target and len(parsed.words) + len(parsed.phrases) + len(parsed.excluded) < MAX_TERMS:
            target.append(value)
    return parsed


def _gapped(key: str) -> re.Pattern | None:
    """拖欠工资 → 拖欠.{0,3}工资: the key's halves with a short modifier between them."""
    if len(key) < 4:
        return None
    half = len(key) // 2
    return re.compile(re.escape(key[:half]) + f".{{1,{MAX_SYNONYM_GAP}}}" + re.escape(key[half:]))


def expand_synonyms(word: str, synonyms: dict[str, list[str]], limit: int = 8) -> list[str]:
    """The alternatives of `word`: its own synonyms, or those of a synonym it contains.

    "Contains" also allows a short modifier inside a four-character key, the usual
    Chinese pattern 拖欠[农民工]工资, 未签[书面]合同."""
    if word in synonyms:
        return [s for s in synonyms[word] if s != word][:limit]
    out: list[str] = []
    for key in sorted(synonyms, key=len, reverse=True):
        if len(key) < 2:
            continue
        if key in word:
            candidates = [word.replace(key, alt) for alt in synonyms[key]]
        else:
            gapped = _gapped(key)
            candidates = list(synonyms[key]) if gapped and gapped.search(word) else []
        for candidate in candidates:
            if candidate != word and candidate not in out:
                out.append(candidate)
        if len(out) >= limit:
            break
    return out[:limit]


def build_text_query(q: str, synonyms: dict[str, list[str]] | None = None) -> TextQuery:
    parsed = parse_query_string(q)
    synonyms = synonyms or {}
    query = TextQuery()
    for word in parsed.words:
        alternatives = [Alternative(word)]
        # A synonym's own bag of tokens must match more of it than the typed word's does.
        alternatives += [Alternative(s, SYNONYM_BOOST, minimum_should_match=SYNONYM_MINIMUM_SHOULD_MATCH)
                         for s in expand_synonyms(word, synonyms)]
        query.should.append(TermClause(alternatives=tuple(alternatives)))
    query.must = [Phrase(p) for p in parsed.phrases]
    query.must_not = [Phrase(p) for p in parsed.excluded]
    return query


def weighted_text_query(terms: list[tuple[str, float]]) -> TextQuery:
    """A query of salient terms with their own weights (used for similar cases)."""
    return TextQuery(should=[TermClause(alternatives=(Alternative(t, w, bag=False),)) for t, w in terms if t])
