"""Notes and stars: the note editor for one sentence, and the screen listing every note."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from sinoread.tui import render
from sinoread.tui.widgets.key_bar import KeyBar
from sinoread.workbench.notes import Note

if TYPE_CHECKING:
    from sinoread.tui.app import SinoreadApp

STATUS_STYLE = {"anchored": "", "moved": "dim", "edited": "bold $warning", "vanished": "bold $error",
                "article missing": "bold $error"}


class NoteEditor(ModalScreen[tuple[str, str] | None]):
    """Dismisses with (note, tags) for the sentence shown, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel", id="note.cancel")]

    def __init__(self, sentence: str, note: str = "", tags: str = "") -> None:
        super().__init__()
        self.sentence, self.note, self.tags = sentence, note, tags

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box", classes="dialog"):
            yield Static(Content.styled("Note on this sentence", "bold"), classes="dialog-title")
            yield Static(render.plain("“" + " ".join(self.sentence.split()) + "”", "italic"), id="note-sentence")
            yield Input(value=self.note, placeholder="your note", id="note-text")
            yield Input(value=self.tags, placeholder="tags: arms, follow-up", id="note-tags")
            yield Static(Content.styled("Enter on the note moves to tags; Enter on tags saves; Esc cancels", "dim"))

    def on_mount(self) -> None:
        self.query_one("#note-text", Input).focus()

    @on(Input.Submitted, "#note-text")
    def to_tags(self) -> None:
        self.query_one("#note-tags", Input).focus()

    @on(Input.Submitted, "#note-tags")
    def save(self) -> None:
        note = self.query_one("#note-text", Input).value.strip()
        if not note:
            self.query_one("#note-text", Input).focus()
            self.notify("Type a note first", timeout=2)
            return
        self.dismiss((note, self.query_one("#note-tags", Input).value))


class NotesScreen(Screen[None]):
    """Every note (flagged when its sentence moved, changed or vanished) and every starred article."""

    app: SinoreadApp
    """Textual's `app`, typed for the checker: this screen asks the reader for data."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="notes.back"),
        Binding("f", "focus_filter", "Search notes", id="notes.filter"),
        Binding("d", "delete", "Delete note", id="notes.delete"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[Any] = []
        self.query_text = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="search notes: words, #tag (Enter)", id="notes-filter")
        yield Static("", id="notes-summary")
        yield OptionList(id="notes-list")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#notes-list").focus()

    @on(Input.Submitted, "#notes-filter")
    def submitted(self, event: Input.Submitted) -> None:
        self.query_text = event.value.strip()
        self.reload()
        self.query_one("#notes-list").focus()

    def reload(self) -> None:
        app = self.app
        notes: list[Note] = app.anchored_notes(self.query_text or None)
        stars = sorted(app.starred()) if not self.query_text else []
        titles = {r.id: r.title for r in app.article_rows()}
        self.items = [("star", s) for s in stars] + [("note", n) for n in notes]
        options = []
        for kind, item in self.items:
            if kind == "star":
                options.append(Option(Content.assemble(("★ ", "bold $warning"), render.plain(titles.get(item) or item, "bold"),
                                                       ("  ", ""), render.plain(item, "dim"), strip_control_codes=False)))
                continue
            n = item
            flag = "" if n.status in ("anchored",) else f" [{n.status}]"
            options.append(Option(Content.assemble(
                ("✎ ", render.NOTE_STYLE), render.plain(n.note, "bold"),
                render.plain("  " + " ".join("#" + t for t in n.tags), "italic"), (flag, STATUS_STYLE.get(n.status, "")),
                ("\n  “", "dim"), render.plain(" ".join(n.sentence.split()), "dim"), ("”", "dim"),
                ("\n  ", ""), render.plain(titles.get(n.article_id) or n.article_id, "dim italic"), strip_control_codes=False,
            )))
        lst = self.query_one(OptionList)
        lst.clear_options()
        lst.add_options(options)
        if options:
            lst.highlighted = 0
        vanished = sum(1 for k, n in self.items if k == "note" and n.status in ("vanished", "article missing"))
        summary = f"{len(notes)} note(s), {len(stars)} starred" + (f" · {vanished} whose sentence is gone (kept)" if vanished else "")
        self.query_one("#notes-summary", Static).update(render.plain(summary + "   Enter: read · d: delete · x: export", "bold"))

    @on(OptionList.OptionSelected, "#notes-list")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        kind, item = self.items[event.option_index]
        app = self.app
        if kind == "star":
            app.open_article(item)
        elif item.current is not None:
            app.open_article(item.article_id, at=item.current[0])
        elif item.status == "vanished":
            app.open_article(item.article_id)
            self.notify("The note's sentence is no longer in the article; the note is kept", timeout=4)
        else:
            self.notify(f"Article {item.article_id} is no longer in the corpus; the note is kept", timeout=4)

    def action_focus_filter(self) -> None:
        self.query_one("#notes-filter", Input).focus()

    def action_delete(self) -> None:
        lst = self.query_one(OptionList)
        if lst.highlighted is None or not self.items:
            return
        kind, item = self.items[lst.highlighted]
        app = self.app
        if kind == "star":
            app.notes_store().star(item, False)
        else:
            app.notes_store().delete(item.id)
        self.reload()
        self.notify("Star removed" if kind == "star" else "Note deleted", timeout=2)

    def refresh_data(self) -> None:
        self.reload()

    def export_request(self) -> tuple[str, list[str], dict[str, str | None], str]:
        return "notes", self.query_text.split(), {}, "notes"
