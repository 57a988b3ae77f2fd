"""Query understanding: what a supervisor's or a worker's query asks for.

1. **Places, years, agencies, outcomes, topics.** County and district names with their
   short forms (汉滨, 旬阳 …) and years (2024年) are taken out of the text and become strong
   boosts on the county / year fields; agency words (法院, 检察院, 仲裁, 监察, 法律援助) and
   outcome words (司法确认, 支付令, 支持起诉 …) stay in the text and also boost the matching
   field, among the cases that match the rest of the query; topic names (新就业形态 …) boost the
   topic field. A query made of such words only becomes facet filters instead (the page shows
   them as removable chips), unless it names an agency and an outcome together.
2. **Words.** Each remaining word is split into the terms the library knows (the legal
   concept dictionary, synonyms, topics, the library's own vocabulary), longest first;
   particles and question words (了, 能, 多少 …) are dropped. 被辞退了能拿多少补偿 →
   辞退 · 补偿.
3. **Expansions.** Each term searches its synonyms (a little below the term) and its
   concept-dictionary expansions (further below: 三期 → 孕期, 产假, 哺乳期 …).
4. **Typos.** A stretch that is not a known word but sounds exactly like one (加版费 →
   加班费, 公伤 → 工伤, 派谴 → 派遣) is searched as that word as well, and offered as
   "您是不是要找". When the query finds little, a near word (one character off with a
   similar sound) is offered as a suggestion only.

The result is backend-neutral (search.query structures), compiled alike by both engines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from django.utils import translation

from mediation.cases.models import ClosingCode, DisputeType
from parties.models import County

from .analysis import bigram_tokens, normalize
from .lexicon import MAX_TERM_CHARS, Lexicon
from .models import PartnerAgency
from .query import (
    COLLOQUIAL_BOOST,
    CONCEPT_BOOST,
    MAX_EXPANSIONS,
    SYNONYM_BOOST,
    SYNONYM_MINIMUM_SHOULD_MATCH,
    Alternative,
    Phrase,
    TermClause,
    TextQuery,
    expand_synonyms,
    parse_query_string,
)

# Multipliers of the text score for documents whose field matches what the query named
# (search.query.SearchRequest.multipliers): a county named in the query puts that county's
# matching cases first; the others still follow.
COUNTY_FACTOR = 10.0
YEAR_FACTOR = 5.0
AGENCY_FACTOR = 2.0
OUTCOME_FACTOR = 2.0
TOPIC_FACTOR = 2.0
TYPO_BOOST = 0.95

# Words that carry no content in a question (dropped when a long word is split).
STOPWORDS = frozenset(
    "了 的 地 得 着 过 吗 呢 吧 啊 呀 么 嘛 就 都 也 还 又 再 才 被 把 让 给 向 跟 和 与 及 或 在 是 有 我 你 他 她 它 "
    "我们 他们 她们 自己 能 会 要 想 该 可 可以 能够 应该 应当 需要 怎么 怎样 怎么办 如何 什么 哪些 哪个 多少 几 是否 "
    "有没有 是不是 能不能 可不可以 一下 一些 一个 这个 那个 这样 那样 这种 那种 之后 以后 以前 时候 情况 问题 "
    "请问 咨询 怎么回事 为什么 还是 但是 而且 因为 所以 如果 拿".split()
)

# Who a worker's question is about, implied in every case (被公司辞退了, 老板不给钱): dropped when a
# longer word is split into terms, so the employer word does not rank cases by how often they
# say 公司. Typed as a word of its own it is still searched.
IMPLIED_PARTY = frozenset("公司 单位 用人单位 老板 厂里 厂子 企业 雇主 我们公司 东家".split())

# 2024, 2024年, 2024年度 — not an amount or a count (2000元, 2024人).
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:年度|年)?(?![\d.元万千百人名件号%])")


def _county_forms() -> list[tuple[str, str]]:
    """(form as typed, county label in the index), longest first: 旬阳市 and 旬阳, 汉滨区 and 汉滨."""
    with translation.override(None):
        labels = [str(label) for _value, label in County.choices]
    forms = []
    for label in labels:
        forms.append((label, label))
        if label == "市本级":
            continue
        short = label[:-1] if label[-1] in "区县市" else ""
        # 高新 alone is too common a word (高新技术企业) to stand for 高新区.
        if len(short) >= 2 and short != "高新":
            forms.append((short, label))
    return sorted(forms, key=lambda f: len(f[0]), reverse=True)


def _labels(choices) -> dict[str, str]:
    with translation.override(None):
        return {value: str(label) for value, label in choices.choices}


def _dispute_types() -> set[str]:
    return set(_labels(DisputeType).values())


def _agency_words() -> dict[str, str]:
    a = _labels(PartnerAgency)
    return {
        "人民法院": a["COURT"],
        "法院": a["COURT"],
        "人民检察院": a["PROCURATORATE"],
        "检察院": a["PROCURATORATE"],
        "检察机关": a["PROCURATORATE"],
        "检察": a["PROCURATORATE"],
        "仲裁委": a["ARBITRATION"],
        "仲裁院": a["ARBITRATION"],
        "仲裁": a["ARBITRATION"],
        "劳动监察": a["INSPECTION"],
        "劳动保障监察": a["INSPECTION"],
        "监察大队": a["INSPECTION"],
        "监察": a["INSPECTION"],
        "法律援助": a["JUSTICE"],
        "司法局": a["JUSTICE"],
        "司法所": a["JUSTICE"],
        "人民调解": a["JUSTICE"],
        "人社局": a["HRSS"],
        "人社部门": a["HRSS"],
    }


def _outcome_words() -> dict[str, str]:
    o = _labels(ClosingCode)
    return {
        "司法确认": o["SUCCESS_JUDICIAL_CONFIRMED"],
        "支付令": o["SUCCESS_PAYMENT_ORDER"],
        "仲裁审查确认": o["SUCCESS_ARB_REVIEWED"],
        "仲裁审查": o["SUCCESS_ARB_REVIEWED"],
        "支持起诉": o["FAILED_TO_LITIGATION_PROCURATORATE"],
        "法律援助": o["FAILED_TO_LITIGATION_LEGAL_AID"],
        "转仲裁": o["FAILED_TO_ARBITRATION"],
        "责令整改": o["REFERRED_INSPECTION"],
        "移送劳动监察": o["REFERRED_INSPECTION"],
        "一函两书": o["SUPERVISION_RECTIFIED"],
        "当场履行": o["SUCCESS_PAID_ON_SPOT"],
        "分期履行": o["SUCCESS_INSTALMENTS_DONE"],
    }


# facet key → index field, as in search.query.FACETS (+ topics)
ENTITY_FIELDS = {
    "county": "county",
    "year": "year",
    "agency": "agencies",
    "outcome": "outcome",
    "topic": "topics",
}
ENTITY_FACTORS = {
    "county": COUNTY_FACTOR,
    "year": YEAR_FACTOR,
    "agency": AGENCY_FACTOR,
    "outcome": OUTCOME_FACTOR,
    "topic": TOPIC_FACTOR,
}


@dataclass(frozen=True)
class Entity:
    """Something the query named: facet key (county, year, agency, outcome, topic), index value, text typed."""

    facet: str
    value: str | int
    text: str


@dataclass
class Understood:
    text: TextQuery = field(default_factory=TextQuery)
    entities: list[Entity] = field(default_factory=list)
    multipliers: list[tuple[str, str | int, float]] = field(default_factory=list)
    # Facet key → values, when the query was nothing but places, years, agencies or outcomes.
    filters: dict[str, list] = field(default_factory=dict)
    corrections: dict[str, str] = field(default_factory=dict)  # as typed → corrected
    suggestion: str = ""  # the query with its corrections, for "您是不是要找"

    @property
    def only_entities(self) -> bool:
        return bool(self.filters)


def _take_entities(word: str, counties, entities: list[Entity]) -> list[str]:
    """Remove county names and years from `word`; return the pieces left."""
    pieces = [word]
    for form, label in counties:
        out = []
        for piece in pieces:
            if form in piece:
                entities.append(Entity("county", label, form))
                out += [p for p in piece.split(form) if p]
            else:
                out.append(piece)
        pieces = out
    out = []
    for piece in pieces:
        for m in _YEAR.finditer(piece):
            entities.append(Entity("year", int(m.group(1)), m.group(0)))
        out += _YEAR.sub(" ", piece).split()
    return [p for p in out if p.strip()]


def split_word(word: str, lex: Lexicon, corrections: dict[str, str]) -> list[str]:
    """Known terms of `word`, longest first from the left; homophone typos replaced (and recorded)."""
    if word in STOPWORDS:
        return []
    if lex.is_known(word):
        return [word]
    if len(word) <= 2:
        corrected = lex.homophone(word)
        if corrected:
            corrections[word] = corrected
        return [word]
    out: list[str] = []
    unknown = ""

    def flush():
        nonlocal unknown
        if len(unknown) >= 2 and unknown not in STOPWORDS:
            from .analysis import jieba_tokens

            words = jieba_tokens(unknown)
            parts = [w for w in words if len(w) >= 2 and w not in STOPWORDS]
            # jieba's search mode also yields sub-words; keep the words that are not inside another
            parts = [w for w in parts if not any(w != o and w in o for o in parts)]
            # a stretch of particles only (了能要) says nothing
            if parts or any(w not in STOPWORDS for w in words):
                out.extend(parts or [unknown])
        unknown = ""

    i = 0
    while i < len(word):
        longest_known = 0
        for length in range(min(MAX_TERM_CHARS, len(word) - i), 1, -1):
            if lex.is_known(word[i : i + length]):
                longest_known = length
                break
        corrected, corrected_len = None, 0
        for length in range(min(6, len(word) - i), 1, -1):
            if length <= longest_known:
                break
            candidate = lex.homophone(word[i : i + length])
            if candidate:
                corrected, corrected_len = candidate, length
                break
        if corrected:
            flush()
            corrections[word[i : i + corrected_len]] = corrected
            out.append(word[i : i + corrected_len])
            i += corrected_len
        elif longest_known:
            flush()
            term = word[i : i + longest_known]
            if term not in STOPWORDS and term not in IMPLIED_PARTY:
                out.append(term)
            i += longest_known
        else:
            unknown += word[i]
            i += 1
    flush()
    return out


def inner_terms(term: str, lex: Lexicon) -> list[str]:
    """The known words inside a colloquial phrase (周末加班 → 周末, 加班), longest first from the left."""
    out, i = [], 0
    while i < len(term):
        for length in range(len(term) - 1 if i == 0 else len(term) - i, 1, -1):
            piece = term[i : i + length]
            if lex.is_known(piece) and piece not in STOPWORDS:
                out.append(piece)
                i += length
                break
        else:
            i += 1
    return out


def _clause(term: str, lex: Lexicon, corrections: dict[str, str]) -> TermClause:
    alternatives: list[Alternative] = []
    corrected = corrections.get(term)
    if corrected:
        alternatives.append(Alternative(corrected, TYPO_BOOST))
        alternatives.append(Alternative(term, 1.0, bag=False))
        base = corrected
    else:
        # A worker's phrasing (老板跑了, 不给钱) counts whole or not at all: its written forms do the work.
        alternatives.append(Alternative(term, bag=term not in lex.colloquial))
        base = term
    seen = {a.text for a in alternatives}
    for s in expand_synonyms(base, lex.synonyms):
        if s not in seen:
            seen.add(s)
            alternatives.append(
                Alternative(s, SYNONYM_BOOST, minimum_should_match=SYNONYM_MINIMUM_SHOULD_MATCH)
            )
    # An expansion that contains the word (工伤 → 工伤认定) finds nothing new. A longer phrase scores
    # more in BM25 than a short word, so an expansion's weight is scaled down by its length in
    # tokens: per token it always counts below the typed word.
    expansions = [e for e in lex.concepts.get(base, []) if e not in seen and base not in e][
        :MAX_EXPANSIONS
    ]
    base_tokens = max(1, len(bigram_tokens(base)))
    boost = COLLOQUIAL_BOOST if base in lex.colloquial else CONCEPT_BOOST
    for e in expansions:
        weight = boost * min(1.0, base_tokens / max(1, len(bigram_tokens(e))))
        alternatives.append(Alternative(e, weight, bag=False, expansion=True))
    if base in _dispute_types():
        alternatives.append(Alternative(base, 1.0, bag=False, field="dispute_type"))
    return TermClause(alternatives=tuple(alternatives))


def understand(
    q: str, lex: Lexicon, *, recognise_entities: bool = True, as_filters: bool = True
) -> Understood:
    """`recognise_entities=False`: every word is text (the page's "按文字检索" link).
    `as_filters=False`: a query of only places, years, agencies and outcomes still searches
    them as text with boosts (saved-search alerts keep the words' meaning)."""
    parsed = parse_query_string(q)
    result = Understood()
    agencies, outcomes = _agency_words(), _outcome_words()
    counties = _county_forms()
    words: list[str] = []
    for word in parsed.words:
        pieces = _take_entities(word, counties, result.entities) if recognise_entities else [word]
        # Without filters, places and years stay in the text too (a query of only 旬阳 still finds 旬阳).
        words.extend(pieces if as_filters else [word])
    if recognise_entities:
        for word in words:
            for table, facet in ((agencies, "agency"), (outcomes, "outcome")):
                for trigger in sorted(table, key=len, reverse=True):
                    if trigger in word:
                        result.entities.append(Entity(facet, table[trigger], trigger))
                        break
            topic = lex.topics.get(word)
            if topic:
                result.entities.append(Entity("topic", topic, word))
        # Nothing but places, years, agencies and outcomes (no phrases, no other words): filters —
        # only where that reading is unambiguous. An agency named together with an outcome
        # (劳动监察 责令整改) describes a procedure in words, and the AND of two such facets would
        # keep only the few cases coded with both: searched as text with boosts instead.
        leftover = [w for w in words if w not in agencies and w not in outcomes]
        procedural = {e.facet for e in result.entities if e.facet in ("agency", "outcome")}
        if (
            as_filters
            and result.entities
            and not leftover
            and len(procedural) <= 1
            and not parsed.phrases
            and not parsed.excluded
        ):
            for entity in result.entities:
                if entity.facet == "topic":
                    continue
                values = result.filters.setdefault(entity.facet, [])
                if entity.value not in values:
                    values.append(entity.value)
            result.text = TextQuery()
            return result
    corrections: dict[str, str] = {}
    text = TextQuery()
    for word in words:
        terms = split_word(normalize(word), lex, corrections)
        for term in list(terms):
            # a worker's phrase also searches the plain words inside it (被辞退 → 辞退)
            if term in lex.colloquial and len(term) >= 3:
                terms += [t for t in inner_terms(term, lex) if t not in terms]
        procedural_word = recognise_entities and (word in agencies or word in outcomes)
        for term in terms:
            clause = _clause(term, lex, corrections)
            if recognise_entities and (procedural_word or term in agencies or term in outcomes):
                clause = replace(clause, entity=True)
            text.should.append(clause)
        if len(terms) > 1 and word not in terms:
            # the whole word as typed still counts, as an exact phrase (once)
            text.should.append(
                TermClause(alternatives=(Alternative(word, bag=False),), entity=procedural_word)
            )
    text.must = [Phrase(p) for p in parsed.phrases]
    text.must_not = [Phrase(p) for p in parsed.excluded]
    result.text = text
    result.corrections = corrections
    seen = set()
    for entity in result.entities:
        key = (entity.facet, entity.value)
        if key not in seen:
            seen.add(key)
            result.multipliers.append(
                (ENTITY_FIELDS[entity.facet], entity.value, ENTITY_FACTORS[entity.facet])
            )
    if corrections:
        suggestion = normalize(q)
        for typed, corrected in corrections.items():
            suggestion = suggestion.replace(typed, corrected)
        result.suggestion = suggestion.strip()
    return result


def near_suggestion(q: str, lex: Lexicon) -> str:
    """For a query that found little: the query with near-miss words replaced, or ""."""
    text = normalize(q)
    changed = False
    for word in parse_query_string(q).words:
        for run in re.findall(r"[\u3400-\u9fff]{2,}", word):
            if lex.is_known(run):
                continue
            for length in range(min(6, len(run)), 1, -1):
                replaced = False
                for start in range(0, len(run) - length + 1):
                    piece = run[start : start + length]
                    candidate = lex.homophone(piece) or lex.near(piece)
                    if candidate:
                        text = text.replace(piece, candidate)
                        changed = True
                        replaced = True
                        break
                if replaced:
                    break
    return text.strip() if changed else ""
