"""The reader's index workers: the first screen from a warm index, a build or update with
progress, another process's index followed, and the corpus folder watched while it runs.

A mixin of `SinoreadApp`: the messages it posts and their handlers are the app's."""

from __future__ import annotations

import time
from typing import Any

from textual import work
from textual.worker import get_current_worker

from sinoread.indexing import CorpusMissing, IndexUnusable
from sinoread.models import ArticleRow
from sinoread.tui.mixin import AppMixin

UI_PACE = 0.5
"""Seconds between a build's progress and row messages: enough to look live, little enough
that the UI thread leaves the writer (the build's one serial stage) the interpreter."""


class LiveIndex(AppMixin):
    def start_index(self) -> None:
        """Called by the main screen once mounted: fill it from the index, build if need be.

        A warm index's overview file fills the list and the first article before the first
        frame, without importing Whoosh; the worker then opens the index behind it."""
        overview = self.index.overview()
        if overview is not None:
            self.preloaded = overview.first
            # Only the newest rows: the full list (20 MB at 100,000 articles) comes from the worker.
            self.on_sinoread_app_index_ready(self.IndexReady(list(overview.head), (), changed=True,
                                                             total=overview.total))
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

        pending: list[ArticleRow] = []
        last = [0.0, 0.0]  # when progress, and rows, were last posted

        def committed(generation: str) -> None:  # a first build's batch: search it meanwhile
            if pending:  # what becomes searchable is listed first, not up to UI_PACE later
                self.post_message(self.ArticlesIndexed(pending[:]))
                pending.clear()
            partial = self.library.open_batch(generation)
            if partial is not None:
                self.post_message(self.BatchCommitted(partial, generation))

        def progress(done: int, total: int, _id: str) -> None:
            now = time.monotonic()
            if done == total or now - last[0] >= UI_PACE:
                last[0] = now
                self.post_message(self.IndexProgress(done, total))

        def indexed(row: ArticleRow) -> None:
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
                pending: list[ArticleRow]) -> None:
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

    # -- the corpus folder, watched --

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



def _identity(folder: Any) -> tuple[int, int] | None:
    """The folder's device and inode, or None when there is no folder at that path."""
    import os
    import stat

    try:
        st = os.stat(folder)
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if stat.S_ISDIR(st.st_mode) else None


