"""The Textual app: bindings, commands, theme, and the workers that index and search."""

from __future__ import annotations

import threading
import time
from typing import Any, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from sinoread.failures import describe, log_failure
from sinoread.indexing import CorpusMissing, Index, IndexUnusable
from sinoread.library import Library
from sinoread.models import Analysis, Article, MatrixRow, PairResult, Problem, analysis_from_plain
from sinoread.tui.commands import SinoreadCommands
from sinoread.tui.failures import ReportsWorkerFailures
from sinoread.tui.screens.main import MainScreen
from sinoread.tui.widgets.article_list import ArticleList
from sinoread.tui.widgets.reader import ArticleReader

THEMES = ("textual-dark", "textual-light")
UI_PACE = 0.5
"""Seconds between a build's progress and row messages: enough to look live, little enough
that the UI thread leaves the writer (the build's one serial stage) the interpreter."""



LEAVE_SECONDS = 3.0
"""After SIGTERM or SIGHUP, how long the reader may take to give the terminal back."""

class SinoreadApp(ReportsWorkerFailures, App[None]):
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

        def __init__(self, rows: list[dict[str, Any]]) -> None:
            super().__init__()
            self.rows = rows

    class IndexReady(Message):
        def __init__(self, rows: list[dict[str, Any]] | None, skipped: tuple[Problem, ...], changed: bool,
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
        self.rows: list[dict[str, Any]] = []
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

    def start_index(self) -> None:
        """Called by the main screen once mounted: fill it from the index, build if need be.

        A warm index's overview file fills the list and the first article before the first
        frame, without importing Whoosh; the worker then opens the index behind it."""
        overview = self.index.overview()
        rows = None
        if overview is not None:
            try:
                first = overview.get("first")
                if first:
                    self.preloaded = (Article(**first["article"]), analysis_from_plain(first["analysis"]))
                rows, total = overview["head"], overview["total"]
            except (KeyError, TypeError, ValueError, AttributeError):  # not what we wrote: read the index
                self.preloaded, rows = None, None
        if rows is not None:
            # Only the newest rows: the full list (20 MB at 100,000 articles) comes from the worker.
            self.on_sinoread_app_index_ready(self.IndexReady(rows, (), changed=True, total=total))
            # Open the index once the first frame is out: importing Whoosh holds the GIL.
            self.call_after_refresh(self.load_index, True)
        else:
            self.load_index(self._open_warm_index())
        self.set_interval(2.0, self.pick_up_new_index)
        if self.update_on_start:
            self.call_after_refresh(self.watch_corpus)

    def pick_up_new_index(self) -> None:
        """Another process (`sinoread index`) may have rewritten the index: follow it, also
        when there is none open yet (the reader's own build failed or is waiting for the lock)."""
        if not self.building:
            self.follow_index()

    @work(thread=True, exclusive=True, group="follow", exit_on_error=False)
    def follow_index(self) -> None:
        """Open or refresh to an index another process wrote (off the UI thread: opening and
        reading the listing take a while on a large corpus)."""
        if self.building:
            return
        try:
            if not self.library.refresh():
                return
            rows = self.library.articles()
        except IndexUnusable:
            return  # mid-swap, or not for us after all: the next tick tries again
        self.post_message(self.IndexReady(rows, (), changed=True))
        self.call_from_thread(self.notify, f"Index updated: {len(rows):,} articles", timeout=3)

    def _open_warm_index(self) -> bool:
        """A current index opens in milliseconds: fill the first screen before the first frame."""
        if not self.library.open():
            return False
        self.on_sinoread_app_index_ready(self.IndexReady(self.library.articles(), (), changed=True))
        return True

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def load_index(self, warm: bool) -> None:
        """Open the index, then build it with progress shown or bring a warm one up to date."""
        worker = get_current_worker()
        if warm and not self.library.ready and not self.library.open():
            warm = False
        if warm:
            self.call_from_thread(self.show_stars)
            if self.rows_partial:
                self.post_message(self.IndexReady(self.library.articles(), (), changed=False))
        if warm and not self.update_on_start:
            return
        if not warm:
            self.call_from_thread(self.main_screen.show_alert, f"reading the folder {self.index.corpus} ...", False)

        def committed(generation: str) -> None:  # a first build's batch: search it meanwhile
            partial = self.library.open_batch(generation)
            if partial is not None:
                self.post_message(self.BatchCommitted(partial, generation))

        pending: list[dict[str, Any]] = []
        last = [0.0, 0.0]  # when progress, and rows, were last posted

        def progress(done: int, total: int, _id: str) -> None:
            now = time.monotonic()
            if done == total or now - last[0] >= UI_PACE:
                last[0] = now
                self.post_message(self.IndexProgress(done, total))

        def indexed(row: dict[str, Any]) -> None:
            pending.append(row)
            now = time.monotonic()
            if now - last[1] >= UI_PACE:
                last[1] = now
                self.post_message(self.ArticlesIndexed(pending[:]))
                pending.clear()

        token = object()  # this build's: a cancelled build finishing late must not clear a newer one's flag
        self._build_token = token
        self.building = True
        try:  # `building` holds until the new searcher is in place: the 2 s poll must not adopt it first
            self._update(warm, worker, progress, indexed, committed, pending)
        finally:
            if self._build_token is token:
                self.building = False

    def _update(self, warm: bool, worker: Any, progress: Any, indexed: Any, committed: Any,
                pending: list[dict[str, Any]]) -> None:
        """The index worker's update, then its new searcher and rows (on the worker's thread)."""
        try:
            report = self.library.index.update(
                progress=progress,
                on_document=None if warm else indexed,
                on_commit=None if warm else committed,
                cancelled=lambda: worker.is_cancelled, wait=600,
            )
            if pending:
                self.post_message(self.ArticlesIndexed(pending[:]))
        except CorpusMissing:
            self.post_message(self.CorpusGone())
            return
        except IndexUnusable as exc:
            self.post_message(self.IndexFailed(str(exc)))
            return
        if report.resumed:
            self.call_from_thread(
                self.notify, f"Resumed an interrupted build: {report.resumed:,} articles were already indexed", timeout=5,
            )
        changed = bool(report.added or report.updated or report.removed or report.rebuilt)
        if changed or not warm:
            self.library.reopen(fresh=report.rebuilt)  # a new config: new country names too
            rows = self.library.articles()
            what = None
            if warm and not report.rebuilt:
                what = ", ".join(f"{len(ids)} {label}" for ids, label in (
                    (report.added, "added"), (report.updated, "changed"), (report.removed, "removed")) if ids)
            self.post_message(self.IndexReady(rows, report.skipped, changed=True, what=what, scanned=True))
        else:
            # None: the rows the UI holds when this arrives (a snapshot taken here could be
            # the first frame's head, older than a full list already on its way)
            self.post_message(self.IndexReady(None, report.skipped, changed=False, scanned=True))

    def on_sinoread_app_index_progress(self, message: IndexProgress) -> None:
        if isinstance(self.screen, MainScreen) or self.main_screen:
            self.main_screen.show_progress(message.done, message.total)

    def on_sinoread_app_articles_indexed(self, message: ArticlesIndexed) -> None:
        articles = self.main_screen.query_one(ArticleList)
        for row in message.rows:
            row = dict(row)
            self.pending_paths[row["id"]] = row.pop("path", "")
            articles.add_article(row)
        self.sub_title = f"{len(articles.rows_data):,} articles · {self.index.corpus.name}"
        if message.rows and self.main_screen.query_one(ArticleReader).article is None and self.preloaded is None:
            self._open_article(message.rows[0]["id"], None, None, None, focus=False)  # the first one, at once

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
            first = articles.current_id() or message.rows[0]["id"]
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

    # -- live corpus --

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def watch_corpus(self) -> None:
        """Index files added, changed or removed in the corpus while the app runs; when the
        folder itself goes (renamed, deleted, unmounted), say so, keep everything, and resume
        once it is back."""
        import watchfiles

        worker = get_current_worker()
        corpus = self.index.corpus
        polling = False
        gone = False

        def stopped() -> bool:
            return self._stop_watching.is_set() or worker.is_cancelled

        while not stopped():
            ident = _identity(corpus)
            if ident is None:
                if not gone:
                    gone = True
                    self.post_message(self.CorpusGone())
                self._stop_watching.wait(1.0)
                continue
            if gone:
                gone = False
                self.post_message(self.CorpusBack())
            try:
                for changes in watchfiles.watch(
                    corpus, stop_event=self._stop_watching, debounce=700, step=100,
                    force_polling=polling, poll_delay_ms=2000, yield_on_timeout=True, raise_interrupt=False,
                    rust_timeout=300,
                ):
                    if stopped():
                        return  # yields every 0.3 s even when quiet, so quitting never waits long
                    if _identity(corpus) != ident:
                        if _identity(corpus) is not None:  # another folder now at this path: read it
                            self.call_from_thread(self.load_index, True)
                        break  # the folder was moved, removed or replaced: watch afresh
                    if changes and any(not p.rsplit("/", 1)[-1].startswith(".") for _c, p in changes):
                        self.call_from_thread(self.load_index, True)
                else:
                    return
            except OSError:  # inotify limits, a network filesystem: fall back to polling
                if _identity(corpus) is None:
                    continue
                if polling:
                    raise
                polling = True

    def on_unmount(self) -> None:
        self._stop_watching.set()

    def on_sinoread_app_index_failed(self, message: IndexFailed) -> None:
        self.main_screen.show_alert(f"index unavailable: {message.reason}")
        self.notify(message.reason, title="Index", severity="error", markup=False, timeout=15)

    @property
    def main_screen(self) -> MainScreen:
        return next(s for s in self.screen_stack if isinstance(s, MainScreen))

    # -- data the screens ask for (all through the core) --

    def article_rows(self) -> list[dict[str, Any]]:
        return list(self.rows)

    def pair_names(self) -> list[tuple[str, str]]:
        return [r.countries for r in self.matrix()]

    def country_aliases(self) -> list[str]:
        names = list(self.index.cfg.countries)
        for loose, exact in self.index.cfg.countries.values():
            names += [a for a in loose + exact if a not in names]
        return names

    def matrix(self) -> list[MatrixRow]:
        return self.library.matrix()

    def _wait_for_searcher(self, seconds: float = 60.0) -> None:
        """A search asked for while the first build runs waits for what it can search (the
        first batch, or the whole small corpus), in the asking worker: never on the UI thread."""
        if threading.current_thread() is threading.main_thread():
            return
        deadline = time.monotonic() + seconds
        while not self.library.ready and self.building and time.monotonic() < deadline:
            time.sleep(0.05)

    def run_search(self, text: str) -> Any:
        self._wait_for_searcher()
        return self.library.keyword(text, limit=50)

    def run_pair(self, a: str, b: str) -> PairResult:
        from sinoread.search import UnknownCountry

        if not a.strip() or not b.strip():
            raise UnknownCountry("type two countries (any name, capital, demonym or abbreviation)")
        self._wait_for_searcher()
        return self.library.pair(a, b)

    def notes_store(self) -> Any:
        """The notes database, opened on first use (an unusable one is reported, never replaced)."""
        return self.library.notes()

    def starred(self) -> set[str]:
        try:
            return self.notes_store().stars()
        except Exception as exc:  # NotesError, sqlite3 errors: say so once, keep reading
            self._notes_failed(exc)
            return set()

    def _notes_failed(self, exc: Exception) -> None:
        """Say it once: every article open asks for its notes, and reading must go on."""
        if not self._notes_reported:
            self._notes_reported = True
            self.notify(str(exc), title="Notes", severity="error", markup=False, timeout=10)

    def anchored_notes(self, query: str | None = None, article_id: str | None = None) -> list[Any]:
        from sinoread.workbench.notes import anchor_all

        try:
            notes = self.notes_store().notes(article_id=article_id, query=query)
        except Exception as exc:
            self._notes_failed(exc)
            return []
        lookup = self.load_article if self.library.ready else (lambda _id: None)
        return anchor_all(notes, lookup)

    def noted_offsets(self, article_id: str) -> set[int]:
        return {n.current[0] for n in self.anchored_notes(article_id=article_id) if n.current}

    def make_report(self, what: str, args: list[str], kind: str | None = None, source: str | None = None) -> Any:
        """The same reports as `sinoread export` (runs in the export screen's worker)."""
        return self.library.report(what, args, kind=kind, source=source)

    def load_article(self, article_id: str) -> Any:
        if self.preloaded is not None and self.preloaded[0].id == article_id and not self.library.ready:
            return self.preloaded
        got = self.library.article(article_id) if self.library.ready else None
        if got is None and article_id in self.pending_paths:  # listed by the build, not committed yet
            got = self.index.read_article(self.pending_paths[article_id], article_id)
        if got is None and not self.library.ready:
            raise RuntimeError("index not ready")
        return got

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

    # -- actions --

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

    def action_toggle_theme(self) -> None:
        self.theme = THEMES[(THEMES.index(self.theme) + 1) % len(THEMES)] if self.theme in THEMES else THEMES[0]


def _identity(folder: Any) -> tuple[int, int] | None:
    """The folder's device and inode, or None when there is no folder at that path."""
    import os
    import stat

    try:
        st = os.stat(folder)
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if stat.S_ISDIR(st.st_mode) else None


def make_app(library: Library | Index, **kwargs: Any) -> SinoreadApp:
    """One factory for the CLI and the tests (a bare Index gets a Library of its own)."""
    return SinoreadApp(library if isinstance(library, Library) else Library(library), **kwargs)


def run_app(library: Library) -> int:
    app = make_app(library)
    app.exit_on_signals = True
    app.run()
    return 0
