"""The key bar: the focused widget's keys on one line, clickable.

Textual's Footer mounts one widget per key and restyles each on every focus change, which was
the largest single cost of the first frame; this is one widget that renders one line.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual import events
from textual.content import Content
from textual.widgets import Static

KEY_STYLE = "bold $footer-key-foreground"
DESCRIPTION_STYLE = "$footer-description-foreground"
KEEP = ("app.help", "app.quit", "app.search", "app.pairs", "app.export", "app.timeline", "app.compare", "app.matrix",
        "main.note", "main.star")
"""Binding ids kept longest when the line is too narrow for every key, most important first."""


class KeyBar(Static):
    """Keys for the focused widget, its screen and the app, like Textual's Footer."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        padding: 0 1;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self._targets: list[tuple[int, int, str]] = []

    def on_mount(self) -> None:
        self._screen = self.screen
        self._screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self.refresh_keys)

    def on_unmount(self) -> None:
        self._screen.bindings_updated_signal.unsubscribe(self)

    def on_resize(self) -> None:
        if self.is_attached:
            self.refresh_keys()

    def _bindings_changed(self, screen: Any) -> None:
        if self.is_attached and screen is self._screen:
            self.call_after_refresh(self.refresh_keys)

    def items(self) -> list[tuple[str, str, str, str | None]]:
        """(key, key as shown, description, binding id) for every shown binding, one per action."""
        out, actions = [], set()
        palette = None
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.action == "app.command_palette" or binding.action == "command_palette":
                palette = (binding.key, self.app.get_key_display(binding), "palette", None)
                continue
            if not binding.show or not enabled or binding.action in actions:
                continue
            actions.add(binding.action)
            out.append((binding.key, self.app.get_key_display(binding), binding.description, binding.id))
        if palette and self.app.ENABLE_COMMAND_PALETTE:
            out.append(palette)
        return out

    def refresh_keys(self) -> None:
        if not self.is_attached or self.screen is not self._screen:
            return
        items = self.items()
        width = max(self.content_size.width, 1)
        cells = [cell_len(shown) + cell_len(desc) + 3 for _k, shown, desc, _id in items]
        while len(items) > 1 and sum(cells) > width:
            # Too narrow: drop the last ordinary key, then the kept ones, least important first.
            rank = [KEEP.index(it[3]) if it[3] in KEEP else len(KEEP) for it in items]
            worst = max(range(len(items)), key=lambda i: (rank[i], i))
            del items[worst], cells[worst]
        parts: list[Content | tuple[str, str] | str] = []
        self._targets = []
        x = 0
        for key, shown, desc, _id in items:
            parts += [(shown, KEY_STYLE), " ", (desc, DESCRIPTION_STYLE), "  "]
            self._targets.append((x, x + cell_len(shown) + 1 + cell_len(desc), key))
            x += cell_len(shown) + cell_len(desc) + 3
        self.update(Content.assemble(*parts))

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._targets:
            if start <= event.x - 1 < end:  # -1: the left padding
                self.app.simulate_key(key)
                return
