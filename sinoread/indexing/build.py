"""Building the index: a full build into a new generation (resumable, batch by batch), an
incremental update inside the live one, and the learning pass both end with."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from contextlib import ExitStack, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sinoread import engine
from sinoread.extract.learning import learned_names
from sinoread.extract.trie import trie_pattern
from sinoread.indexing.documents import ListEntry, json_path, prepare, stored_article
from sinoread.indexing.errors import CorpusMissing, IndexUnusable
from sinoread.indexing.generations import BUILDING, MARKER, IndexFolder, Listing, read_listing
from sinoread.indexing.held import HOLD_CHARS, learn_held
from sinoread.indexing.workers import DocumentFn, ProgressFn, prepared, worker_pool
from sinoread.ingest.fold import fold
from sinoread.models import Analysis, Article, IndexReport, Problem, newest_first

if TYPE_CHECKING:
    from sinoread.engine import Fields
    from sinoread.ingest.files import SourceFile


def _applied(listing: Listing | None) -> list[str]:
    """The learned names a listing says its articles were analysed with (none: they are all
    looked for again)."""
    return list(listing.learned) if listing is not None else []


def _newest(entries: dict[str, ListEntry]) -> list[ListEntry]:
    """The listing's order: its rows newest first."""
    return [entries[r.id] for r in newest_first(e.row for e in entries.values())]


BATCH_DOCS = 5000
"""A full build commits every this many articles: what an interruption can lose, and what
bounds the writer's memory. The BBC corpus (2,225) is one batch, one commit."""
FIRST_BATCH = 250
"""When a reader follows a build (`on_commit`), its first commit comes after this many
articles and each next batch is four times the last, up to BATCH_DOCS: what is indexed so
far is searchable within seconds, for a few extra segments to merge at the end."""


@dataclass
class Index(IndexFolder):
    """One corpus's index folder, and the builds that keep it in line with the corpus."""

    def update(
        self, rebuild: bool = False, progress: ProgressFn | None = None,
        cancelled: Callable[[], bool] | None = None, wait: float = 30.0, workers: int | None = None,
        on_document: DocumentFn | None = None, on_merge: Callable[[], None] | None = None,
        on_commit: Callable[[str], None] | None = None,
    ) -> IndexReport:
        """Bring the index in line with the corpus: only new, changed and removed files.

        A full build interrupted part-way (Ctrl-C, a kill, the app closed) is resumed by the
        next run that needs a full build. `on_document` sees each article's list row as it
        is indexed, so a UI can fill in. `on_merge` is called when a build of several batches
        starts merging them into one segment: minutes at 100,000 articles, after the last one.
        `on_commit` is told the generation a full build has committed a batch to, so a reader
        can search what is indexed so far (`open_generation`); batches then start small."""
        from sinoread.ingest.files import scan

        with self._locked(wait):
            if not self.corpus.is_dir():  # never read a vanished folder as "every article removed"
                raise CorpusMissing(
                    f"the corpus folder {self.corpus} is gone (renamed, deleted or unmounted); "
                    "the index is kept as it was: bring the folder back or pass --corpus DIR"
                )
            unlisted: list[str] = []
            files, problems = scan(self.corpus, unlisted)
            if os.path.abspath(self.corpus) in {os.path.abspath(u) for u in unlisted}:
                raise CorpusMissing(
                    f"the corpus folder {self.corpus} cannot be listed right now ({problems[0].reason}); "
                    "the index is kept as it was"
                )
            self._unlisted = tuple(json_path(os.path.abspath(u).rstrip(os.sep) + os.sep) for u in unlisted)
            cur = self._current()
            hooks = (progress, cancelled, workers, on_document)
            if rebuild or not self._compatible(cur):
                resume = self._resumable()
                self._remove_leftovers(keep=resume)
                return self._full_build(files, problems, resume, *hooks, on_merge=on_merge, on_commit=on_commit)
            self._remove_leftovers()
            try:
                return self._incremental(files, problems, *hooks)
            except IndexUnusable:
                self._remove_leftovers()
                return self._full_build(files, problems, None, *hooks, on_merge=on_merge, on_commit=on_commit)

    def read_article(self, path: str, art_id: str) -> tuple[Article, Analysis] | None:
        """One article read and analysed straight from its file, without the index: for a
        reader that lists it before the build has committed it. None if it cannot be read."""
        from sinoread.ingest.files import SourceFile, inside_corpus

        if not inside_corpus(path, self.corpus):
            return None
        doc = prepare(SourceFile(art_id, path, 0, 0, target=os.path.realpath(path)), self.cfg)
        if isinstance(doc, Problem):
            return None
        art, analysis = stored_article(doc)
        return replace(art, path=json_path(art.path)), analysis

    def _full_build(
        self, files: list[SourceFile], problems: list[Problem], resume: Path | None,
        progress: ProgressFn | None, cancelled: Callable[[], bool] | None, workers: int | None,
        on_document: DocumentFn | None, on_merge: Callable[[], None] | None = None,
        on_commit: Callable[[str], None] | None = None,
    ) -> IndexReport:
        """Build a new generation in batches, each one committed with the overview as its
        record, then merge it and make it live. The live index is untouched throughout."""
        cur = self._current() if self._compatible(self._current()) else None
        entries: dict[str, ListEntry] = {}
        ix = None
        if resume is not None:
            try:
                ix = engine.open_index(str(resume))
                listing = read_listing(resume)
                assert listing is not None
                entries = {e.row.id: e for e in listing.articles}
                gen_dir = resume
            except Exception:  # a damaged leftover: start afresh
                shutil.rmtree(resume, ignore_errors=True)
                ix, entries = None, {}
        if ix is None:
            gen_no = 1 + max([int(p.name[4:]) for p in self.root.glob("gen-*") if p.name[4:].isdigit()] or [0])
            gen_dir = self.root / f"gen-{gen_no:06d}"
        stamps = {f.id: (json_path(f.path), f.mtime_ns, f.size) for f in files}
        stale = [i for i, e in entries.items() if stamps.get(i) != e.stamp]
        for art_id in stale:
            del entries[art_id]
        todo = [f for f in files if f.id not in entries]
        if on_document:
            for e in entries.values():
                on_document(replace(e.row, path=e.stamp[0]))
        added: list[str] = []
        bad: dict[str, list[Any]] = {}
        resumable = resume is not None
        try:
            if ix is None:
                gen_dir.mkdir(mode=0o700)
                (gen_dir / MARKER).write_text("a generation of a sinoread index\n")
                (gen_dir / BUILDING).write_text(json.dumps(self._build_key()))
                ix = engine.create_index(str(gen_dir))
            writer = engine.open_writer(ix)
            try:
                if stale:
                    engine.delete_ids(writer, stale)
                in_batch = 0
                batch = min(FIRST_BATCH, BATCH_DOCS) if on_commit else BATCH_DOCS
                if on_commit and entries:
                    on_commit(gen_dir.name)  # a resumed build: what it has is searchable now
                # One batch, written once: the documents wait until the learning pass has
                # chosen which to analyse again, so the index needs no second segment to merge.
                held: list[Fields] | None = [] if resume is None and not entries and not on_commit \
                    and len(todo) < BATCH_DOCS else None
                held_chars = 0
                pools = ExitStack()  # a held build keeps its workers for the learning pass
                pool = worker_pool(self.cfg, workers, len(todo)) if held is not None else None
                if pool is not None:
                    pools.callback(pool.shutdown, cancel_futures=True)
                with pools:
                    for doc in prepared(self.cfg, todo, problems, progress, cancelled, workers, on_document,
                                        done=len(entries), bad=bad, pool=pool):
                        if held is not None:
                            held.append(doc)
                            held_chars += len(doc["body"])
                            if held_chars > HOLD_CHARS:  # too much to keep: index them now, merge later
                                for d in held:
                                    engine.add_document(writer, d)
                                held = None
                        else:
                            engine.add_document(writer, doc)
                        added.append(doc["id"])
                        entries[doc["id"]] = ListEntry.of(doc)
                        in_batch += 1
                        if in_batch >= batch:  # a resumable point; also frees the writer's pool
                            writer.commit(merge=False)
                            self._write_overview(gen_dir, _newest(entries), None, bad)
                            resumable = True
                            writer, in_batch = engine.open_writer(ix), 0
                            batch = min(4 * batch, BATCH_DOCS)
                            if on_commit:
                                on_commit(gen_dir.name)
                    if held is not None:
                        learned = learn_held(self.cfg, writer, held, files, entries, problems, pool)
                # Merged once, after the learning pass below (which replaces some documents).
                writer.commit(merge=False)
            except BaseException:
                with suppress(Exception):  # already closed if the interruption came between batches
                    writer.cancel()
                raise
            if held is None:
                learned, relearned = self._learn(ix, files, entries, problems, applied=set(), added=set())
            if held is None and not on_commit and (resumable or relearned):
                # A reader that follows the build keeps its batches as segments (merging them
                # was 40% of its time; updates merge small ones later). Otherwise: one segment,
                # without the documents the learning pass replaced.
                if on_merge:
                    on_merge()
                engine.open_writer(ix).commit(optimize=True)
            ordered = _newest(entries)
            self._write_overview(gen_dir, ordered, self._first_article(ix, ordered), bad, learned)
            (gen_dir / BUILDING).unlink()
            self._write_current(gen_dir.name, previous=cur.get("gen") if cur else None)
        except (KeyboardInterrupt, SystemExit):
            if not resumable:  # nothing committed yet: nothing to resume
                shutil.rmtree(gen_dir, ignore_errors=True)
            raise  # the committed batches stay for the next run to resume
        except BaseException as exc:
            shutil.rmtree(gen_dir, ignore_errors=True)
            if isinstance(exc, OSError):
                raise IndexUnusable(
                    f"could not write the index in {self.root} ({exc.strerror or exc}); "
                    "the previous index is untouched; free space or choose --index DIR"
                ) from None
            raise
        self._remove_leftovers()
        resumed = len(entries) - len(added)
        return IndexReport(added=tuple(added), skipped=tuple(problems), rebuilt=True, resumed=resumed)

    def _learn(self, ix: Any, files: list[SourceFile], entries: dict[str, ListEntry],
               problems: list[Problem], applied: set[str], added: set[str]) -> tuple[list[str], int]:
        """Re-analyse the articles that contain a name another article taught and miss it:
        for a name learned now, every such article (found through the index); for the
        articles added now, every name learned so far. Returns the names now applied, and
        how many articles were analysed again."""
        learned = learned_names((i, list(e.taught)) for i, e in sorted(entries.items()))
        if not learned:
            return [], 0
        new = [k for k, v in learned.items() if v.name not in applied]
        targets: set[str] = set()
        with ix.searcher() as s:
            def misses(doc: Fields, name: str) -> bool:
                return f'"{name}"' not in doc.get("analysis", "")  # not marked there yet

            for key in new:
                terms = engine.indexed_words(learned[key].name)
                if len(terms) < 2:
                    continue
                for hit in engine.phrase_documents(s, "body", terms):
                    if misses(hit, learned[key].name):
                        targets.add(hit["id"])
            if added and len(learned) > len(new):
                rx = re.compile(rf"(?<!\w)(?:{trie_pattern(learned)})(?!\w)")
                for art_id in added:
                    doc = s.document(id=art_id)
                    if doc is not None and any(misses(doc, learned[m.group(0)].name) for m in rx.finditer(fold(doc["body"]))):
                        targets.add(art_id)
        by_id = {f.id: f for f in files}
        redo = [by_id[i] for i in sorted(targets) if i in by_id]
        if redo:
            writer = engine.open_writer(ix, timeout=5.0)
            try:
                engine.delete_ids(writer, [f.id for f in redo])
                for f in redo:
                    entries.pop(f.id, None)  # back below, unless the file cannot be read now
                for doc in prepared(self.cfg, redo, problems, None, None, None, None, learned=learned):
                    engine.add_document(writer, doc)
                    entries[doc["id"]] = ListEntry.of(doc)
                writer.commit(merge=False)
            except BaseException:
                writer.cancel()
                raise
        return sorted({v.name for v in learned.values()}), len(redo)

    def _first_article(self, ix: Any, ordered: list[ListEntry]) -> tuple[Article, Analysis] | None:
        if not ordered:
            return None
        with ix.searcher() as s:
            doc = s.document(id=ordered[0].row.id)
        return stored_article(doc) if doc else None

    def _incremental(
        self, files: list[SourceFile], problems: list[Problem], progress: ProgressFn | None,
        cancelled: Callable[[], bool] | None, workers: int | None, on_document: DocumentFn | None,
    ) -> IndexReport:
        ix = self.open()
        overview, listing = self.overview(), self.listing()
        if overview is not None and listing is not None:
            entries = {e.row.id: e for e in listing.articles}
        else:  # no usable overview: read every stored document once, and write one
            with ix.searcher() as s:
                entries = {f["id"]: ListEntry.of(f) for f in s.all_stored_fields()}
        known = {i: e.stamp for i, e in entries.items()}
        on_disk = {f.id: f for f in files}
        changed = [f for f in files if f.id in known and known[f.id] != (json_path(f.path), f.mtime_ns, f.size)]
        remembered = listing.skipped if listing is not None else {}
        bad: dict[str, list[Any]] = {}
        new = []
        for f in files:
            if f.id in known:
                continue
            was = remembered.get(json_path(f.path))
            if isinstance(was, list) and len(was) == 3 and was[:2] == [f.mtime_ns, f.size]:
                problems.append(Problem(f.path, str(was[2])))  # skipped before, unchanged since
                bad[json_path(f.path)] = was
            else:
                new.append(f)
        # Articles in a folder that could not be listed this time (a network hiccup) stay.
        unlisted = getattr(self, "_unlisted", ())
        removed = sorted(i for i in set(known) - set(on_disk)
                         if not (unlisted and json_path(str(entries[i].stamp[0])).startswith(unlisted)))
        if not (changed or new or removed):
            if overview is None or listing is None or bad != remembered:
                ordered = _newest(entries)
                self._write_overview(Path(ix.storage.folder), ordered, self._first_article(ix, ordered), bad,
                                     _applied(listing))
            return IndexReport(unchanged=len(files), skipped=tuple(problems))
        with ix.reader() as reader:  # each ix.doc_count*() call would open every segment again
            count_all, count_live = reader.doc_count_all(), reader.doc_count()
        try:
            writer = engine.open_writer(ix, timeout=5.0)
        except Exception as exc:
            raise IndexUnusable(f"index writer unavailable ({type(exc).__name__})") from None
        added, updated = [], []
        try:
            # One query deletes every stale id (delete_by_term opens a searcher per call). New
            # ids are included: should the overview ever disagree with the index, an article
            # already indexed is replaced, never doubled.
            stale = removed + [f.id for f in changed] + [f.id for f in new]
            if stale:
                engine.delete_ids(writer, stale)
            changed_ids = {f.id for f in changed}
            for art_id in removed + list(changed_ids):
                entries.pop(art_id, None)
            for doc in prepared(self.cfg, new + changed, problems, progress, cancelled, workers, on_document, bad=bad):
                engine.add_document(writer, doc)
                (updated if doc["id"] in changed_ids else added).append(doc["id"])
                entries[doc["id"]] = ListEntry.of(doc)
            # Deleted documents linger in their segment until it is merged; once they are
            # a tenth of the index, rewrite it so statistics and disk stay honest.
            deleted = count_all - count_live + len(removed) + len(changed)
            writer.commit(optimize=deleted > 0.1 * max(count_all, 1))
        except BaseException:
            writer.cancel()
            raise
        learned, _ = self._learn(ix, files, entries, problems, applied=set(_applied(listing)),
                                 added=set(added) | set(updated))
        first = overview.first if overview is not None else None
        newest = _newest(entries)
        if not (first and newest and first[0].id == newest[0].row.id and newest[0].row.id not in stale):
            first = self._first_article(self.open(), newest)  # the newest article changed: fetch it
        self._write_overview(Path(ix.storage.folder), newest, first, bad, learned)
        # A changed file that became unreadable was deleted above: report it as removed.
        gone = [f.id for f in changed if f.id not in updated]
        return IndexReport(
            added=tuple(added), updated=tuple(updated), removed=tuple(removed + gone),
            unchanged=len(files) - len(new) - len(changed), skipped=tuple(problems),
        )
