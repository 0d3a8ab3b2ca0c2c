"""Colours come from the theme: every view reads under the dark theme and the light one."""

from __future__ import annotations

import pytest
from textual.color import Color
from textual.widgets import DataTable

from sinoread.tui.screens.matrix import MatrixScreen, shades
from tests.helpers import ready


def _tone_cells(table: DataTable) -> dict[str, list[tuple[Color, Color | None]]]:
    """(colour, background) of every rendered `+` and `−` cell, as drawn on screen."""
    found: dict[str, list[tuple[Color, Color | None]]] = {"+": [], "−": []}
    for y in range(table.size.height):
        for segment in table.render_line(y):
            mark = next((m for m in found if m in segment.text), None)
            style = segment.style
            if mark is None or style is None or style.color is None:
                continue
            background = Color.from_rich_color(style.bgcolor) if style.bgcolor else None
            found[mark].append((Color.from_rich_color(style.color), background))
    return found


@pytest.mark.parametrize("theme", ["textual-light", "textual-dark"])
async def test_matrix_cells_take_the_theme_colours(app_factory, theme):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.theme = theme
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MatrixScreen)
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=0, column=0)  # the cursor's own colours off the pair cells
        await pilot.pause()

        def check() -> None:
            variables = app.theme_variables
            success = Color.parse(variables["text-success"])
            error = Color.parse(variables["text-error"])
            backgrounds = {Color.parse(s.removeprefix("on ")) for s in shades(variables) if s}
            cells = _tone_cells(table)
            assert cells["+"], "the seeds have pairs of mostly cooperation"
            assert cells["−"], "the seeds have pairs of mostly tension"
            for mark, colour in (("+", success), ("−", error)):
                for fg, bg in cells[mark]:
                    assert fg == colour, (mark, fg, colour)
                    assert bg in backgrounds, (mark, bg, backgrounds)

        check()
        await pilot.press("t")  # the other theme, with the matrix open: the cells follow it
        await pilot.pause()
        assert app.theme != theme
        check()
