"""Command palette (ctrl+p): open articles, pairs, searches and screens by name."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from sinoread.tui import render

if TYPE_CHECKING:
    from sinoread.tui.app import SinoreadApp

SCREENS = [
    ("Search articles", "action_search", "Keyword search with Whoosh syntax (/)"),
    ("Pair matrix", "action_matrix", "All country pairs of the corpus (m)"),
    ("Country pair…", "action_pairs", "Pick two countries (p)"),
    ("Compare marked articles", "action_compare", "Side by side (c)"),
    ("Agreement timeline", "action_timeline", "Every agreement by year, per pair (T)"),
    ("Actors", "action_actors", "People and organisations across the corpus (A)"),
    ("Notes and stars", "action_notes", "Your notes and starred articles (B)"),
    ("Sources and reposts", "action_sources", "Articles per source; repeated stories (S)"),
    ("Export this view", "action_export", "Markdown, CSV or JSON (x)"),
    ("Keys and help", "action_help", "Every binding (?)"),
    ("Toggle theme", "action_toggle_theme", "Dark or light (t)"),
]


class SinoreadCommands(Provider):
    """Matches are scored with Textual's fuzzy matcher but shown as plain Content:
    `Matcher.highlight` parses its candidate as markup, and titles are untrusted."""

    async def discover(self) -> Hits:
        for name, action, help_text in SCREENS:
            yield DiscoveryHit(name, getattr(self.app, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        app = cast("SinoreadApp", self.app)
        for name, action, help_text in SCREENS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, Content(name), getattr(app, action), text=name, help=help_text)
        for row in app.article_rows():
            title = row.title or row.id
            score = max(matcher.match(title), matcher.match(row.id))
            if score > 0:
                yield Hit(score * 0.9, render.plain(f"Open: {title}"), partial(app.open_article, row.id),
                          text=f"Open: {title}", help=f"{row.id} · {row.source or ''} {row.date or ''}")
        for pair in app.pair_names():
            label = f"Pair: {pair[0]} – {pair[1]}"
            score = matcher.match(label)
            if score > 0:
                yield Hit(score * 0.8, Content(label), partial(app.action_pairs, pair[0], pair[1]), text=label)
        if query.strip():
            label = f"Search for: {query}"
            yield Hit(0.05, render.plain(label), partial(app.action_search, query), text=label,
                      help="Run this as a keyword search")
