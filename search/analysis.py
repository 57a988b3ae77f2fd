"""Chinese text analysis shared by the embedded index and the query side.

The embedded index stores the tokens of each text joined by spaces and lets
tantivy's whitespace tokenizer assign consecutive positions, so phrase queries
keep working whatever the analyzer. Three analyzers exist because
bench/search_speed.py measures them against each other:

* ``bigram`` (default): overlapping character bigrams over runs of Han characters,
  lower-cased words for other letters and digits — the same tokens as Elasticsearch's
  ``cjk_bigram`` filter, so both backends match the same way. Any word of two or more
  characters is a phrase of bigrams (欠薪 → [欠薪]; 拖欠工资 → [拖欠, 欠工, 工资]).
* ``unigram``: one token per Han character (phrase queries of characters).
* ``jieba``: jieba's search-mode segmentation (words and their sub-words).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_HAN}]+|[0-9A-Za-z]+")
HAN_RUN = re.compile(rf"[{_HAN}]+")
# Separates the values of a multi-valued field so that no phrase spans two values.
VALUE_SEPARATOR = "\u2016"


def normalize(text: str) -> str:
    """NFKC (full-width letters and digits → ASCII) and lower case."""
    text = text or ""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower()


def bigram_tokens(text: str) -> list[str]:
    out: list[str] = []
    for m in _RUN.finditer(normalize(text)):
        run = m.group()
        if "\u3400" <= run[0]:
            if len(run) == 1:
                out.append(run)
            else:
                out.extend(map(str.__add__, run[:-1], run[1:]))
        else:
            out.append(run)
    return out


def unigram_tokens(text: str) -> list[str]:
    out: list[str] = []
    for m in _RUN.finditer(normalize(text)):
        run = m.group()
        if "\u3400" <= run[0]:
            out.extend(run)
        else:
            out.append(run)
    return out


_jieba = None


def _jieba_module():
    global _jieba
    if _jieba is None:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        _jieba = jieba
    return _jieba


def jieba_tokens(text: str) -> list[str]:
    jieba = _jieba_module()
    out: list[str] = []
    for m in _RUN.finditer(normalize(text)):
        run = m.group()
        if "\u3400" <= run[0]:
            out.extend(w for w in jieba.cut_for_search(run, HMM=False) if w.strip())
        else:
            out.append(run)
    return out


ANALYZERS: dict[str, Callable[[str], list[str]]] = {
    "bigram": bigram_tokens,
    "unigram": unigram_tokens,
    "jieba": jieba_tokens,
}


def tokens(text: str, analyzer: str = "bigram") -> list[str]:
    return ANALYZERS[analyzer](text)


def index_text(values: str | list[str], analyzer: str = "bigram") -> str:
    """The text handed to the whitespace tokenizer: tokens joined by spaces."""
    if isinstance(values, str):
        values = [values]
    parts = [" ".join(tokens(v, analyzer)) for v in values if v]
    return f" {VALUE_SEPARATOR} ".join(p for p in parts if p)
