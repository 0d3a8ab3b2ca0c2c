"""Teach: add a word the extractor missed or mislabelled to config.yaml, then re-annotate."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, RadioButton, RadioSet, Static

from sinoread.tui import render
from sinoread.tui.failures import ReportsWorkerFailures
from sinoread.workbench.teach import LESSONS

if TYPE_CHECKING:
    from sinoread.tui.app import SinoreadApp


class TeachScreen(ReportsWorkerFailures, ModalScreen[tuple[Any, Any, str] | None]):
    """Dismisses with (config path written, new config, what was done), or None."""

    app: SinoreadApp
    """Textual's `app`, typed for the checker: this screen asks the reader for data."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel", id="teach.cancel")]

    def __init__(self, text: str = "", country: str = "", kind: str = "person") -> None:
        super().__init__()
        self.text, self.country, self.kind = text, country, kind

    def compose(self) -> ComposeResult:
        app = self.app
        with Vertical(id="teach-box", classes="dialog"):
            yield Static(Content.styled("Teach sinoread a word", "bold"), classes="dialog-title")
            yield Input(value=self.text, placeholder="the word or name, as the article writes it", id="teach-text")
            with RadioSet(id="teach-kind"):
                for kind, help_text in LESSONS.items():
                    yield RadioButton(f"{kind.replace('_', ' ')}: {help_text}", value=kind == self.kind, name=kind)
            yield Input(value=self.country, placeholder="country (for an alias; optional for a person or organisation)",
                        id="teach-country", suggester=SuggestFromList(app.country_aliases(), case_sensitive=False))
            yield Static(Content.styled("Tab moves on · Enter saves to config.yaml (validated first) and re-annotates · Esc cancels", "dim"))
            yield Static("", id="teach-error")

    def on_mount(self) -> None:
        self.query_one("#teach-text", Input).focus()

    def chosen_kind(self) -> str:
        pressed = self.query_one(RadioSet).pressed_button
        return pressed.name if pressed is not None and pressed.name else self.kind

    @on(Input.Submitted)
    def submitted(self) -> None:
        from sinoread.workbench.teach import Lesson

        lesson = Lesson(self.chosen_kind(), self.query_one("#teach-text", Input).value,
                        self.query_one("#teach-country", Input).value.strip() or None)
        self.save(lesson)

    @work(thread=True, exclusive=True, group="teach", exit_on_error=False)
    def save(self, lesson: Any) -> None:
        from sinoread.workbench.teach import TeachError, teach

        try:
            result = teach(self.app.index.cfg, lesson)
        except TeachError as exc:
            self.app.call_from_thread(self.show_error, str(exc))
            return
        self.app.call_from_thread(self.dismiss, result)

    def show_error(self, message: str) -> None:
        self.query_one("#teach-error", Static).update(render.plain(f"⚠ {message}", "bold $error"))
