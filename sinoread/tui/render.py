"""Mentions -> styled Content: the one place the reader's styles are chosen.

Article text is untrusted: it only ever becomes `Content(text)` (never markup) and is
styled by character offsets, so `[bold]` or `[@click=app.quit]` in an article is text.
Each kind has an attribute that survives NO_COLOR (bold, underline, italic, reverse).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from textual.content import Content, Span

from sinoread.models import Agreement, Analysis, Mention, Snippet

STYLES = {
    "country": "bold $text-warning",
    "place": "bold italic $text-warning",
    "dateline": "italic $text-warning",
    "person": "underline $text-success",
    "organization": "italic $text-primary",
}
CURRENT = "reverse bold"
TITLE = "bold $text-accent"
HIT = "reverse $accent"
SHARED = "bold underline"
TONE_GLYPH = {"cooperation": ("⊕ ", "bold $text-success"), "tension": ("⊖ ", "bold $text-error")}
STATUS_GLYPH = {
    "signed": "✔", "delivered": "▶", "ongoing": "↻", "pledged": "◆", "planned": "◇",
    "discussed": "?", "cancelled": "✘",
}
AGREEMENT_BADGE = "reverse bold $primary"
NOTE_GLYPH, NOTE_STYLE = "✎ ", "bold $text-accent"


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of an article, rendered, with where it sits in the text."""

    start: int
    end: int
    content: Content
    inserts: tuple[tuple[int, int], ...] = ()
    """(offset in the paragraph's text, length) of each badge put before a sentence."""

    def content_offset(self, text_offset: int) -> int:
        """Where a character of the article sits in `content`, badges included."""
        rel = text_offset - self.start
        return rel + sum(length for at, length in self.inserts if at <= rel)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans (separated by blank lines) of a cleaned article."""
    out, pos = [], 0
    for block in text.split("\n\n"):
        if block.strip():
            out.append((pos, pos + len(block)))
        pos += len(block) + 2
    return out


def legend() -> Content:
    return Content.assemble(
        ("Country", STYLES["country"]), "  ", ("Person", STYLES["person"]), "  ",
        ("Organisation", STYLES["organization"]), "  ", (" ✔ agreement ", AGREEMENT_BADGE), "  ",
        ("⊕", TONE_GLYPH["cooperation"][1]), " cooperation  ", ("⊖", TONE_GLYPH["tension"][1]), " tension",
    )


def badge(agreement: Agreement) -> str:
    return f" {STATUS_GLYPH.get(agreement.status, '•')} {agreement.status} · {agreement.kind} "


def render_article(
    text: str,
    analysis: Analysis,
    current: Mention | tuple[int, int] | None = None,
    hits: Iterable[tuple[int, int]] = (),
    shared: set[str] | None = None,
    unique: set[str] | None = None,
    agreement_notes: dict[int, str] | None = None,
    window: tuple[int, int] | None = None,
    noted: set[int] | None = None,
) -> list[Paragraph]:
    """Paragraphs with mentions styled, agreement badges, tone glyphs and emphasis.

    `shared`/`unique` are mention names to emphasise in a comparison; `window` limits the
    work to the paragraphs between two offsets (a long article is shown a part at a time);
    `noted` are offsets of sentences the analyst annotated (marked ✎).
    """
    noted = noted or set()
    hits = list(hits)
    cur = (current.start, current.end) if isinstance(current, Mention) else current
    agreements = {a.start: a for a in analysis.agreements}
    pair_sentences = {s.start: s for s in analysis.sentences if len(s.countries) >= 2 and s.tone in TONE_GLYPH}
    mention_starts = [m.start for m in analysis.mentions]
    cue_starts = [a.cue_start for a in analysis.agreements]
    out = []
    for p_start, p_end in paragraphs(text):
        if window and (p_end < window[0] or p_start > window[1]):
            continue
        spans: list[Span] = []
        for m in analysis.mentions[bisect_left(mention_starts, p_start):bisect_left(mention_starts, p_end)]:
            if m.end <= p_end:
                spans.append(Span(m.start - p_start, m.end - p_start, STYLES.get(m.kind, "bold")))
                if shared is not None and m.name in shared:
                    spans.append(Span(m.start - p_start, m.end - p_start, SHARED))
                if unique is not None and m.name in unique:
                    spans.append(Span(m.start - p_start, m.end - p_start, "italic"))
        for a in analysis.agreements[bisect_left(cue_starts, p_start):bisect_left(cue_starts, p_end)]:
            if p_start <= a.cue_start < p_end:
                spans.append(Span(a.cue_start - p_start, min(a.cue_end, p_end) - p_start, "bold underline"))
        for s, e in hits:
            if p_start <= s < p_end:
                spans.append(Span(s - p_start, min(e, p_end) - p_start, HIT))
        if cur and p_start <= cur[0] < p_end:
            spans.append(Span(cur[0] - p_start, min(cur[1], p_end) - p_start, CURRENT))
        body = Content(text[p_start:p_end], spans=spans, strip_control_codes=False)
        # Insert badges before sentences, from the end so offsets stay valid.
        inserts = []
        for start in sorted(set(agreements) | set(pair_sentences) | noted, reverse=True):
            if not (p_start <= start < p_end):
                continue
            parts: list[tuple[str, str]] = []
            if start in noted:
                parts.append((NOTE_GLYPH, NOTE_STYLE))
            if start in pair_sentences:
                parts.append(TONE_GLYPH[pair_sentences[start].tone])
            if start in agreements:
                parts.append((badge(agreements[start]), AGREEMENT_BADGE))
                note = (agreement_notes or {}).get(start)
                if note:
                    parts.append((f" {note} ", SHARED if note == "shared" else "italic reverse"))
                parts.append((" ", ""))
            inserts.append((start - p_start, parts))
        for offset, parts in inserts:
            body = Content.assemble(body[:offset], *parts, body[offset:], strip_control_codes=False)
        shifts = tuple(sorted((offset, sum(len(t) for t, _ in parts)) for offset, parts in inserts))
        out.append(Paragraph(p_start, p_end, body, shifts))
    return out


def plain(text: str | None, style: str = "") -> Content:
    """Untrusted text as Content: shown as typed, never parsed as markup."""
    content = Content(text or "", strip_control_codes=False)
    return content.stylize(style) if style else content


def snippet(s: Snippet) -> Content:
    spans = [Span(a, b, HIT) for a, b in s.marks]
    return Content(s.text, spans=spans, strip_control_codes=False)


def sentence(text: str, tone: str) -> Content:
    glyph, style = TONE_GLYPH.get(tone, ("· ", "dim"))
    return Content.assemble((glyph, style), plain(text))
