"""The pair matrix: every country pair of the corpus, shaded by count, tone marked."""

from __future__ import annotations

from collections import Counter
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from sinoread.tui.screens.pairs import PairScreen
from sinoread.tui.widgets.key_bar import KeyBar

MAX_COUNTRIES = 16
SHADES = ("", "on grey19", "on grey27", "on grey35", "on grey46")


def cell(row: dict[str, Any] | None, top: int) -> Text:
    """Article count; + for mostly cooperation, − for mostly tension (visible without colour)."""
    if row is None:
        return Text("·", style="dim", justify="center")
    n = row["articles"]
    level = min(len(SHADES) - 1, 1 + (len(SHADES) - 2) * n // max(top, 1))
    if row["cooperation"] > row["tension"]:
        mark, colour = "+", "green"
    elif row["tension"] > row["cooperation"]:
        mark, colour = "−", "red"
    else:
        mark, colour = " ", ""
    style = " ".join(x for x in (colour, SHADES[level], "bold" if level >= 3 else "") if x)
    return Text(f"{n}{mark}", style=style, justify="center")


class MatrixScreen(Screen[tuple[str, int, str] | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Back", id="matrix.back"),
        Binding("enter", "open_pair", "Open pair", id="matrix.open"),
    ]

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        super().__init__()
        self.rows = rows
        totals: Counter[str] = Counter()
        for r in rows:
            for c in r["countries"]:
                totals[c] += r["articles"]
        self.countries = [c for c, _ in totals.most_common(MAX_COUNTRIES)]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content.assemble(
            ("Articles per country pair. ", "bold"), ("+", "bold green"), " mostly cooperation  ",
            ("−", "bold red"), " mostly tension  · darker = more. Enter opens the pair.",
        ), id="matrix-help")
        yield DataTable(id="matrix", cursor_type="cell")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        by_pair = {tuple(r["countries"]): r for r in self.rows}
        top = max((r["articles"] for r in self.rows), default=1)
        table.add_column("", key="_label")
        for c in self.countries:
            table.add_column(Text(c[:9], justify="center"), key=c, width=max(5, min(9, len(c))))
        for a in self.countries:
            cells = [Text(a, style="bold")]
            for b in self.countries:
                if a == b:
                    cells.append(Text("╲", style="dim", justify="center"))
                else:
                    cells.append(cell(by_pair.get(tuple(sorted((a, b)))), top))
            table.add_row(*cells, key=a)
        if len(self.countries) >= 2:
            table.move_cursor(row=0, column=2)
        table.focus()
        if not self.rows:
            self.notify("No country pairs in this corpus yet", timeout=4)

    def selected_pair(self) -> tuple[str, str] | None:
        table = self.query_one(DataTable)
        row, col = table.cursor_coordinate
        if col == 0 or row >= len(self.countries) or col - 1 >= len(self.countries):
            return None
        a, b = self.countries[row], self.countries[col - 1]
        return None if a == b else (a, b)

    @on(DataTable.CellSelected)
    def cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_open_pair()

    def action_open_pair(self) -> None:
        pair = self.selected_pair()
        if pair is None:
            self.notify("Choose a cell off the diagonal", timeout=2)
            return

        def opened(result: tuple[str, int, str] | None) -> None:
            if result is not None:
                self.dismiss(result)

        self.app.push_screen(PairScreen(*pair), opened)
