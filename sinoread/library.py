"""One corpus as both front ends use it: its index, search, the workbench, notes and reports.

The CLI and the reader hold a `Library` and ask it; neither builds services of its own.
It knows nothing of terminals: the CLI formats what it returns, the reader shows it.

Threads: the reader's UI thread and its workers share one Library. The shared searcher is
locked for one read at a time, and only for that read; a read of the whole corpus (the
workbench) opens a searcher of its own, so no one waits on it. Computing the workbench has
its own lock, which only workers take (the UI thread asks `workbench_ready`), so two workers
asking at once compute it once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sinoread.indexing import Index, IndexUnusable

if TYPE_CHECKING:
    from sinoread.models import Analysis, Article, ArticleRow, MatrixRow, PairResult
    from sinoread.search import Search, SearchResult
    from sinoread.workbench.bench import Workbench
    from sinoread.workbench.notes import NoteStore

NOT_READY = "the index is still being built; try again in a moment"


class Library:
    def __init__(self, index: Index) -> None:
        self.index = index
        self.cfg = index.cfg
        self._search: Search | None = None
        self._generation: str | None = None
        """The build a partial searcher reads (None: the live index)."""
        self._lock = threading.Lock()
        self._version = 0
        """Bumped whenever the searcher changes: what was computed from an older one is stale."""
        self._matrix: tuple[int, list[MatrixRow]] | None = None
        self._workbench: tuple[int, Workbench] | None = None
        self._workbench_lock = threading.Lock()
        """Held while a worker computes the workbench; never taken on the UI thread."""
        self._notes: NoteStore | None = None
        self._notes_migrated = False

    # -- the searcher --------------------------------------------------------------------

    @property
    def search(self) -> Search | None:
        """The searcher reads go through; None until an index (or a first batch) is open."""
        return self._search

    @property
    def ready(self) -> bool:
        return self._search is not None

    @property
    def partial(self) -> bool:
        """Reading a first build's committed batches, not a whole index."""
        return self._search is not None and self._search.partial

    def open(self) -> bool:
        """Open the current index if there is one; False if there is none (or not yet)."""
        from sinoread.search import Search

        if not self.index.is_current():
            return False
        try:
            searcher = Search(self.index)
        except IndexUnusable:
            return False
        self.adopt(searcher)
        return True

    def adopt(self, searcher: Search, generation: str | None = None) -> None:
        """Read from `searcher` from now on (a reopened index, or a first build's batch)."""
        with self._lock:
            old, self._search = self._search, searcher
            self._generation = generation
            self._version += 1
        if old is not None and old is not searcher:
            old.close()

    def open_batch(self, generation: str) -> Search | None:
        """A searcher over the batches a first build has committed so far."""
        from sinoread.search import Search

        try:
            return Search(self.index, generation=generation)
        except IndexUnusable:
            return None

    def reopen(self, fresh: bool = False) -> None:
        """Read the index as it is now: a new searcher after a rebuild (new config, new
        country names) or over a partial one, else the current one refreshed."""
        from sinoread.search import Search

        if fresh or self._search is None or self._search.partial:
            self.adopt(Search(self.index))
            return
        with self._lock:
            if self._search.refresh():
                self._version += 1

    def refresh(self) -> bool:
        """Follow an index another process rewrote; True if it changed. Never waits: when a
        read holds the searcher, the next call tries again."""
        if self._search is None or self._search.partial:
            return self.open() if self.index.is_current() else False
        if not self._lock.acquire(blocking=False):
            return False
        try:
            changed = self._search.refresh()
        except Exception:  # noqa: BLE001 - the writer is mid-swap: the next call tries again
            changed = False
        finally:
            self._lock.release()
        if changed:
            self._version += 1
        return changed

    def use_config(self, index: Index) -> None:
        """The same corpus and index folder under a new config (a lesson was taught): the
        next update rebuilds, and until then the old index is still read."""
        self.index, self.cfg = index, index.cfg

    def close(self) -> None:
        with self._lock:
            if self._search is not None:
                self._search.close()
                self._search = None
        if self._notes is not None:
            self._notes.close()
            self._notes = None

    def _read(self, fn: Callable[[Search], Any]) -> Any:
        searcher = self._search
        if searcher is None:
            raise IndexUnusable(NOT_READY)
        with self._lock:
            return fn(searcher)

    # -- reads -------------------------------------------------------------------------

    def articles(self) -> list[ArticleRow]:
        return self._read(lambda s: s.articles())

    def ids(self) -> list[str]:
        return [r.id for r in self.articles()]

    def resolve(self, wanted: str) -> str:
        return self._read(lambda s: s.resolve(wanted))

    def article(self, art_id: str) -> tuple[Article, Analysis] | None:
        return self._read(lambda s: s.article(art_id))

    def hit_offsets(self, query: str, art_id: str) -> list[tuple[int, int]]:
        """Where a query's words are in one article's text, for the reader's highlights."""
        return self._read(lambda s: s.hit_offsets(query, art_id))

    def keyword(self, text: str, limit: int = 20) -> SearchResult:
        from sinoread.search import QueryError

        if self._search is None:
            raise QueryError(NOT_READY)
        return self._read(lambda s: s.keyword(text, limit=limit))

    def pair(self, a: str, b: str) -> PairResult:
        from sinoread.search import UnknownCountry

        if self._search is None:
            raise UnknownCountry(NOT_READY)
        return self._read(lambda s: s.pair(a, b))

    def matrix(self) -> list[MatrixRow]:
        """Every pair's counts, computed once per index version."""
        if self._search is None:
            return []
        cached = self._matrix
        if cached is None or cached[0] != self._version:
            version = self._version
            cached = self._matrix = (version, self._read(lambda s: s.matrix()))
        return cached[1]

    def documents(self) -> list[tuple[Article, Analysis]]:
        """Every article with its analysis, read through a searcher of its own."""
        from sinoread.search import Search

        if self._search is None:
            raise IndexUnusable(NOT_READY)
        own = Search(self.index, generation=self._generation)
        try:
            return own.documents()
        finally:
            own.close()

    # -- workbench, notes, reports ------------------------------------------------------

    @property
    def workbench_ready(self) -> Workbench | None:
        """The workbench of the index as it is now, if it was computed (else None)."""
        cached = self._workbench
        return cached[1] if cached is not None and cached[0] == self._version else None

    @property
    def workbench_stale(self) -> bool:
        """A workbench was computed, but for an older index."""
        cached = self._workbench
        return cached is not None and cached[0] != self._version

    def workbench(self) -> Workbench:
        """Timeline, actors and stories: every analysis read once per index version (slow on
        a large corpus: call it from a worker). A second caller meanwhile waits for the
        first one's, rather than reading every article again."""
        from sinoread.workbench.bench import Workbench

        ready = self.workbench_ready
        if ready is not None:
            return ready
        with self._workbench_lock:
            ready = self.workbench_ready
            if ready is not None:
                return ready
            version = self._version
            wb = Workbench(self.documents(), self.cfg)
            self._workbench = (version, wb)
            return wb

    def notes(self) -> NoteStore:
        """The notes database, opened on first use (an unusable one raises NotesError and is
        never replaced); notes made when ids were file names alone move to today's ids."""
        from sinoread.workbench.notes import NoteStore, default_notes_path

        if self._notes is None:
            self._notes = NoteStore(default_notes_path(), self.index.corpus)
        if not self._notes_migrated and self._search is not None and not self._search.partial:
            self._notes_migrated = True
            self._notes.migrate_ids(self.ids())
        return self._notes

    def anchored_notes(self, query: str | None = None, article_id: str | None = None) -> list[Any]:
        """Notes with each one's sentence found again in today's text of its article."""
        from sinoread.workbench.notes import anchor_all

        notes = self.notes().notes(article_id=article_id, query=query)
        lookup = self.article if self._search is not None else (lambda _id: None)
        return anchor_all(notes, lookup)

    def report(self, what: str, args: list[str], kind: str | None = None, source: str | None = None) -> Any:
        """The report `sinoread export WHAT ARGS` names; the reader's export key makes the same."""
        from sinoread.workbench.bench import ReportRequestError, make_report

        if self._search is None:
            raise ReportRequestError(NOT_READY)
        wb = self.workbench()
        store = self.notes() if what in ("article", "notes") else None
        return self._read(lambda s: make_report(what, args, s, wb, store, kind=kind, source=source))
