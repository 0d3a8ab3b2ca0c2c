"""The agreement timeline: agreements per year per pair as a chart, and every agreement below it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from sinoread.tui import render
from sinoread.tui.widgets.key_bar import KeyBar
from sinoread.workbench.timeline import (
    TimelineEntry,
    chains,
    filter_timeline,
    parse_filter,
    per_year,
)

if TYPE_CHECKING:
    from sinoread.tui.app import SinoreadApp

CHART_PAIRS = 4
"""Pairs drawn in the chart (the busiest); the rest are summed as `others`."""


class TimelineScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="timeline.back"),
        Binding("f", "focus_filter", "Filter", tooltip="Countries, kind:… source:…", id="timeline.filter"),
        Binding("g", "toggle_chart", "Chart", tooltip="Show or hide the chart", id="timeline.chart"),
    ]

    app: SinoreadApp
    """Textual's `app`, typed for the checker: this screen asks the reader for data."""

    def __init__(self, filter_text: str = "") -> None:
        super().__init__()
        self.filter_text = filter_text
        self.pair: tuple[str, str] | None = None
        self.kind: str | None = None
        self.source: str | None = None
        self.entries: list[TimelineEntry] = []

    def compose(self) -> ComposeResult:
        from textual_plotext import PlotextPlot  # imported here: only this screen draws charts

        yield Header()
        yield Input(value=self.filter_text, placeholder="filter: china vietnam  kind:patrol  source:\"Global Research\"  (Enter)",
                    id="timeline-filter")
        yield Static("", id="timeline-error")
        yield PlotextPlot(id="timeline-chart")
        yield Static("", id="timeline-summary")
        yield Static("", id="timeline-chains")
        yield OptionList(id="timeline-list")
        yield KeyBar()

    def on_mount(self) -> None:
        self.apply_filter(self.filter_text)
        self.query_one("#timeline-list").focus()

    @on(Input.Submitted, "#timeline-filter")
    def submitted(self, event: Input.Submitted) -> None:
        if self.apply_filter(event.value):
            self.query_one("#timeline-list").focus()

    def apply_filter(self, text: str) -> bool:
        wb = self.app.workbench
        error = self.query_one("#timeline-error", Static)
        cfg = self.app.index.cfg
        try:
            self.pair, self.kind, self.source = parse_filter(
                text, cfg.resolve_country, [c.label for c in cfg.kinds] + ["diplomatic"])
        except ValueError as exc:
            error.update(render.plain(f"⚠ {exc}", "bold $error"))
            return False
        error.update("")
        self.filter_text = text
        self.entries = filter_timeline(wb.timeline, pair=self.pair, kind=self.kind, source=self.source)
        self.draw_chart()
        self.fill_list()
        return True

    def draw_chart(self) -> None:
        from textual_plotext import PlotextPlot

        plot = self.query_one(PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        counts = per_year(self.entries)
        years = sorted({y for row in counts.values() for y in row})
        if not years:
            plt.title("No dated agreements for this filter")
            plot.refresh()
            return
        names = list(counts)[:CHART_PAIRS]
        series = [[counts[n].get(y, 0) for y in years] for n in names]
        if len(counts) > CHART_PAIRS:
            rest = list(counts)[CHART_PAIRS:]
            series.append([sum(counts[n].get(y, 0) for n in rest) for y in years])
            names.append(f"{len(rest)} other pairs")
        plt.stacked_bar(years, series, labels=names)
        plt.title("Agreements per year (dated by the sentence, else the article)")
        plot.refresh()

    def fill_list(self) -> None:
        what = " – ".join(self.pair) if self.pair else "all pairs"
        extra = " · ".join(x for x in (self.kind, self.source) if x)
        undated = sum(1 for e in self.entries if e.date is None)
        lifecycle = [c for c in chains(self.entries) if len(c.entries) > 1]
        summary = (f"{len(self.entries)} agreement(s) · {what}{' · ' + extra if extra else ''}"
                   f"{f' · {undated} undated (last)' if undated else ''}"
                   f"{f' · {len(lifecycle)} lifecycle chain(s) ⛓' if lifecycle else ''}"
                   "   Enter: read · x: export")
        self.query_one("#timeline-summary", Static).update(render.plain(summary, "bold"))
        self.query_one("#timeline-chains", Static).update(self.chains_content(lifecycle))
        options = [Option(self.entry_content(e), id=f"{i}") for i, e in enumerate(self.entries)]
        results = self.query_one(OptionList)
        results.clear_options()
        results.add_options(options)
        if options:
            results.highlighted = 0

    @staticmethod
    def chains_content(lifecycle: list[Any]) -> Content:
        """Each lifecycle as its stages in date order: `⛓ Japan – Vietnam · arms: pledged 2014 → delivered 2015`."""
        lines: list[Any] = []
        for c in lifecycle[:4]:
            text = " → ".join(f"{st}{f' ×{n}' if n > 1 else ''} {d or 'undated'}" for st, d, _art, n in c.steps())
            lines += [("⛓ ", "bold"), render.plain(c.label, "bold"), (": ", ""), render.plain(text, "dim"), ("\n", "")]
        if len(lifecycle) > 4:
            lines.append((f"+ {len(lifecycle) - 4} more chain(s): filter by pair or kind", "dim italic"))
        return Content.assemble(*lines, strip_control_codes=False).rstrip() if lines else Content("")

    @staticmethod
    def entry_content(e: TimelineEntry) -> Content:
        when = e.date or "undated"
        origin = " (article date)" if e.date and e.date_origin == "article" else ""
        parts: list[Any] = [
            (f"{when:<10}", "bold"), (origin, "dim"), ("  ", ""),
            (f" {render.STATUS_GLYPH.get(e.status, '•')} {e.status} · {e.kind} ", render.AGREEMENT_BADGE), ("  ", ""),
            render.plain(" – ".join(e.parties), "bold"), ("  ", ""),
            render.plain(e.source or e.article_id, "dim italic"),
        ]
        if e.chain:
            parts += [("  ⛓", "bold")]
        if e.restated:
            parts += [(f"  +{len(e.restated)} restated", "dim")]
        parts += [("\n  ", ""), render.plain(" ".join(e.sentence.split()))]
        return Content.assemble(*parts, strip_control_codes=False)

    @on(OptionList.OptionSelected, "#timeline-list")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        e = self.entries[int(event.option.id or 0)]
        self.app.open_article(e.article_id, at=e.start)

    def action_focus_filter(self) -> None:
        self.query_one("#timeline-filter", Input).focus()

    def action_toggle_chart(self) -> None:
        chart = self.query_one("#timeline-chart")
        chart.display = not chart.display

    def refresh_data(self) -> None:
        self.apply_filter(self.filter_text)

    def export_request(self) -> tuple[str, list[str], dict[str, str | None], str]:
        """(what, args, options, file name stem) for the export key."""
        args = list(self.pair) if self.pair else []
        stem = "timeline" + ("-" + "-".join(args) if args else "") + (f"-{self.kind}" if self.kind else "")
        return "timeline", args, {"kind": self.kind, "source": self.source}, stem
