"""What the query side knows about words: synonyms, the legal concept dictionary, topics,
and the library's own vocabulary with its pinyin (for typo correction).

Everything here is read from the database at query time and cached per process; one
cheap aggregate per table tells whether the cache is still current, so an edit in the
admin (a synonym, a concept, a topic) or a newly published case applies to the next
search on both backends without reindexing.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Max

from .analysis import HAN_RUN, jieba_tokens
from .models import ConceptEntry, ConceptKind, SynonymGroup, Topic, TypicalCase, TypicalCaseStatus
from .synonyms import build_synonym_map

# The vocabulary is built from the newest published cases (titles, keywords, topics and
# summaries): enough to know the library's words, bounded so a 100,000-case library
# builds it in a few seconds once per change.
VOCABULARY_CASES = 3000
MAX_TERM_CHARS = 8
_HAN_ONLY = re.compile(r"^[\u3400-\u9fff]+$")

_lock = threading.Lock()
_cache: dict[tuple, Lexicon] = {}


def _pinyin(text: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin

    return tuple(lazy_pinyin(text, errors="ignore"))


@dataclass
class Lexicon:
    synonyms: dict[str, list[str]] = field(default_factory=dict)
    concepts: dict[str, list[str]] = field(default_factory=dict)
    colloquial: set[str] = field(default_factory=set)  # concept terms that are a worker's phrasing
    topics: dict[str, str] = field(default_factory=dict)  # name or alias → topic name
    frequency: Counter = field(default_factory=Counter)  # word → how often the library uses it
    _by_pinyin: dict[tuple[str, ...], str] | None = None

    @property
    def known(self) -> set[str]:
        """Words the query side recognises as a whole (for splitting a long query word)."""
        words = set(self.frequency)
        words.update(self.synonyms)
        words.update(self.concepts)
        words.update(self.topics)
        return words

    def is_known(self, word: str) -> bool:
        return (
            word in self.frequency
            or word in self.synonyms
            or word in self.concepts
            or word in self.topics
        )

    def by_pinyin(self) -> dict[tuple[str, ...], str]:
        """Toneless pinyin → the most used word that sounds like it (words of 2–6 characters)."""
        if self._by_pinyin is None:
            best: dict[tuple[str, ...], tuple[int, str]] = {}
            for word in self.known:
                if not 2 <= len(word) <= 6 or not _HAN_ONLY.match(word):
                    continue
                score = self.frequency.get(word, 0) + (
                    2 if word in self.concepts or word in self.synonyms else 0
                )
                key = _pinyin(word)
                if key not in best or score > best[key][0]:
                    best[key] = (score, word)
            self._by_pinyin = {key: word for key, (_score, word) in best.items()}
        return self._by_pinyin

    def homophone(self, text: str) -> str | None:
        """A library word that sounds exactly like `text` (加版费 → 加班费), if `text` is not a word itself."""
        if self.is_known(text) or not _HAN_ONLY.match(text):
            return None
        word = self.by_pinyin().get(_pinyin(text))
        return word if word and word != text else None

    def near(self, text: str) -> str | None:
        """A frequent library word one character away whose differing character sounds alike
        (same initial or same final): near-shape and near-sound typos, offered as a suggestion only."""
        if self.is_known(text) or not _HAN_ONLY.match(text) or len(text) < 2:
            return None
        typed = _pinyin(text)
        best: tuple[int, str] | None = None
        for word in self.known:
            if len(word) != len(text) or not _HAN_ONLY.match(word):
                continue
            count = self.frequency.get(word, 0) + (
                2 if word in self.concepts or word in self.synonyms else 0
            )
            if count < 2:
                continue
            diff = [i for i, (a, b) in enumerate(zip(word, text, strict=True)) if a != b]
            if len(diff) != 1:
                continue
            a, b = _pinyin(word[diff[0]])[0], typed[diff[0]]
            if a[:1] == b[:1] or a[-2:] == b[-2:]:
                if best is None or count > best[0]:
                    best = (count, word)
        return best[1] if best else None


def _state_key() -> tuple:
    parts = []
    for qs in (
        SynonymGroup.objects.filter(enabled=True),
        ConceptEntry.objects.filter(enabled=True),
        Topic.objects.filter(enabled=True),
    ):
        state = qs.aggregate(n=Count("id"), changed=Max("updated_at"))
        parts.append((state["n"], state["changed"]))
    cases = TypicalCase.objects.filter(status=TypicalCaseStatus.PUBLISHED).aggregate(
        n=Count("id"), changed=Max("updated_at")
    )
    parts.append((cases["n"], cases["changed"]))
    return tuple(parts)


def _vocabulary(topics: dict[str, str]) -> Counter:
    counts: Counter = Counter()
    rows = (
        TypicalCase.objects.filter(status=TypicalCaseStatus.PUBLISHED)
        .order_by("-published_at", "-id")
        .values_list("title", "tags", "summary")[:VOCABULARY_CASES]
    )
    for title, tags, summary in rows:
        text = " ".join([title, " ".join(str(t) for t in tags or []), summary or ""])
        for run in HAN_RUN.findall(text):
            for word in jieba_tokens(run):
                if 2 <= len(word) <= MAX_TERM_CHARS:
                    counts[word] += 1
    for name in topics.values():
        counts[name] += 1
    return counts


def build_lexicon() -> Lexicon:
    synonyms = build_synonym_map(
        list(SynonymGroup.objects.filter(enabled=True).values_list("rule", flat=True))
    )
    concepts: dict[str, list[str]] = {}
    colloquial: set[str] = set()
    for entry in ConceptEntry.objects.filter(enabled=True):
        if entry.kind == ConceptKind.COLLOQUIAL:
            colloquial.add(entry.term)
        bucket = concepts.setdefault(entry.term, [])
        bucket += [t for t in entry.expansion_list if t not in bucket]
    topics: dict[str, str] = {}
    for topic in Topic.objects.filter(enabled=True):
        topics[topic.name] = topic.name
        for alias in topic.alias_list:
            topics.setdefault(alias, topic.name)
    return Lexicon(
        synonyms=synonyms,
        concepts=concepts,
        colloquial=colloquial,
        topics=topics,
        frequency=_vocabulary(topics),
    )


def lexicon() -> Lexicon:
    key = _state_key()
    with _lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    built = build_lexicon()
    with _lock:
        _cache.clear()
        _cache[key] = built
    return built
