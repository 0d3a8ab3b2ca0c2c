"""The Textual app: bindings, messages and their handlers, theme. The index workers are in
`live.py`, what screens ask of the core in `library_access.py`, the actions in `actions.py`."""

from __future__ import annotations

import threading
from typing import Any, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen

from sinoread.failures import describe, log_failure
from sinoread.indexing import Index
from sinoread.library import Library
from sinoread.models import Analysis, Article, ArticleRow, Problem
from sinoread.tui.actions import ScreenActions
from sinoread.tui.commands import SinoreadCommands
from sinoread.tui.failures import ReportsWorkerFailures
from sinoread.tui.library_access import LibraryAccess
from sinoread.tui.live import LiveIndex
from sinoread.tui.screens.main import MainScreen
from sinoread.tui.widgets.article_list import ArticleList
from sinoread.tui.widgets.reader import ArticleReader

THEMES = ("textual-dark", "textual-light")
LEAVE_SECONDS = 3.0
"""After SIGTERM or SIGHUP, how long the reader may take to give the terminal back."""

class SinoreadApp(ReportsWorkerFailures, LiveIndex, LibraryAccess, ScreenActions, App[None]):
    CSS_PATH = "sinoread.tcss"
    TITLE = "sinoread"
    COMMANDS = App.COMMANDS | {SinoreadCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", tooltip="Keyword search (Whoosh syntax)", id="app.search"),
        Binding("p", "pairs", "Pairs", tooltip="Pick two countries", id="app.pairs"),
        Binding("m", "matrix", "Matrix", tooltip="All country pairs as a table", id="app.matrix"),
        Binding("c", "compare", "Compare", tooltip="Marked articles side by side (mark with space)", id="app.compare"),
        Binding("T", "timeline", "Timeline", tooltip="Every agreement by year and pair", id="app.timeline"),
        Binding("A", "actors", "Actors", tooltip="People and organisations across the corpus", id="app.actors"),
        Binding("B", "notes", "Notes", tooltip="Your notes and starred articles", id="app.notes"),
        Binding("S", "sources", "Sources", tooltip="Articles per source; reposts", id="app.sources"),
        Binding("x", "export", "Export", tooltip="This view as Markdown, CSV or JSON", id="app.export"),
        Binding("t", "toggle_theme", "Theme", tooltip="Dark or light", id="app.theme"),
        Binding("exclamation_mark", "problems", "Problems", tooltip="Files the index skipped, and why",
                id="app.problems", show=False),
        Binding("question_mark", "help", "Help", tooltip="All keys", id="app.help"),
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    class IndexProgress(Message):
        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done, self.total = done, total

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, SinoreadApp.IndexProgress)

    class ArticlesIndexed(Message):
        """Rows the running build has indexed since the last such message (a few a second:
        a message per article kept the UI thread busy enough to slow the build)."""

        def __init__(self, rows: list[ArticleRow]) -> None:
            super().__init__()
            self.rows = rows

    class IndexReady(Message):
        def __init__(self, rows: list[ArticleRow] | None, skipped: tuple[Problem, ...], changed: bool,
                     what: str | None = None, total: int | None = None, scanned: bool = False) -> None:
            super().__init__()
            self.rows, self.skipped, self.changed = rows, skipped, changed
            """`rows` None: unchanged, whatever the UI holds by the time this arrives."""
            self.scanned = scanned
            """`skipped` is the whole list of an index run that read the folder (else it is empty)."""
            self.what = what
            """What changed on disk, for a notification (None at start-up)."""
            self.total = total if total is not None else None if rows is None else len(rows)
            """Articles in the index; more than `rows` when these are only the newest."""

    class WorkbenchReady(Message):
        """Timeline, actors and stories are computed for the current index."""

    class IndexFailed(Message):
        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    class BatchCommitted(Message):
        """A first build committed a batch: what it holds is searchable while the rest is indexed."""

        def __init__(self, searcher: Any, generation: str) -> None:
            super().__init__()
            self.searcher, self.generation = searcher, generation

    class CorpusGone(Message):
        """The corpus folder vanished (renamed, deleted, unmounted): keep everything, wait."""

    class CorpusBack(Message):
        """The corpus folder is there again: bring the index up to date."""

    def __init__(self, library: Library, *, update_on_start: bool = True) -> None:
        super().__init__()
        self.library = library
        """The index, search, workbench, notes and reports: all the reader reads goes through it."""
        self.rows: list[ArticleRow] = []
        self.rows_partial = False
        """`rows` are only the newest (the first frame's); the worker brings the rest."""
        self.update_on_start = update_on_start
        self._after_workbench: list[Any] = []
        self._notes_reported = False
        self._build_token: object | None = None
        self._stop_watching = threading.Event()
        self.building = False
        """The index worker is writing; a partial searcher may be answering meanwhile."""
        self.pending_paths: dict[str, str] = {}
        """Listed by the running build but perhaps not yet committed: id -> file, to open them."""
        self.problems: tuple[Problem, ...] = ()
        """What the last index run skipped (the `!` list)."""
        self._announced: set[tuple[str, str]] = set()
        self.corpus_gone = False
        self.exit_on_signals = False
        """Set by `run_app`: SIGTERM and SIGHUP quit cleanly (not in tests, which own the process)."""
        self.preloaded: tuple[Article, Analysis] | None = None
        """The first article, from the overview file, until the index is open."""
        self.theme = THEMES[0]

    @property
    def index(self) -> Index:
        return self.library.index

    @property
    def searcher(self) -> Any:
        """The library's searcher (None until an index or a first batch is open)."""
        return self.library.search

    @property
    def workbench(self) -> Any:
        """Timeline, actors, stories of the current index (None until a view needs them)."""
        return self.library.workbench_ready

    # -- start-up --

    def get_default_screen(self) -> Screen[Any]:
        return MainScreen()

    def on_mount(self) -> None:
        if self.index.cfg.keys:
            self.set_keymap(self.index.cfg.keys)
        if self.exit_on_signals:
            # `kill`, a closed SSH session: leave like `q` does, so Textual gives the terminal
            # back (alternate screen off, mouse reporting off, cursor shown).
            import asyncio
            import signal

            loop = asyncio.get_running_loop()
            for signum in (signal.SIGTERM, signal.SIGHUP):
                loop.add_signal_handler(signum, self._leave_on_signal, signum)

    def _leave_on_signal(self, signum: int) -> None:
        """Leave as `q` does; if the terminal is already gone (tmux killed, SSH dropped),
        Textual's goodbye to it can block for ever, so the process ends a moment later
        regardless: the index survives a kill at any point, and notes are saved as made."""
        import os
        import threading

        self.exit()
        watchdog = threading.Timer(LEAVE_SECONDS, os._exit, args=(128 + signum,))
        watchdog.daemon = True
        watchdog.start()

    def on_sinoread_app_index_progress(self, message: IndexProgress) -> None:
        if isinstance(self.screen, MainScreen) or self.main_screen:
            self.main_screen.show_progress(message.done, message.total)

    def on_sinoread_app_articles_indexed(self, message: ArticlesIndexed) -> None:
        articles = self.main_screen.query_one(ArticleList)
        for row in message.rows:
            self.pending_paths[row.id] = row.path or ""
            articles.add_article(row)
        self.sub_title = f"{len(articles.rows_data):,} articles · {self.index.corpus.name}"
        if message.rows and self.main_screen.query_one(ArticleReader).article is None and self.preloaded is None:
            self._open_article(message.rows[0].id, None, None, None, focus=False)  # the first one, at once

    def on_sinoread_app_batch_committed(self, message: BatchCommitted) -> None:
        if not self.building or (self.library.ready and not self.library.partial):
            message.searcher.close()  # the build finished first: its full searcher is here
            return
        self.library.adopt(message.searcher, message.generation)

    def on_sinoread_app_corpus_gone(self, message: CorpusGone) -> None:
        if self.corpus_gone:
            return
        self.corpus_gone = True
        text = (f"The corpus folder {self.index.corpus} is gone; the index and the reader are kept as they "
                "were. Waiting for the folder to come back.")
        self.main_screen.show_alert("corpus folder gone: index kept, waiting for it to come back")
        self.notify(text, title="Live corpus", severity="warning", markup=False, timeout=10)

    def on_sinoread_app_corpus_back(self, message: CorpusBack) -> None:
        if not self.corpus_gone:
            return
        self.corpus_gone = False
        self.main_screen.show_alert(None)
        self.notify(f"The corpus folder {self.index.corpus} is back: updating the index", title="Live corpus",
                    markup=False, timeout=5)
        self.load_index(True)

    def report_failure(self, what: str, exc: BaseException, group: str = "") -> None:
        """Say in the reader that `what` failed and why, and where the traceback was logged."""
        path = log_failure(what, exc)
        where = f" Details: {path}" if path is not None else " (the log in the cache folder cannot be written)"
        self.notify(f"{describe(exc)}.{where}", title=f"{what} failed", severity="error", markup=False, timeout=30)
        if self.main_screen.is_mounted:
            self.main_screen.show_alert(f"{what} failed: {describe(exc)} (log: {path})")
        if group == "index":
            self.building = False

    def on_sinoread_app_index_ready(self, message: IndexReady) -> None:
        main = self.main_screen
        if message.rows is None:  # unchanged: what is listed now stays
            message.rows = self.rows
            message.total = main.query_one(ArticleList).total if self.rows_partial else len(self.rows)
        if message.changed and self.searcher is not None:
            self.show_stars()
            if self._after_workbench or self.library.workbench_stale:
                self.build_workbench()  # someone is looking at it: bring it up to date
        if message.what:
            self.notify(f"Corpus changed: {message.what}", title="Live corpus", timeout=5)
        main.query_one("#progress-row").display = False
        self.rows = message.rows
        articles = main.query_one(ArticleList)
        if message.changed or not articles.rows_data or self.rows_partial:
            articles.set_articles(message.rows, total=message.total)
        self.rows_partial = message.total > len(message.rows)
        status = f"{message.total:,} articles"
        if message.scanned:
            self.problems = message.skipped
            self._announce(message.skipped)
            self.corpus_gone = False  # an update read the folder: it is there
        if self.problems:
            status += f" · {len(self.problems)} file(s) skipped (! lists them)"
        main.show_status(status)
        if not self.corpus_gone:
            main.show_alert(None)
        self.pending_paths.clear()
        self.sub_title = f"{message.total:,} articles · {self.index.corpus.name}"
        reader = main.query_one(ArticleReader)
        if reader.article is None and message.rows:
            first = articles.current_id() or message.rows[0].id
            self._open_article(first, None, None, None, focus=False)  # now: the first frame shows it
        elif reader.article is not None and message.changed and self.searcher is not None:
            self._reload_open_article()

    ANNOUNCE = 3
    """Skipped files named one by one in notifications; the rest are one line."""

    def _announce(self, skipped: tuple[Problem, ...]) -> None:
        """Each problem once: a file skipped for the same reason at every update is not news."""
        new = [p for p in skipped if (p.path, p.reason) not in self._announced]
        self._announced |= {(p.path, p.reason) for p in new}
        for p in new[:self.ANNOUNCE]:
            self.notify(str(p), title="Skipped (! lists them all)", severity="warning", markup=False, timeout=8)
        if len(new) > self.ANNOUNCE:
            rest = len(new) - self.ANNOUNCE
            self.notify(f"{rest:,} more file(s) skipped: press ! for the problems list", title="Skipped",
                        severity="warning", markup=False, timeout=8)

    def action_problems(self) -> None:
        from sinoread.tui.screens.problems import ProblemsScreen

        self.push_screen(ProblemsScreen(list(self.problems)))

    def _reload_open_article(self) -> None:
        """The index changed under the reader (live corpus, a lesson): show the new analysis in place."""
        main = self.main_screen
        reader = main.query_one(ArticleReader)
        assert reader.article is not None
        got = self.load_article(reader.article.id)
        if got is None:
            return
        y = reader.scroll_y
        main.show_article(*got)
        reader.call_after_refresh(reader.scroll_to, y=y, animate=False)

    @work(thread=True, exclusive=True, group="workbench", exit_on_error=False)
    def build_workbench(self) -> None:
        """Timeline, actors and stories need every analysis: computed once per index version."""
        if not self.library.ready:
            return
        self.library.workbench()
        self.post_message(self.WorkbenchReady())

    def on_sinoread_app_workbench_ready(self, message: WorkbenchReady) -> None:
        waiting, self._after_workbench = self._after_workbench, []
        for then in waiting:
            then()
        refresh = getattr(self.screen, "refresh_data", None)
        if refresh is not None and not waiting:
            refresh()

    def with_workbench(self, then: Any) -> None:
        """Run `then` once timeline, actors and stories are computed: at once if they are, else
        after a worker reads every article (only when a view needs them, never at start-up)."""
        if self.workbench is not None:
            then()
            return
        if self.searcher is None:
            self.notify("The index is still being built; try again in a moment", timeout=3)
            return
        if not self._after_workbench:
            self.notify("Reading every article's analysis…", timeout=2)
        self._after_workbench.append(then)
        self.build_workbench()

    def show_stars(self) -> None:
        self.main_screen.query_one(ArticleList).set_stars(self.starred())

    def on_sinoread_app_index_failed(self, message: IndexFailed) -> None:
        self.main_screen.show_alert(f"index unavailable: {message.reason}")
        self.notify(message.reason, title="Index", severity="error", markup=False, timeout=15)

    @property
    def main_screen(self) -> MainScreen:
        return next(s for s in self.screen_stack if isinstance(s, MainScreen))

    def open_article(self, article_id: str, *, query: str | None = None, at: int | None = None,
                     pair: tuple[str, str] | None = None, focus: bool = True) -> None:
        """Show an article in the reader, optionally at a query's hits or a pair's sentences.

        Runs after the next refresh, so a screen that is dismissing itself is gone first."""
        self.call_after_refresh(self._open_article, article_id, query, at, pair, focus)

    def _open_article(self, article_id: str, query: str | None, at: int | None, pair: tuple[str, str] | None,
                      focus: bool) -> None:
        if self.searcher is None and article_id not in self.pending_paths and (
                self.preloaded is None or self.preloaded[0].id != article_id):
            return
        got = self.load_article(article_id)
        if got is None:
            self.notify(f"Article {article_id} is no longer in the index", severity="warning", markup=False)
            return
        article, analysis = got
        hits = None
        if query and self.library.ready:
            hits = self.library.hit_offsets(query, article.id)
        while focus and len(self.screen_stack) > 1 and not isinstance(self.screen, MainScreen):
            self.pop_screen()  # the analyst chose it; an article shown by itself leaves dialogs open
        main = self.main_screen
        main.show_article(article, analysis, hits=hits, at=at, pair=pair)
        if focus:
            main.query_one(ArticleReader).focus()

    def action_toggle_theme(self) -> None:
        self.theme = THEMES[(THEMES.index(self.theme) + 1) % len(THEMES)] if self.theme in THEMES else THEMES[0]


def make_app(library: Library | Index, **kwargs: Any) -> SinoreadApp:
    """One factory for the CLI and the tests (a bare Index gets a Library of its own)."""
    return SinoreadApp(library if isinstance(library, Library) else Library(library), **kwargs)


def run_app(library: Library) -> int:
    app = make_app(library)
    app.exit_on_signals = True
    app.run()
    return 0
