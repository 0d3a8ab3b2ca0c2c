"""The pair matrix: every country pair of the corpus, shaded by count, tone marked."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from sinoread.models import MatrixRow
from sinoread.tui.screens.pairs import PairScreen
from sinoread.tui.widgets.key_bar import KeyBar

MAX_COUNTRIES = 16
SHADE_STEPS = (0.1, 0.15, 0.2, 0.25)
"""How far a cell's background moves from the table's (`$surface`) toward the text colour
(`$foreground`), from the fewest articles to the most: more stands out on a dark theme and on
a light one. The first step clears the 5% tint of the focused table; past a quarter, the light
theme's `$text-success` fades into the shade."""


def _hex(variables: Mapping[str, str], name: str) -> str:
    return Color.parse(variables[name]).hex6


def shades(variables: Mapping[str, str]) -> tuple[str, ...]:
    """Cell background styles by level (level 0: the table's own), from the theme's variables
    (`App.theme_variables`): a DataTable cell is Rich text, which cannot name `$surface`."""
    base, toward = Color.parse(variables["surface"]), Color.parse(variables["foreground"])
    return ("", *(f"on {base.blend(toward, step).hex6}" for step in SHADE_STEPS))


def cell(row: MatrixRow | None, top: int, variables: Mapping[str, str]) -> Text:
    """Article count; + for mostly cooperation, − for mostly tension (visible without colour),
    coloured `$text-success` / `$text-error` of the current theme."""
    if row is None:
        return Text("·", style="dim", justify="center")
    levels = shades(variables)
    n = row.articles
    level = min(len(levels) - 1, 1 + (len(levels) - 2) * n // max(top, 1))
    if row.cooperation > row.tension:
        mark, colour = "+", _hex(variables, "text-success")
    elif row.tension > row.cooperation:
        mark, colour = "−", _hex(variables, "text-error")
    else:
        mark, colour = " ", ""
    style = " ".join(x for x in (colour, levels[level], "bold" if level >= 3 else "") if x)
    return Text(f"{n}{mark}", style=style, justify="center")


class MatrixScreen(Screen[tuple[str, int, tuple[str, str]] | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Back", id="matrix.back"),
        Binding("enter", "open_pair", "Open pair", id="matrix.open"),
    ]

    def __init__(self, rows: list[MatrixRow]) -> None:
        super().__init__()
        self.rows = rows
        totals: Counter[str] = Counter()
        for r in rows:
            for c in r.countries:
                totals[c] += r.articles
        self.countries = [c for c, _ in totals.most_common(MAX_COUNTRIES)]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content.assemble(
            ("Articles per country pair. ", "bold"),
            ("+", "bold $text-success"), " mostly cooperation  ",
            ("−", "bold $text-error"), " mostly tension  ",
            "· stronger shade = more. Enter opens the pair.",
        ), id="matrix-help")
        yield DataTable(id="matrix", cursor_type="cell")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("", key="_label")
        for c in self.countries:
            table.add_column(Text(c[:9], justify="center"), key=c, width=max(5, min(9, len(c))))
        self.fill()
        if len(self.countries) >= 2:
            table.move_cursor(row=0, column=2)
        table.focus()
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.fill())
        if not self.rows:
            self.notify("No country pairs in this corpus yet", timeout=4)

    def fill(self) -> None:
        """The cells, in the current theme's colours (again after the theme changes)."""
        table = self.query_one(DataTable)
        cursor = table.cursor_coordinate
        table.clear()
        variables = self.app.theme_variables
        by_pair = {r.countries: r for r in self.rows}
        top = max((r.articles for r in self.rows), default=1)
        for a in self.countries:
            cells = [Text(a, style="bold")]
            for b in self.countries:
                if a == b:
                    cells.append(Text("╲", style="dim", justify="center"))
                else:
                    cells.append(cell(by_pair.get(tuple(sorted((a, b)))), top, variables))
            table.add_row(*cells, key=a)
        table.cursor_coordinate = cursor

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

        def opened(result: tuple[str, int, tuple[str, str]] | None) -> None:
            if result is not None:
                self.dismiss(result)

        self.app.push_screen(PairScreen(*pair), opened)
