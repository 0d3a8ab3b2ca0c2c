"""Keyword search: Whoosh query syntax, snippets with hits, errors shown inline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from sinoread.tui import render
from sinoread.tui.failures import ReportsWorkerFailures

if TYPE_CHECKING:
    from sinoread.tui.app import SinoreadApp

HELP = "words, \"a phrase\", AND OR NOT, title: author: source: country: actor: pair:china-vietnam kind: status: tone: date:2021"


class SearchScreen(ReportsWorkerFailures, ModalScreen[tuple[str, str] | None]):
    """Dismisses with (article id, query) for the chosen hit, or None."""

    app: SinoreadApp
    """Textual's `app`, typed for the checker: this screen asks the reader for data."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close", id="search.close"),
        Binding("x", "app.export", "Export", tooltip="These results as Markdown, CSV or JSON", id="search.export"),
        Binding("down", "results", "Results", show=False, id="search.results"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial = query
        self.last_query = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box", classes="dialog"):
            yield Static(Content.styled("Search", "bold"), classes="dialog-title")
            yield Input(value=self.initial, placeholder="hotline   or   pair:china-vietnam kind:patrol", id="query")
            yield Static(Content.styled(HELP, "dim"), id="search-help")
            yield Static("", id="search-error")
            yield Static("", id="search-count")
            yield OptionList(id="results")

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()
        if self.initial:
            self.run_search(self.initial)

    @on(Input.Submitted, "#query")
    def submitted(self, event: Input.Submitted) -> None:
        if event.value.strip() == self.last_query and self.query_one(OptionList).option_count:
            self.action_results()
            return
        self.run_search(event.value)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, text: str) -> None:
        from sinoread.search import QueryError

        if self.app.searcher is None and self.app.building:
            self.app.call_from_thread(self.query_one("#search-count", Static).update,
                                      render.plain("searching as soon as the first articles are indexed ...", "dim"))
        try:
            result = self.app.run_search(text)
        except QueryError as exc:
            self.app.call_from_thread(self.show_error, str(exc))
            return
        self.app.call_from_thread(self.show_results, text, result)

    def show_error(self, message: str) -> None:
        self.query_one("#search-error", Static).update(render.plain(f"⚠ {message}", "bold $error"))
        self.query_one("#search-count", Static).update("")
        self.query_one(OptionList).clear_options()

    def show_results(self, text: str, result: Any) -> None:
        self.last_query = text.strip()
        self.query_one("#search-error", Static).update("")
        self.query_one("#search-count", Static).update(
            render.plain(f"{result.total} article(s) match; Enter opens at the first hit, n/N moves between hits")
        )
        results = self.query_one(OptionList)
        results.clear_options()
        results.add_options(
            Option(Content.assemble(
                render.plain(h.title or h.id, "bold"), ("  ", ""), render.plain(h.date or "", "dim"),
                ("\n", ""), render.snippet(h.snippet), strip_control_codes=False,
            ), id=h.id)
            for h in result.hits
        )
        if result.hits:
            results.highlighted = 0

    def action_results(self) -> None:
        results = self.query_one(OptionList)
        if results.option_count:
            results.focus()

    @on(OptionList.OptionSelected, "#results")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss((event.option.id or "", self.last_query))

    def export_request(self) -> tuple[str, list[str], dict[str, str | None], str] | None:
        if not self.last_query:
            return None
        return "search", [self.last_query], {}, "search-" + "-".join(self.last_query.split())[:40]
