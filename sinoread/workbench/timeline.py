"""The agreement timeline: every agreement of the corpus on one time axis, restatements folded,
counts per year per pair, and lifecycle chains (intent -> pledge -> signing -> delivery)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import Any

from sinoread.models import OMIT, Analysis, Article, as_json
from sinoread.workbench.stories import Story, group_stories, restates, story_of

STAGES = ("discussed", "planned", "pledged", "signed", "delivered", "ongoing", "cancelled")
"""Lifecycle order of agreement statuses: a chain advances when a later entry has a later stage."""


@dataclass(frozen=True)
class Restated:
    """A later sentence of the same story that says an agreement again."""

    article_id: str
    offset: int


@dataclass(frozen=True)
class TimelineEntry:
    """One agreement, dated, with where it was reported and what restates it."""

    date: str | None
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD`; None when neither sentence nor article gives one."""
    date_origin: str | None
    """`sentence` (the sentence states it) or `article` (the article's date)."""
    sentence: str
    kind: str
    status: str
    parties: tuple[str, ...]
    article_id: str
    title: str | None
    source: str | None
    author: str | None
    start: int = field(metadata=as_json("offset"))
    end: int = field(metadata=OMIT)
    story: str
    """Id of the story (group of near-duplicate articles) it was reported in."""
    restated: tuple[Restated, ...] = ()
    """Later sentences in the same story that say it again."""
    chain: str | None = None
    """Lifecycle chain id (`China–Vietnam · patrol`) when the pair and kind recur across articles."""

    @property
    def pairs(self) -> list[tuple[str, str]]:
        return [tuple(sorted(p)) for p in combinations(sorted(set(self.parties)), 2)]  # type: ignore[misc]

    @property
    def year(self) -> str | None:
        return self.date[:4] if self.date else None


def pair_label(pair: Sequence[str]) -> str:
    return " – ".join(sorted(pair))


def build_timeline(docs: Iterable[tuple[Article, Analysis]], stories: list[Story] | None = None) -> list[TimelineEntry]:
    """Every agreement of the corpus, sorted by date (undated last); a sentence that restates an
    earlier agreement of the same story (same pair and kind) is folded into it."""
    docs = list(docs)
    stories = stories if stories is not None else group_stories([a for a, _ in docs])
    story = story_of(stories)
    order = {a.id: i for i, a in enumerate(sorted((a for a, _ in docs), key=lambda a: (a.date or "9999", a.id)))}
    entries: list[TimelineEntry] = []
    kept: dict[tuple[str, frozenset[str], str], list[int]] = {}
    for article, analysis in sorted(docs, key=lambda d: order[d[0].id]):
        for g in analysis.agreements:
            e = TimelineEntry(
                date=g.date, date_origin=g.date_origin, sentence=g.sentence, kind=g.kind, status=g.status,
                parties=g.parties, article_id=article.id, title=article.title, source=article.source,
                author=article.author, start=g.start, end=g.end, story=story.get(article.id, article.id),
            )
            key = (e.story, frozenset(e.parties), e.kind)
            earlier = next((i for i in kept.get(key, []) if restates(entries[i].sentence, e.sentence)), None)
            if earlier is not None:
                first = entries[earlier]
                entries[earlier] = replace(first, restated=first.restated + (Restated(e.article_id, e.start),))
                continue
            kept.setdefault(key, []).append(len(entries))
            entries.append(e)
    entries = _with_chains(entries)
    entries.sort(key=lambda e: (e.date is None, e.date or "", e.article_id, e.start))
    return entries


def _with_chains(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    groups: dict[tuple[tuple[str, str], str], list[int]] = {}
    for i, e in enumerate(entries):
        for p in e.pairs:
            groups.setdefault((p, e.kind), []).append(i)
    out = list(entries)
    for (pair, kind), idx in groups.items():
        stories = {entries[i].story for i in idx}
        if len(stories) >= 2:  # the same subject reported in two stories: a lifecycle to follow
            label = f"{pair_label(pair)} · {kind}"
            for i in idx:
                if out[i].chain is None:
                    out[i] = replace(out[i], chain=label)
    return out


def filter_timeline(
    entries: Iterable[TimelineEntry], pair: tuple[str, str] | None = None, kind: str | None = None,
    source: str | None = None,
) -> list[TimelineEntry]:
    """Entries binding both countries of `pair`, of `kind`, reported by `source` (case-insensitive)."""
    out = []
    for e in entries:
        if pair and not set(pair) <= set(e.parties):
            continue
        if kind and e.kind != kind:
            continue
        if source and (e.source or "").casefold() != source.casefold():
            continue
        out.append(e)
    return out


def per_year(entries: Iterable[TimelineEntry]) -> dict[str, dict[str, int]]:
    """Pair label -> year -> number of dated agreements: the chart's data."""
    counts: dict[str, dict[str, int]] = {}
    for e in entries:
        if e.year is None:
            continue
        for p in e.pairs:
            row = counts.setdefault(pair_label(p), {})
            row[e.year] = row.get(e.year, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: -sum(kv[1].values())))


@dataclass(frozen=True)
class Chain:
    """Agreements between one pair on one subject, across stories, in date order."""

    label: str
    stages: tuple[str, ...]
    advances: bool
    """True when a later report moves the agreement on (pledged, then delivered)."""
    entries: tuple[TimelineEntry, ...] = field(metadata=as_json("articles", lambda es: [e.article_id for e in es]))

    @classmethod
    def of(cls, label: str, entries: tuple[TimelineEntry, ...]) -> Chain:
        stages = tuple(e.status for e in entries)
        ranks = [STAGES.index(s) if s in STAGES else 0 for s in stages]
        return cls(label, stages, any(b > a for a, b in zip(ranks, ranks[1:], strict=False)), entries)

    def steps(self) -> list[tuple[str, str | None, str, int]]:
        """(status, date, article id, how many in a row): repeats in one article told once."""
        out: list[tuple[str, str | None, str, int]] = []
        for e in self.entries:
            if out and out[-1][:3] == (e.status, e.date, e.article_id):
                out[-1] = (*out[-1][:3], out[-1][3] + 1)
            else:
                out.append((e.status, e.date, e.article_id, 1))
        return out


def chains(entries: Iterable[TimelineEntry]) -> list[Chain]:
    by: dict[str, list[TimelineEntry]] = {}
    for e in entries:
        if e.chain:
            by.setdefault(e.chain, []).append(e)
    out = []
    for label, es in by.items():
        es.sort(key=lambda e: (e.date is None, e.date or "", STAGES.index(e.status) if e.status in STAGES else 0))
        out.append(Chain.of(label, tuple(es)))
    out.sort(key=lambda c: (-len(c.entries), c.label))
    return out


def parse_filter(text: str, resolve_country: Any, kinds: Iterable[str]) -> tuple[tuple[str, str] | None, str | None, str | None]:
    """`china vietnam kind:patrol source:"Global Research"` -> (pair, kind, source).

    Country names may be several words (`south korea`) or any alias; ValueError says what is wrong."""
    import shlex

    kinds = set(kinds)
    try:
        words = shlex.split(text)
    except ValueError:
        raise ValueError('unbalanced quote: every " needs a closing "') from None
    kind = source = None
    names: list[str] = []
    for w in words:
        key, sep, value = w.partition(":")
        if sep and key.lower() == "kind":
            if value.lower() not in set(kinds):
                raise ValueError(f"unknown kind {value!r}; one of: {', '.join(sorted(kinds))}")
            kind = value.lower()
        elif sep and key.lower() == "source":
            source = value
        elif sep:
            raise ValueError(f"unknown filter {key!r}; use countries, kind: or source:")
        else:
            names.append(w)
    countries: list[str] = []
    i = 0
    while i < len(names):
        for j in range(len(names), i, -1):  # the longest run of words that names a country
            c = resolve_country(" ".join(names[i:j]))
            if c:
                countries.append(c)
                i = j
                break
        else:
            raise ValueError(f"unknown country {names[i]!r}; try a name, capital or demonym")
    if len(countries) == 1:
        raise ValueError(f"{countries[0]} and which other country? Type two")
    if len(countries) > 2:
        raise ValueError("type at most two countries")
    if countries and countries[0] == countries[1]:
        raise ValueError(f"both name {countries[0]}; type two different countries")
    return (countries[0], countries[1]) if countries else None, kind, source
