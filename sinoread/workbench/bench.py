"""Corpus-wide views of one index generation: stories, timeline, actors, sources.

They need every article's analysis, so they are computed once per generation (the app does
it in a worker) and then answer instantly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sinoread.config import Config
from sinoread.models import Analysis, Article
from sinoread.workbench.actors import ActorIndex
from sinoread.workbench.stories import SelfRepeat, Story, group_stories, self_repeat, story_of
from sinoread.workbench.timeline import TimelineEntry, build_timeline


@dataclass(frozen=True)
class SourceCount:
    source: str | None
    author: str | None
    articles: int
    stories: int


class Workbench:
    def __init__(self, docs: list[tuple[Article, Analysis]], cfg: Config) -> None:
        self.cfg = cfg
        self.docs = docs
        self.articles = {a.id: a for a, _ in docs}
        self.stories: list[Story] = group_stories([a for a, _ in docs])
        self.story_of = story_of(self.stories)
        self.self_repeats: dict[str, SelfRepeat] = {}
        for a, an in docs:
            r = self_repeat(a, an)
            if r:
                self.self_repeats[a.id] = r
        self.timeline: list[TimelineEntry] = build_timeline(docs, self.stories)
        self.actors = ActorIndex(docs, cfg)

    def distinct_stories(self, article_ids: list[str]) -> int:
        """How many different stories these articles tell (reposts counted once)."""
        return len({self.story_of.get(i, i) for i in article_ids})

    def sources(self) -> list[SourceCount]:
        """Articles and distinct stories per source and author."""
        groups: dict[tuple[str | None, str | None], list[str]] = {}
        for a in self.articles.values():
            groups.setdefault((a.source, a.author), []).append(a.id)
        out = [SourceCount(s, au, len(ids), self.distinct_stories(ids)) for (s, au), ids in groups.items()]
        out.sort(key=lambda c: (-c.articles, c.source or "~", c.author or "~"))
        return out


class ReportRequestError(ValueError):
    """A report asked for with missing or wrong arguments; the message says what to give."""


def resolve_pair(cfg: Config, names: list[str]) -> tuple[str, str] | None:
    """Two country names (any alias) -> canonical pair; none -> None; else ReportRequestError."""
    if not names:
        return None
    if len(names) != 2:
        raise ReportRequestError("give two countries (or none), e.g. China Vietnam")
    found = []
    for n in names:
        c = cfg.resolve_country(n)
        if c is None:
            raise ReportRequestError(f"unknown country {n!r}; try a name, capital or demonym (China, Hanoi, Russian)")
        found.append(c)
    if found[0] == found[1]:
        raise ReportRequestError(f"{names[0]!r} and {names[1]!r} are both {found[0]}; name two different countries")
    return found[0], found[1]


def check_kind(cfg: Config, kind: str | None) -> str | None:
    kinds = {c.label for c in cfg.kinds} | {"diplomatic"}
    if kind and kind.lower() not in kinds:
        raise ReportRequestError(f"unknown kind {kind!r}; one of: {', '.join(sorted(kinds))}")
    return kind.lower() if kind else None


def make_report(what: str, args: list[str], search: Any, wb: Workbench, notes: Any = None,
                kind: str | None = None, source: str | None = None) -> Any:
    """The report for `what` (pair A B | search QUERY | timeline [A B] | article ID | notes [QUERY])."""
    from sinoread.search import QueryError, UnknownCountry
    from sinoread.workbench import report as rp
    from sinoread.workbench.notes import anchor_all
    from sinoread.workbench.timeline import filter_timeline, pair_label

    cfg = wb.cfg
    kind = check_kind(cfg, kind)

    def pair_of(names: list[str], needed: bool) -> tuple[str, str] | None:
        if not names and needed:
            raise ReportRequestError(f"{what} needs two countries, e.g. China Vietnam")
        return resolve_pair(cfg, names)

    if what == "pair":
        pair = pair_of(args, True)
        assert pair is not None
        try:
            result = search.pair(*pair)
        except UnknownCountry as exc:
            raise ReportRequestError(str(exc)) from None
        stories = wb.distinct_stories([x.id for x in result.articles])
        return rp.pair_report(result, filter_timeline(wb.timeline, pair=pair, kind=kind), wb.articles, stories)
    if what == "search":
        if not args:
            raise ReportRequestError("export search needs a query, e.g. export search hotline")
        try:
            return rp.search_report(search.keyword(" ".join(args), limit=100), wb.articles)
        except (QueryError, UnknownCountry) as exc:
            raise ReportRequestError(f"bad query: {exc}") from None
    if what == "timeline":
        pair = pair_of(args, False)
        subject = " · ".join(x for x in (pair_label(pair) if pair else "all pairs", kind, source) if x)
        entries = filter_timeline(wb.timeline, pair=pair, kind=kind, source=source)
        return rp.timeline_report(entries, wb.articles, subject)
    if what == "article":
        if len(args) != 1:
            raise ReportRequestError("export article needs one article ID (see `sinoread articles`)")
        try:
            art_id = search.resolve(args[0])
        except LookupError as exc:
            raise ReportRequestError(str(exc)) from None
        got = search.article(art_id)
        if got is None:
            raise ReportRequestError(f"no article {art_id!r}; see `sinoread articles`")
        mine = anchor_all(notes.notes(article_id=art_id), search.article) if notes is not None else []
        starred = notes is not None and art_id in notes.stars()
        return rp.article_report(got[0], got[1], mine, starred)
    if what == "notes":
        query = " ".join(args) or None
        found = anchor_all(notes.notes(query=query), search.article) if notes is not None else []
        return rp.notes_report(found, wb.articles, query)
    raise ReportRequestError(f"nothing to export called {what!r}; one of pair, search, timeline, article, notes")
