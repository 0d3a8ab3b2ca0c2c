"""Every file the last index run skipped, and why: the list behind the one-line summary."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from sinoread.models import Problem


class ProblemsScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,exclamation_mark,q", "dismiss(None)", "Close", id="problems.close"),
    ]

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__()
        self.problems = problems

    def compose(self) -> ComposeResult:
        with Vertical(id="problems-box", classes="dialog"):
            count = len(self.problems)
            title = f"{count} file(s) skipped by the last index run" if count else "No file was skipped"
            yield Static(Content.styled(title, "bold"), classes="dialog-title")
            yield DataTable(id="problems-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table: DataTable[Any] = self.query_one(DataTable)
        table.add_columns("File", "Why")
        for p in self.problems:  # Text, never markup: names and reasons come from the folder
            table.add_row(Text(p.path), Text(p.reason))
        table.focus()
