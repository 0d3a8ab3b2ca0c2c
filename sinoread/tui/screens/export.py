"""Export the current view: a file name (its extension picks Markdown, CSV or JSON), then Enter."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from sinoread.tui import render
from sinoread.tui.failures import ReportsWorkerFailures

if TYPE_CHECKING:
    from sinoread.tui.app import SinoreadApp


def default_name(stem: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in stem.lower()).strip("-") or "report"
    return str(Path.cwd() / f"sinoread-{safe}-{date.today().isoformat()}.md")


class ExportScreen(ReportsWorkerFailures, ModalScreen[str | None]):
    """Dismisses with the path written, or None."""

    app: SinoreadApp
    """Textual's `app`, typed for the checker: this screen asks the reader for data."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel", id="export.cancel")]

    def __init__(self, what: str, args: list[str], options: dict[str, str | None], stem: str) -> None:
        super().__init__()
        self.what, self.args, self.options, self.stem = what, args, options, stem

    def compose(self) -> ComposeResult:
        subject = " ".join([self.what, *self.args]) + "".join(f" {k}:{v}" for k, v in self.options.items() if v)
        with Vertical(id="export-box", classes="dialog"):
            yield Static(Content.styled("Export", "bold"), classes="dialog-title")
            yield Static(render.plain(f"Report: {subject}"), id="export-what")
            yield Input(value=default_name(self.stem), id="export-path")
            yield Static(Content.styled(".md Markdown (a brief to paste) · .csv spreadsheet · .json scripts — Enter writes, Esc cancels", "dim"),
                         id="export-help")
            yield Static("", id="export-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#export-path")
    def submitted(self, event: Input.Submitted) -> None:
        path_text = event.value.strip()
        self.write(path_text, force=path_text == self.confirm_replace)  # Enter again on an existing file

    confirm_replace: str | None = None
    """A file name the analyst was told exists: Enter on it again replaces it."""

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def write(self, path_text: str, force: bool = False) -> None:
        from sinoread.workbench.bench import ReportRequestError
        from sinoread.workbench.report import ExportExists, format_for, write_report

        try:
            if not path_text:
                raise ValueError("type a file name")
            path = Path(path_text).expanduser()
            fmt = format_for(str(path))
            report = self.app.make_report(self.what, self.args, **self.options)
            written = write_report(report, path, fmt, force=force)
        except ExportExists:
            self.confirm_replace = path_text
            self.app.call_from_thread(self.show_error, f"{path_text} exists: Enter again replaces it, Esc cancels")
            return
        except (ValueError, ReportRequestError) as exc:
            self.confirm_replace = None
            self.app.call_from_thread(self.show_error, str(exc))
            return
        self.app.call_from_thread(self.dismiss, str(written))

    def show_error(self, message: str) -> None:
        self.query_one("#export-error", Static).update(render.plain(f"⚠ {message}", "bold $error"))
