"""A one-batch full build's documents, held until the learning pass has chosen which to
analyse again: then each is written once, and the index needs no second segment to merge."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from sinoread import engine
from sinoread.config import Config
from sinoread.extract.learning import learned_names
from sinoread.extract.people import learned_pattern
from sinoread.indexing.documents import ListEntry
from sinoread.indexing.workers import reanalysed_all
from sinoread.ingest.fold import fold
from sinoread.models import Problem

if TYPE_CHECKING:
    from sinoread.engine import Fields
    from sinoread.extract.learning import Known
    from sinoread.ingest.files import SourceFile

HOLD_CHARS = 200_000_000
"""A one-batch build keeps its documents until the learning pass (their text, analysis and
postings: a few times this many bytes); past this much text they are indexed at once and
merged after the pass instead."""


def _phrase_targets(docs: list[Fields], learned: dict[str, Known]) -> set[str]:
    """The ids `Index._learn`'s phrase search picks among documents not yet indexed: a learned
    name's indexed words at consecutive positions (as Whoosh's Phrase, slop 1), the name not
    marked."""
    by_first: dict[str, list[tuple[str, list[str]]]] = {}
    for k in learned.values():
        if len(words := engine.indexed_words(k.name)) >= 2:
            by_first.setdefault(words[0], []).append((k.name, words))
    wanted = frozenset(w for phrases in by_first.values() for _, words in phrases for w in words)
    targets: set[str] = set()
    for doc in docs:
        at = engine.body_positions(doc["_postings"]["body"], wanted)
        if any(all(w in at for w in words) and f'"{name}"' not in doc["analysis"] and any(
                all(p + i in at[w] for i, w in enumerate(words)) for p in at[words[0]])
               for first in at for name, words in by_first.get(first, ())):
            targets.add(doc["id"])
    return targets


def learn_held(cfg: Config, writer: Any, held: list[Fields], files: list[SourceFile],
               entries: dict[str, ListEntry], problems: list[Problem], pool: Any | None = None) -> list[str]:
    """`Index._learn` for a build whose documents are not indexed yet: the same articles are
    analysed again (the phrase search read from their postings), and every document is
    written once, in the order `Index._learn` and the merge after it leave them: the others in
    corpus order, then those analysed again. Returns the names applied."""
    learned = learned_names((i, list(e.taught)) for i, e in sorted(entries.items()))
    targets = _phrase_targets(held, learned) if learned else set()
    by_id = {f.id: f for f in files}
    # A target whose text names no learned name would be analysed to the same document.
    names = learned_pattern(learned) if learned else None
    same = {d["id"]: d for d in held if d["id"] in targets and not names.search(fold(d["body"]))}  # type: ignore[union-attr]
    redo = [d for d in sorted(held, key=lambda d: d["id"]) if d["id"] in targets and d["id"] not in same]
    items = [(d["body"], d["date_iso"], by_id[d["id"]].path) for d in redo]
    with ThreadPoolExecutor(1) as thread:  # analysed on the pool while the others are written
        again = thread.submit(reanalysed_all, cfg, items, learned, pool)
        for doc in held:
            if doc["id"] not in targets:
                engine.add_document(writer, doc)
        for d in redo:
            entries.pop(d["id"], None)  # back below, unless the analysis fails now
        fresh = {d["id"]: (d, got) for d, got in zip(redo, again.result())}
        for i in sorted(targets):
            doc = same.get(i)
            if doc is None:
                old, got = fresh[i]
                if isinstance(got, Problem):
                    problems.append(got)
                    continue
                doc = {**old, **got}  # the text and its postings kept, the analysis anew
            entries.pop(i, None)
            engine.add_document(writer, doc)
            entries[i] = ListEntry.of(doc)
    return sorted({v.name for v in learned.values()})
