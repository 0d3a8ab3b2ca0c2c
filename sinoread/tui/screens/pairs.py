"""Country pairs: pick two countries by any alias; see where they meet, in what tone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from sinoread.tui import render
from sinoread.tui.failures import ReportsWorkerFailures

if TYPE_CHECKING:
    from sinoread.models import PairResult
    from sinoread.tui.app import SinoreadApp


class PairScreen(ReportsWorkerFailures, ModalScreen[tuple[str, int, tuple[str, str]] | None]):
    """Dismisses with (article id, offset of the first shared sentence, the pair)."""

    app: SinoreadApp
    """Textual's `app`, typed for the checker: this screen asks the reader for data."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close", id="pairs.close"),
        Binding("x", "app.export", "Export", tooltip="These results as Markdown, CSV or JSON", id="pairs.export"),
        Binding("a", "toggle_agreements", "Agreements/articles",
                tooltip="List every agreement binding the pair, or the articles", id="pairs.agreements"),
    ]

    def __init__(self, first: str = "", second: str = "") -> None:
        super().__init__()
        self.first, self.second = first, second
        self.result: PairResult | None = None
        self.agreements_only = False

    def compose(self) -> ComposeResult:
        names = self.app.country_aliases()
        suggester = SuggestFromList(names, case_sensitive=False)
        with Vertical(id="pair-box", classes="dialog"):
            yield Static(Content.styled("Country pair", "bold"), classes="dialog-title")
            with Horizontal(id="pair-inputs"):
                yield Input(value=self.first, placeholder="first country (China, Beijing, PRC…)", id="first", suggester=suggester)
                yield Input(value=self.second, placeholder="second country (Vietnam, Hanoi…)", id="second", suggester=suggester)
            yield Static(Content.styled("→ accepts a suggestion, Tab moves on, Enter searches", "dim"), id="pair-help")
            yield Static("", id="pair-error")
            yield Static("", id="pair-summary")
            yield OptionList(id="pair-results")

    def on_mount(self) -> None:
        if self.first and self.second:
            self.run_pair(self.first, self.second)
            self.query_one("#pair-results").focus()
        else:
            self.query_one("#first", Input).focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        first = self.query_one("#first", Input).value
        second = self.query_one("#second", Input).value
        if event.input.id == "first" and not second:
            self.query_one("#second", Input).focus()
            return
        self.run_pair(first, second)

    @work(thread=True, exclusive=True, group="pairs", exit_on_error=False)
    def run_pair(self, first: str, second: str) -> None:
        from sinoread.search import UnknownCountry

        try:
            result = self.app.run_pair(first, second)
        except UnknownCountry as exc:
            self.app.call_from_thread(self.show_error, str(exc))
            return
        self.app.call_from_thread(self.show_result, result)

    def show_error(self, message: str) -> None:
        self.query_one("#pair-error", Static).update(render.plain(f"⚠ {message}", "bold $error"))
        self.query_one(OptionList).clear_options()
        self.query_one("#pair-summary", Static).update("")

    def action_toggle_agreements(self) -> None:
        if isinstance(self.focused, Input):
            return
        self.agreements_only = not self.agreements_only
        if self.result is not None:
            self.show_result(self.result)

    def show_result(self, result: PairResult) -> None:
        self.result = result
        if self.agreements_only:
            self.show_agreements(result)
            return
        a, b = result.pair
        arts = result.articles
        n_sent = sum(len(x.sentences) for x in arts)
        n_agr = sum(len(x.agreements) for x in arts)
        self.query_one("#pair-error", Static).update("")
        stories = ""
        wb = self.app.workbench
        if wb is None:
            self.app.with_workbench(
                lambda: self.is_attached and self.result is not None and self.show_result(self.result))
        else:
            n = wb.distinct_stories([x.id for x in arts])
            stories = f" ({n} distinct stor{'y' if n == 1 else 'ies'})"
        self.query_one("#pair-summary", Static).update(render.plain(
            f"{a} – {b}: {len(arts)} article(s){stories}, {n_sent} sentence(s), {n_agr} agreement(s)"
            "  (a: list agreements · x: export)", "bold"))
        options = []
        for art in arts:
            glyph, style = render.TONE_GLYPH.get(art.tone, ("· ", "dim"))
            lines: list[Any] = [
                (glyph, style), render.plain(art.title or art.id, "bold"),
                render.plain(f"  {art.date or ''}  {art.tone}", "dim"),
            ]
            agreements = art.agreements
            for g in agreements[:2]:
                lines += [("\n  ", ""), (f" {render.STATUS_GLYPH.get(g.status, '•')} {g.status} · {g.kind} ", render.AGREEMENT_BADGE),
                          (" ", ""), render.plain(g.sentence)]
            said = {g.sentence for g in agreements}
            others = [s for s in art.sentences if s.text not in said]
            for s in others[:1]:
                lines += [("\n  ", ""), render.sentence(s.text, s.tone)]
            more_a, more_s = max(0, len(agreements) - 2), max(0, len(others) - 1)
            if more_a or more_s:
                lines += [("\n  ", ""), (f"+ {more_a} more agreement(s), {more_s} more sentence(s): Enter to read", "dim italic")]
            options.append(Option(Content.assemble(*lines, strip_control_codes=False), id=art.id))
        results = self.query_one(OptionList)
        results.clear_options()
        results.add_options(options)
        if options:
            results.highlighted = 0
            results.focus()  # the next step is to pick an article: Enter opens it

    def show_agreements(self, result: PairResult) -> None:
        """Every agreement binding the pair, one per line, oldest first."""
        rows = [(g, art) for art in result.articles for g in art.agreements]
        rows.sort(key=lambda r: (r[0].date or "9999", r[1].id, r[0].start))
        self.query_one("#pair-summary", Static).update(render.plain(
            f"{' – '.join(result.pair)}: {len(rows)} agreement(s) in {len(result.articles)} article(s)"
            "  (a: back to articles)", "bold"))
        options = [
            Option(Content.assemble(
                (f" {render.STATUS_GLYPH.get(g.status, '•')} {g.status} · {g.kind} ", render.AGREEMENT_BADGE),
                (f" {g.date or '—'} ", "bold"), render.plain(g.sentence), ("\n   ", ""),
                render.plain(f"{art.title or art.id}", "dim italic"), strip_control_codes=False,
            ), id=f"{art.id}@{g.start}")
            for g, art in rows
        ]
        results = self.query_one(OptionList)
        results.clear_options()
        results.add_options(options)
        if options:
            results.highlighted = 0

    @on(OptionList.OptionSelected, "#pair-results")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        assert self.result is not None
        art_id, _, start = (event.option.id or "").partition("@")
        art = next(a for a in self.result.articles if a.id == art_id)
        offset = int(start) if start else (art.sentences[0].start if art.sentences else 0)
        a, b = self.result.pair
        self.dismiss((art.id, offset, (a, b)))

    def export_request(self) -> tuple[str, list[str], dict[str, str | None], str] | None:
        if self.result is None:
            return None
        a, b = self.result.pair
        return "pair", [a, b], {}, f"pair-{a}-{b}"

    def refresh_data(self) -> None:
        """The corpus changed: ask again."""
        if self.result is not None:
            self.run_pair(*self.result.pair)
