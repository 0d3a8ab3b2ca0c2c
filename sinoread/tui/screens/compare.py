"""Side by side: two or three articles in columns; what they share and what only one says."""

from __future__ import annotations

from collections import Counter
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from sinoread.models import Analysis, Article
from sinoread.tui import render
from sinoread.tui.widgets.key_bar import KeyBar
from sinoread.tui.widgets.reader import ArticleReader, meta_line

ENTITY_KINDS = ("country", "person", "organization")


def agreement_key(a: Any) -> tuple[str, frozenset[str]]:
    return (a.kind, frozenset(a.parties))


def comparison(items: list[tuple[Article, Analysis]]) -> tuple[list[set[str]], set[str], list[set[tuple[str, frozenset[str]]]]]:
    """Per column: its entity names; the names in two or more columns; its agreement keys."""
    names = [{m.name for m in an.mentions if m.kind in ENTITY_KINDS} for _, an in items]
    counts = Counter(n for s in names for n in s)
    shared = {n for n, c in counts.items() if c >= 2}
    agreements = [{agreement_key(a) for a in an.agreements} for _, an in items]
    return names, shared, agreements


class CompareScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="compare.back"),
        Binding("right,l", "focus_column(1)", "Next column", id="compare.next-column"),
        Binding("left,h", "focus_column(-1)", "Prev column", id="compare.previous-column"),
    ]

    def __init__(self, items: list[tuple[Article, Analysis]]) -> None:
        super().__init__()
        self.items = items

    def compose(self) -> ComposeResult:
        names, shared, agreement_keys = comparison(self.items)
        yield Header()
        yield Static(Content.assemble(
            ("Shared", render.SHARED), " in two or more columns · ", ("only here", "italic reverse"),
            " = reported by this article alone · ←/→ change column, each scrolls on its own",
        ), id="compare-help")
        with Horizontal(id="columns"):
            for i, (article, analysis) in enumerate(self.items):
                others = set().union(*(k for j, k in enumerate(agreement_keys) if j != i))
                notes = {
                    a.start: ("shared" if agreement_key(a) in others else "only here") for a in analysis.agreements
                }
                unique = names[i] - shared
                with Vertical(classes="column"):
                    yield Static(render.plain(article.title or article.id, "bold"), classes="column-title")
                    yield Static(meta_line(article), classes="column-meta")
                    only = sorted(n for n in unique if any(m.name == n and m.kind != "country" for m in analysis.mentions))
                    yield Static(Content.assemble(
                        ("only here: ", "dim"), render.plain(", ".join(only[:8]) or "—", "italic"),
                        strip_control_codes=False,
                    ), classes="column-unique")
                    yield ArticleReader(id=f"column-{i}", shared=shared, unique=unique, agreement_notes=notes)
        yield KeyBar()

    def on_mount(self) -> None:
        for i, (article, analysis) in enumerate(self.items):
            self.query_one(f"#column-{i}", ArticleReader).show(article, analysis)
        self.query_one("#column-0", ArticleReader).focus()

    def action_focus_column(self, step: int) -> None:
        readers = list(self.query(ArticleReader))
        current = self.focused if isinstance(self.focused, ArticleReader) else readers[0]
        index = (readers.index(current) + step) % len(readers)
        readers[index].focus()
