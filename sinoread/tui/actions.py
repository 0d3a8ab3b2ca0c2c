"""The app's actions: each opens a screen (search, pairs, matrix, compare, timeline, actors,
notes, sources, export, help) and takes what it dismisses with.

A mixin of `SinoreadApp`."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding

from sinoread.indexing import Index
from sinoread.tui.mixin import AppMixin
from sinoread.tui.screens.main import MainScreen
from sinoread.tui.widgets.article_list import ArticleList
from sinoread.tui.widgets.reader import ArticleReader


class ScreenActions(AppMixin):
    def action_search(self, query: str = "") -> None:
        from sinoread.tui.screens.search import SearchScreen

        def chosen(result: tuple[str, str] | None) -> None:
            if result:
                self.open_article(result[0], query=result[1])

        self.push_screen(SearchScreen(query), chosen)

    def _pair_chosen(self, result: tuple[str, int, tuple[str, str]] | None) -> None:
        if result:
            self.open_article(result[0], at=result[1], pair=result[2])

    def action_pairs(self, first: str = "", second: str = "") -> None:
        from sinoread.tui.screens.pairs import PairScreen

        self.push_screen(PairScreen(first, second), self._pair_chosen)

    def action_matrix(self) -> None:
        from sinoread.tui.screens.matrix import MatrixScreen

        if self.searcher is None:
            self.notify("The index is still being built", timeout=3)
            return
        self.push_screen(MatrixScreen(self.matrix()), self._pair_chosen)

    def action_compare(self) -> None:
        from sinoread.tui.screens.compare import CompareScreen

        marked = self.main_screen.query_one(ArticleList).marked
        if len(marked) < 2:
            self.notify("Mark two or three articles with space in the list, then press c", timeout=4)
            return
        items = [self.load_article(a) for a in marked]
        self.push_screen(CompareScreen([i for i in items if i is not None]))

    def action_timeline(self, filter_text: str = "") -> None:
        from sinoread.tui.screens.timeline import TimelineScreen

        self.with_workbench(lambda: self.push_screen(TimelineScreen(filter_text)))

    def action_actors(self, name: str = "") -> None:
        from sinoread.tui.screens.actors import ActorsScreen

        self.with_workbench(lambda: self.push_screen(ActorsScreen(name)))

    def action_notes(self) -> None:
        from sinoread.tui.screens.notes import NotesScreen

        self.push_screen(NotesScreen())

    def action_sources(self) -> None:
        from sinoread.tui.screens.sources import SourcesScreen

        self.with_workbench(lambda: self.push_screen(SourcesScreen()))

    def action_export(self) -> None:
        """Export what the current screen shows (the article, a search, a pair, the timeline, notes)."""
        from sinoread.tui.screens.export import ExportScreen

        request = getattr(self.screen, "export_request", None)
        got = request() if request is not None else None
        if got is None:
            self.notify("Nothing to export here: open an article, a search, a pair, the timeline or notes", timeout=4)
            return
        what, args, options, stem = got

        def written(path: str | None) -> None:
            if path:
                self.notify(f"Wrote {path}", title="Export", markup=False, timeout=6)

        self.push_screen(ExportScreen(what, args, options, stem), written)

    def lesson_learned(self, result: tuple[Any, Any, str] | None) -> None:
        """A lesson was written to config.yaml: re-annotate the corpus with the new config."""
        if result is None:
            return
        path, cfg, done = result
        self.library.use_config(Index(self.index.root, self.index.corpus, cfg))
        self.notify(f"{done} ({path}). Re-annotating the corpus…", title="Taught", markup=False, timeout=6)
        self.load_index(True)

    def action_help(self) -> None:
        from sinoread.tui.screens.actors import ActorsScreen
        from sinoread.tui.screens.compare import CompareScreen
        from sinoread.tui.screens.help import HelpScreen
        from sinoread.tui.screens.matrix import MatrixScreen
        from sinoread.tui.screens.notes import NotesScreen
        from sinoread.tui.screens.pairs import PairScreen
        from sinoread.tui.screens.search import SearchScreen
        from sinoread.tui.screens.timeline import TimelineScreen

        sections = [
            ("Everywhere", list(self.BINDINGS)),
            ("Main", list(MainScreen.BINDINGS)),
            ("List", list(ArticleList.BINDINGS)),
            ("Reader", list(ArticleReader.BINDINGS)),
            ("Compare", list(CompareScreen.BINDINGS)),
            ("Matrix", list(MatrixScreen.BINDINGS)),
            ("Search", list(SearchScreen.BINDINGS)),
            ("Pairs", list(PairScreen.BINDINGS)),
            ("Timeline", list(TimelineScreen.BINDINGS)),
            ("Actors", list(ActorsScreen.BINDINGS)),
            ("Notes", list(NotesScreen.BINDINGS)),
        ]
        sections.append(("Everywhere", [Binding("ctrl+p", "command_palette", "Command palette: articles, pairs, screens")]))
        self.push_screen(HelpScreen([(w, [b for b in bs if isinstance(b, Binding)]) for w, bs in sections]))

