"""What the screens ask of the core, through the app's `Library`: rows, pairs, searches,
notes, reports, articles. Slow reads are called from the screens' workers.

A mixin of `SinoreadApp`."""

from __future__ import annotations

import threading
import time
from typing import Any

from sinoread.models import ArticleRow, MatrixRow, PairResult
from sinoread.tui.mixin import AppMixin


class LibraryAccess(AppMixin):
    def article_rows(self) -> list[ArticleRow]:
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

