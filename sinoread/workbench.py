"""Corpus-wide views of one index generation: stories, timeline, actors, sources.

They need every article's analysis, so they are computed once per generation (the app does
it in a worker) and then answer instantly.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from sinoread.actors import ActorIndex
from sinoread.config import Config
from sinoread.models import Analysis, Article
from sinoread.stories import SelfRepeat, Story, group_stories, self_repeat, story_of
from sinoread.timeline import TimelineEntry, build_timeline


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
        self.rows_by_id: dict[str, dict[str, Any]] = {
            a.id: {"id": a.id, "title": a.title, "source": a.source, "author": a.author, "date": a.date}
            for a, _ in docs
        }

    def distinct_stories(self, article_ids: list[str]) -> int:
        """How many different stories these articles tell (reposts counted once)."""
        return len({self.story_of.get(i, i) for i in article_ids})

    def with_stories(self, pair: dict[str, Any]) -> dict[str, Any]:
        """A pair result with its distinct-story count and each article's story."""
        ids = [a["id"] for a in pair["articles"]]
        arts = [a | {"story": self.story_of.get(a["id"], a["id"])} for a in pair["articles"]]
        return pair | {"articles": arts, "distinct_stories": self.distinct_stories(ids)}

    def sources(self) -> list[SourceCount]:
        """Articles and distinct stories per source and author."""
        groups: dict[tuple[str | None, str | None], list[str]] = {}
        for a in self.articles.values():
            groups.setdefault((a.source, a.author), []).append(a.id)
        out = [SourceCount(s, au, len(ids), self.distinct_stories(ids)) for (s, au), ids in groups.items()]
        out.sort(key=lambda c: (-c.articles, c.source or "~", c.author or "~"))
        return out

    def per_source(self) -> Counter[str | None]:
        return Counter(a.source for a in self.articles.values())


def source_plain(c: SourceCount) -> dict[str, Any]:
    return {"source": c.source, "author": c.author, "articles": c.articles, "stories": c.stories}
