"""Sources: articles and distinct stories per outlet and author; reposts and self-repeats."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from sinoread.tui import render
from sinoread.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from sinoread.tui.app import SinoreadApp


class SourcesScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back", id="sources.back")]

    app: SinoreadApp
    """Textual's `app`, typed for the checker: this screen asks the reader for data."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content.styled("Articles per source and author; a story told by several articles (reposts) counts once", "dim"),
                     id="sources-help")
        yield DataTable(id="sources-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="sources-duplicates")
        yield KeyBar()

    def on_mount(self) -> None:
        wb: Any = self.app.workbench
        table = self.query_one(DataTable)
        table.add_columns("Source", "Author", "Articles", "Stories")
        for c in wb.sources():
            table.add_row(Text(c.source or "(unknown)"), Text(c.author or "(unknown)"),
                          Text(str(c.articles), justify="right"), Text(str(c.stories), justify="right"))
        titles = {i: (a.title or i) for i, a in wb.articles.items()}
        lines: list[Any] = []
        for s in wb.stories:
            if len(s.articles) > 1:
                lines += [("≡ same story: ", "bold"), render.plain(" · ".join(titles[i] for i in s.articles)),
                          (f"  (overlap ≥ {s.similarity})\n", "dim")]
        for r in wb.self_repeats.values():
            lines += [("↺ repeats its own text: ", "bold"), render.plain(titles[r.article_id]),
                      (f"  ({len(r.repeated)} sentences restate earlier ones; counted once in the timeline)\n", "dim")]
        if not lines:
            lines = [("No reposts or self-repeating articles found", "dim")]
        self.query_one("#sources-duplicates", Static).update(Content.assemble(*lines, strip_control_codes=False))
        table.focus()
