"""Highlighted fragments: engines mark matches with private-use sentinels, then
everything is HTML-escaped and only the sentinels become <mark> tags."""

from __future__ import annotations

import re

from django.utils.html import escape

OPEN = "\ue000"
CLOSE = "\ue001"
FRAGMENT_CHARS = 80
MAX_FRAGMENTS = 2


def to_html(marked: str) -> str:
    """Escape `marked` and turn its sentinels into <mark>; adjacent marks merge."""
    html = escape(marked).replace(CLOSE + OPEN, "")
    return html.replace(OPEN, "<mark>").replace(CLOSE, "</mark>")


def _spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    terms = [t for t in terms if t and len(t) >= 2]
    if not terms or not text:
        return []
    pattern = re.compile("|".join(re.escape(t) for t in sorted(set(terms), key=len, reverse=True)), re.IGNORECASE)
    spans: list[tuple[int, int]] = []
    for m in pattern.finditer(text):
        start, end = m.span()
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def mark(text: str, terms: list[str]) -> str:
    """The whole of `text` with every match of `terms` between sentinels."""
    out, last = [], 0
    for start, end in _spans(text, terms):
        out.append(text[last:start] + OPEN + text[start:end] + CLOSE)
        last = end
    out.append(text[last:])
    return "".join(out)


def fragments(text: str, terms: list[str], size: int = FRAGMENT_CHARS, limit: int = MAX_FRAGMENTS) -> list[str]:
    """Up to `limit` windows of about `size` characters around the densest matches."""
    spans = _spans(text, terms)
    if not spans:
        return []
    windows: list[tuple[int, int, int]] = []  # (matches covered, start, end)
    for start, _end in spans:
        w_start = max(0, start - size // 4)
        w_end = min(len(text), w_start + size)
        covered = sum(1 for s, e in spans if s >= w_start and e <= w_end)
        windows.append((covered, w_start, w_end))
    chosen: list[tuple[int, int]] = []
    for _covered, w_start, w_end in sorted(windows, key=lambda w: (-w[0], w[1])):
        if all(w_end <= s or w_start >= e for s, e in chosen):
            chosen.append((w_start, w_end))
        if len(chosen) >= limit:
            break
    out = []
    for w_start, w_end in sorted(chosen):
        piece = mark(text[w_start:w_end], terms)
        out.append(("…" if w_start > 0 else "") + piece + ("…" if w_end < len(text) else ""))
    return out


def finalize(title_marked: str | None, title: str, body_marked: list[str], summary: str) -> dict:
    """The `highlight` of a hit: an HTML title and HTML fragments (summary start if none matched)."""
    frags = [to_html(f) for f in body_marked if f]
    if not frags and summary:
        frags = [escape(summary[:FRAGMENT_CHARS]) + ("…" if len(summary) > FRAGMENT_CHARS else "")]
    return {"title": to_html(title_marked) if title_marked else escape(title), "fragments": frags}
