"""Every key binding of the reader, with its id for `keys:` in config.yaml."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss(None)", "Close", id="help.close"),
    ]

    def __init__(self, sections: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box", classes="dialog"):
            yield Static(Content.styled("Keys  (remap any by id under keys: in config.yaml)", "bold"), classes="dialog-title")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table: DataTable[Any] = self.query_one(DataTable)
        table.add_columns("Where", "Key", "Action", "Id")
        keymap = getattr(self.app, "_keymap", {}) or {}
        for where, bindings in self.sections:
            for b in bindings:
                key = keymap.get(b.id, b.key) if b.id else b.key
                table.add_row(Text(where, style="dim"), Text(self.app.get_key_display(Binding(key.split(",")[0], "")), style="bold"),
                              Text(b.tooltip or b.description or b.action), Text(b.id or "", style="dim"))
        table.focus()
