"""The main screen: article list, reader and entity panel side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, ProgressBar, Static

from sinoread.tui import render
from sinoread.tui.widgets.article_list import ArticleList
from sinoread.tui.widgets.entity_panel import EntityPanel
from sinoread.tui.widgets.key_bar import KeyBar
from sinoread.tui.widgets.reader import ArticleReader, meta_line

if TYPE_CHECKING:
    from sinoread.tui.app import SinoreadApp


class MainScreen(Screen[None]):
    AUTO_FOCUS = "#articles"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "focus_filter", "Filter", tooltip="Filter the list as you type", id="main.filter"),
        Binding("e", "toggle_panel", "Entities", tooltip="Show or hide the entity panel", id="main.entities"),
        Binding("b", "star", "Star", tooltip="Star or unstar the article", id="main.star"),
        Binding("a", "note", "Note", tooltip="Note on the current sentence (pick one with ( and ))", id="main.note"),
        Binding("plus", "teach", "Teach", tooltip="Add a missed or mislabelled word to config.yaml", id="main.teach"),
        Binding("escape", "focus_list", "List", show=False, id="main.list"),
        Binding("tab", "focus_next", "Next pane", show=False, id="main.next-pane"),
    ]

    app: SinoreadApp
    """Textual's `app`, typed for the checker: this screen asks the reader for data."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="progress-row"):
            yield ProgressBar(total=1, id="progress", show_eta=False)
            yield Static("", id="status")
        with Horizontal(id="panes"):
            with Vertical(id="list-pane"):
                yield Input(placeholder="filter (f)…", id="filter")
                yield ArticleList(id="articles")
            with Vertical(id="reader-pane"):
                yield Static(render.plain("Choose an article (↑↓, Enter)", "dim"), id="meta")
                yield Static(render.legend(), id="legend")
                yield ArticleReader(id="reader")
            yield EntityPanel(id="entities")
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_panel_for_width(self.app.size.width)
        self.app.start_index()

    def on_resize(self, event: Any) -> None:
        self.set_panel_for_width(event.size.width)

    def set_panel_for_width(self, width: int) -> None:
        self.set_class(width < 110, "-narrow")

    # -- progress --

    def show_progress(self, done: int, total: int) -> None:
        row = self.query_one("#progress-row")
        row.display = done < total
        row.remove_class("-alert", "-error")
        bar = self.query_one(ProgressBar)
        bar.update(total=max(total, 1), progress=done)
        self.query_one("#status", Static).update(render.plain(f"indexing {done}/{total}"))

    def show_status(self, text: str) -> None:
        self.query_one("#status", Static).update(render.plain(text))

    def show_alert(self, text: str | None, error: bool = True) -> None:
        """A line that stays in view until the problem is gone (None clears it): a failed
        build, a vanished corpus folder; with `error=False`, a notice (reading the folder)."""
        row = self.query_one("#progress-row")
        row.set_class(text is not None, "-alert")
        row.set_class(text is not None and error, "-error")
        row.display = text is not None
        if text is not None:
            self.show_status(text)

    # -- reading --

    def show_article(self, article: Any, analysis: Any, hits: list[tuple[int, int]] | None = None,
                     at: int | None = None, pair: tuple[str, str] | None = None) -> None:
        self.query_one("#meta", Static).update(meta_line(article))
        reader = self.query_one(ArticleReader)
        if self.app.searcher is not None:
            reader.noted = self.app.noted_offsets(article.id)
        reader.show(article, analysis, hits=hits, at=at)
        if pair:
            reader.set_pair_targets(pair)
        self.call_after_refresh(self.query_one(EntityPanel).show, analysis)  # after the text is on screen
        self.query_one(ArticleList).select_id(article.id)

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.query_one(ArticleList).apply_filter(event.value)

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        self.query_one(ArticleList).focus()

    @on(ArticleList.Refilled)
    def refilled(self, event: ArticleList.Refilled) -> None:
        box = self.query_one("#filter", Input)
        if event.shown < event.matching:
            box.placeholder = f"filter (f)… {event.shown:,} of {event.matching:,} listed: type to narrow"
        else:
            box.placeholder = "filter (f)…"

    @on(ArticleList.Highlighted)
    def preview(self, event: ArticleList.Highlighted) -> None:
        if self.app.screen is not self:  # the list refilled behind another screen (live corpus): stay there
            return
        if event.article_id != self.query_one(ArticleList).current_id():
            return  # a stale highlight: the cursor has moved on (two quick opens)
        reader = self.query_one(ArticleReader)
        if reader.article is None or reader.article.id != event.article_id:
            self.app.open_article(event.article_id, focus=False)

    @on(ArticleList.Chosen)
    def chosen(self, event: ArticleList.Chosen) -> None:
        reader = self.query_one(ArticleReader)
        if reader.article is None or reader.article.id != event.article_id:
            self.app.open_article(event.article_id)
        reader.focus()

    @on(EntityPanel.Chosen)
    def entity_chosen(self, event: EntityPanel.Chosen) -> None:
        reader = self.query_one(ArticleReader)
        if event.pair is not None:
            reader.set_pair_targets(event.pair)
        else:
            reader.set_targets(event.name or None, event.kind)
        reader.focus()
        reader.action_next_mention()
        self.notify(f"] / [ now walk {reader.target_label} ({len(reader.targets)})", timeout=3, markup=False)

    @on(ArticleReader.MentionFocused)
    def mention_focused(self, event: ArticleReader.MentionFocused) -> None:
        reader = event.reader
        self.show_status(f"{reader.target_label}: {reader.target_index + 1}/{len(reader.targets)}  (w: why)")

    # -- actions --

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_focus_list(self) -> None:
        self.query_one(ArticleList).focus()

    def action_star(self) -> None:
        reader = self.query_one(ArticleReader)
        if reader.article is None:
            return
        app = self.app
        try:
            on = app.notes_store().toggle_star(reader.article.id)
        except Exception as exc:
            app._notes_failed(exc)
            return
        self.query_one(ArticleList).set_stars(app.starred())
        self.notify(("★ Starred: " if on else "Unstarred: ") + (reader.article.title or reader.article.id),
                    timeout=3, markup=False)

    def action_note(self) -> None:
        from sinoread.tui.screens.notes import NoteEditor

        reader = self.query_one(ArticleReader)
        if reader.article is None:
            return
        span = reader.current_sentence()
        if span is None:
            reader.focus()
            self.notify("Pick a sentence first: ) and ( walk sentences, ] and [ highlights", timeout=4)
            return
        article = reader.article
        sentence = article.text[span[0]:span[1]]
        app = self.app

        def save(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            try:
                app.notes_store().add(article.id, sentence, span[0], result[0], result[1])
            except Exception as exc:
                app._notes_failed(exc)
                return
            if reader.article is not None and reader.article.id == article.id:
                reader.set_noted(app.noted_offsets(article.id))
            self.notify("Note saved (B lists notes)", timeout=3)

        app.push_screen(NoteEditor(sentence), save)

    def action_teach(self) -> None:
        """Prefilled with the selected text, else the current highlight's words."""
        from sinoread.models import Mention
        from sinoread.tui.screens.teach import TeachScreen

        reader = self.query_one(ArticleReader)
        text, country, kind = "", "", "person"
        selected = self.get_selected_text() if hasattr(self, "get_selected_text") else None
        target = reader.current_target()
        if selected and selected.strip():
            text = " ".join(selected.split())[:200]
        elif reader.article is not None and isinstance(target, Mention):
            text = reader.article.text[target.start:target.end]
            country = target.country or ""
            kind = {"country": "not_country", "place": "not_country"}.get(target.kind, target.kind)
        app = self.app
        app.push_screen(TeachScreen(text, country, kind), app.lesson_learned)

    def export_request(self) -> tuple[str, list[str], dict[str, str | None], str] | None:
        reader = self.query_one(ArticleReader)
        if reader.article is None:
            return None
        return "article", [reader.article.id], {}, f"article-{reader.article.id}"

    def action_toggle_panel(self) -> None:
        panel = self.query_one(EntityPanel)
        panel.display = not panel.display
        if panel.display:
            panel.focus()
