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


class Marker:
    """Finds the query's terms in stored text (one compiled pattern per search)."""

    def __init__(self, terms: list[str]):
        terms = sorted({t for t in terms if t and len(t) >= 2}, key=len, reverse=True)
        self.pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE) if terms else None

    def spans(self, text: str) -> list[tuple[int, int]]:
        if self.pattern is None or not text:
            return []
        spans: list[tuple[int, int]] = []
        for m in self.pattern.finditer(text):
            start, end = m.span()
            if spans and start <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
            else:
                spans.append((start, end))
        return spans

    def mark(self, text: str, spans: list[tuple[int, int]] | None = None, offset: int = 0) -> str:
        """`text` with every match between sentinels (`spans` relative to `offset` if given)."""
        spans = self.spans(text) if spans is None else spans
        out, last = [], 0
        for start, end in spans:
            start, end = max(start - offset, 0), min(end - offset, len(text))
            if end <= last:
                continue
            out.append(text[last:start] + OPEN + text[start:end] + CLOSE)
            last = end
        out.append(text[last:])
        return "".join(out)

    def fragments(self, text: str, size: int = FRAGMENT_CHARS, limit: int = MAX_FRAGMENTS) -> list[str]:
        """Up to `limit` windows of about `size` characters around the densest matches."""
        spans = self.spans(text)
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
            inside = [(s, e) for s, e in spans if e > w_start and s < w_end]
            piece = self.mark(text[w_start:w_end], inside, offset=w_start)
            out.append(("…" if w_start > 0 else "") + piece + ("…" if w_end < len(text) else ""))
        return out


def mark(text: str, terms: list[str]) -> str:
    return Marker(terms).mark(text)


def fragments(text: str, terms: list[str], size: int = FRAGMENT_CHARS, limit: int = MAX_FRAGMENTS) -> list[str]:
    return Marker(terms).fragments(text, size, limit)


def finalize(title_marked: str | None, title: str, body_marked: list[str], summary: str) -> dict:
    """The `highlight` of a hit: an HTML title and HTML fragments (summary start if none matched)."""
    frags = [to_html(f) for f in body_marked if f]
    if not frags and summary:
        frags = [escape(summary[:FRAGMENT_CHARS]) + ("…" if len(summary) > FRAGMENT_CHARS else "")]
    return {"title": to_html(title_marked) if title_marked else escape(title), "fragments": frags}
