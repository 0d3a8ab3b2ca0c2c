"""Near-duplicates: articles that retell one story, and an article that repeats its own text.

Reposts would otherwise inflate every count (pairs, agreements, sources), so views count
*stories*: groups of articles whose wording overlaps, each group named by its oldest member.
Similarity is Jaccard overlap of word sets (sentences) or word 3-shingles (articles), on
diacritic-folded lowercase words without stop words: cheap, deterministic, explainable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sinoread.ingest.fold import fold
from sinoread.models import Analysis, Article, as_json

STOP = frozenset(
    "a an the and or but of to in on at by for with from as is are was were be been has have had "
    "that this these those it its their they them he she his her we our you your not no also "
    "will would could should can may might do does did so than then there here which who whom "
    "what when where while into over under about after before between both each more most".split()
)
SAME_STORY = 0.35
"""Shingle overlap (of the smaller article) from which two articles retell one story."""
RESTATES = 0.3
"""Word-set overlap from which a sentence restates an earlier one of the same article or story
(paraphrase included: seed 002's second version of its text scores 0.3-0.5, fresh sentences < 0.15)."""
SELF_REPEAT = 0.2
"""Share of an article's sentences that restate an earlier one for it to count as repeating itself."""

_WORD = re.compile(r"\w+")


def words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(fold(text).casefold()) if w not in STOP and len(w) > 1)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def restates(a: str, b: str) -> bool:
    return similarity(words(a), words(b)) >= RESTATES


def shingles(text: str, n: int = 3) -> frozenset[tuple[str, ...]]:
    toks = [w for w in _WORD.findall(fold(text).casefold()) if w not in STOP]
    return frozenset(tuple(toks[i:i + n]) for i in range(max(len(toks) - n + 1, 0)))


def containment(a: frozenset, b: frozenset) -> float:
    """Overlap relative to the smaller set: a short repost inside a long piece still counts."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


@dataclass(frozen=True)
class SelfRepeat:
    """An article that tells its story twice (a scraped page with two versions of the text)."""

    article_id: str
    repeated: tuple[tuple[int, int], ...] = field(metadata=as_json("repeated_sentences", len))
    """(start, end) of each sentence that restates an earlier one (their number in JSON)."""
    share: float


def self_repeat(article: Article, analysis: Analysis) -> SelfRepeat | None:
    """The sentences of an article that restate earlier ones, when there are enough of them."""
    seen: list[frozenset[str]] = []
    repeated = []
    for s in analysis.sentences:
        w = words(article.text[s.start:s.end])
        if len(w) < 4:
            continue
        if any(similarity(w, earlier) >= RESTATES for earlier in seen):
            repeated.append((s.start, s.end))
        seen.append(w)
    share = len(repeated) / max(len(seen), 1)
    if len(repeated) >= 5 and share >= SELF_REPEAT:
        return SelfRepeat(article.id, tuple(repeated), round(share, 2))
    return None


@dataclass(frozen=True)
class Story:
    """Articles that retell one story; `id` is the oldest (then smallest id) member."""

    id: str = field(metadata=as_json("story"))
    articles: tuple[str, ...]
    similarity: float
    """The weakest link that joined the group (1.0 for a story told once)."""


def group_stories(articles: Sequence[Article]) -> list[Story]:
    """Articles grouped by overlapping wording (single-link), oldest member first."""
    sh = {a.id: shingles(a.text) for a in articles}
    ids = [a.id for a in articles]
    parent = {i: i for i in ids}
    weakest: dict[str, float] = {}

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Candidate pairs share a rare shingle: avoids comparing every pair at scale.
    postings: dict[tuple[str, ...], list[str]] = {}
    for i in ids:
        for g in sh[i]:
            postings.setdefault(g, []).append(i)
    candidates: set[tuple[str, str]] = set()
    for members in postings.values():
        if 1 < len(members) <= 50:
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    candidates.add((members[x], members[y]))
    for a, b in sorted(candidates):
        score = containment(sh[a], sh[b])
        if score >= SAME_STORY:
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[rb] = ra
            weakest[ra] = min(weakest.get(ra, 1.0), weakest.pop(rb, 1.0) if rb != ra else 1.0, score)
    by_date = {a.id: (a.date or "9999", a.id) for a in articles}
    groups: dict[str, list[str]] = {}
    for i in ids:
        groups.setdefault(root(i), []).append(i)
    stories = []
    for r, members in groups.items():
        members.sort(key=lambda i: by_date[i])
        stories.append(Story(members[0], tuple(members), round(weakest.get(r, 1.0), 2) if len(members) > 1 else 1.0))
    stories.sort(key=lambda s: by_date[s.id])
    return stories


def story_of(stories: Iterable[Story]) -> dict[str, str]:
    """Article id -> its story's id."""
    return {a: s.id for s in stories for a in s.articles}
