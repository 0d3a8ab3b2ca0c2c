"""Stars and notes: the analyst's own data, in SQLite in the user data folder.

Unlike the index (a cache, rebuilt at will) this is never thrown away. A note is keyed by
corpus folder, article id and the sentence's text, not by offsets, so it survives
re-indexing and edits elsewhere in the file: it is re-anchored by finding its sentence
again (exactly, then with spacing normalised, then the most similar sentence). A note whose
sentence is gone is kept and flagged `vanished`.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from sinoread.ingest.files import walk_order
from sinoread.models import OMIT, Analysis, Article, as_json
from sinoread.workbench.stories import similarity, words

FUZZY = 0.6
"""Word overlap from which an edited sentence is still the note's sentence."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS stars (
    corpus TEXT NOT NULL, article_id TEXT NOT NULL, created TEXT NOT NULL,
    PRIMARY KEY (corpus, article_id)
);
CREATE TABLE IF NOT EXISTS notes (
    id INTEGER PRIMARY KEY, corpus TEXT NOT NULL, article_id TEXT NOT NULL,
    sentence TEXT NOT NULL, offset INTEGER NOT NULL, note TEXT NOT NULL, tags TEXT NOT NULL,
    created TEXT NOT NULL, updated TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS notes_article ON notes (corpus, article_id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class NotesError(Exception):
    """The notes database cannot be used; the message says which file and what to do."""


def default_notes_path() -> Path:
    env = os.environ.get("SINOREAD_NOTES")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("sinoread")) / "notes.sqlite3"


@dataclass(frozen=True)
class Note:
    id: int
    article_id: str
    sentence: str
    """The sentence as it was when the note was written: the anchor."""
    offset: int = field(metadata=OMIT)
    """Where the sentence was when the note was written (`current` is where it is now)."""
    note: str
    tags: tuple[str, ...]
    created: str
    updated: str
    status: str = "unchecked"
    """After `anchor`: `anchored`, `moved` (found elsewhere), `edited` (found changed),
    `vanished` (sentence gone, note kept) or `article missing`."""
    current: tuple[int, int] | None = field(default=None, metadata=as_json("offset", lambda c: c and c[0]))
    """Where the sentence is now, after `anchor` (its start is the JSON's `offset`)."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _tags(text: str | Iterable[str]) -> tuple[str, ...]:
    items = text.replace(",", " ").split() if isinstance(text, str) else list(text)
    return tuple(dict.fromkeys(t.strip().lstrip("#").casefold() for t in items if t.strip().lstrip("#")))


class NoteStore:
    """One corpus's stars and notes in a shared SQLite file (WAL: the app and the CLI can both write)."""

    def __init__(self, path: Path, corpus: Path) -> None:
        self.path = path
        self.corpus = str(Path(corpus).resolve())
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=5.0, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise NotesError(
                f"notes database {path} cannot be used ({exc}); it is left untouched: move it aside "
                "or set SINOREAD_NOTES to another file"
            ) from None

    def close(self) -> None:
        self._db.close()

    def _write(self, sql: str, args: tuple) -> sqlite3.Cursor:
        try:
            with self._db:
                return self._db.execute(sql, args)
        except sqlite3.Error as exc:
            raise NotesError(f"notes database {self.path}: {exc}") from None

    # -- stars --

    def star(self, article_id: str, on: bool = True) -> None:
        if on:
            self._write("INSERT OR IGNORE INTO stars VALUES (?, ?, ?)", (self.corpus, article_id, _now()))
        else:
            self._write("DELETE FROM stars WHERE corpus = ? AND article_id = ?", (self.corpus, article_id))

    def toggle_star(self, article_id: str) -> bool:
        on = article_id not in self.stars()
        self.star(article_id, on)
        return on

    def stars(self) -> set[str]:
        rows = self._db.execute("SELECT article_id FROM stars WHERE corpus = ?", (self.corpus,))
        return {r[0] for r in rows}

    # -- ids --

    def migrate_ids(self, ids: Iterable[str]) -> int:
        """Re-key stars and notes made when an id was the file name alone (`001`, before
        schema 9) to today's path id (`business/001`). The old id belonged to the first such
        file in the folder walk (a folder's files before its subfolders, each sorted), so that
        is the one it moves to. Returns how many rows moved; ids that still exist stay."""
        key = f"ids:{self.corpus}"  # the file is shared by every corpus
        done = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        if done is not None:  # once per database: a top-level `001` skipped today is not old
            return 0
        known = set(ids)
        rows = self._db.execute(
            "SELECT article_id FROM stars WHERE corpus = ? UNION SELECT article_id FROM notes WHERE corpus = ?",
            (self.corpus, self.corpus),
        ).fetchall()
        orphans = {r[0] for r in rows if r[0] not in known and "/" not in r[0]}
        if not orphans:
            self._write("INSERT OR REPLACE INTO meta VALUES (?, 'paths')", (key,))
            return 0
        owner: dict[str, str] = {}
        for new in sorted((i for i in known if "/" in i), key=lambda i: walk_order(i, "/")):
            owner.setdefault(new.rsplit("/", 1)[1], new)
        moved = 0
        try:
            with self._db:
                for old in sorted(orphans):
                    new = owner.get(old)
                    if new is None:
                        continue
                    for table in ("stars", "notes"):
                        verb = "UPDATE OR IGNORE" if table == "stars" else "UPDATE"
                        moved += self._db.execute(
                            f"{verb} {table} SET article_id = ? WHERE corpus = ? AND article_id = ?",
                            (new, self.corpus, old),
                        ).rowcount
                self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, 'paths')", (key,))
        except sqlite3.Error as exc:
            raise NotesError(f"notes database {self.path}: {exc}") from None
        return moved

    # -- notes --

    def add(self, article_id: str, sentence: str, offset: int, note: str, tags: str | Iterable[str] = ()) -> Note:
        now = _now()
        tag_t = _tags(tags)
        cur = self._write(
            "INSERT INTO notes (corpus, article_id, sentence, offset, note, tags, created, updated) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (self.corpus, article_id, sentence, offset, note, " ".join(tag_t), now, now),
        )
        return Note(int(cur.lastrowid or 0), article_id, sentence, offset, note, tag_t, now, now)

    def update(self, note_id: int, note: str, tags: str | Iterable[str]) -> None:
        self._write("UPDATE notes SET note = ?, tags = ?, updated = ? WHERE id = ? AND corpus = ?",
                    (note, " ".join(_tags(tags)), _now(), note_id, self.corpus))

    def delete(self, note_id: int) -> None:
        self._write("DELETE FROM notes WHERE id = ? AND corpus = ?", (note_id, self.corpus))

    def notes(self, article_id: str | None = None, query: str | None = None) -> list[Note]:
        """Notes of one article or all, optionally those whose note, tags or sentence contain
        every word of `query` (`#tag` matches a tag exactly)."""
        sql = "SELECT id, article_id, sentence, offset, note, tags, created, updated FROM notes WHERE corpus = ?"
        args: list[object] = [self.corpus]
        if article_id is not None:
            sql += " AND article_id = ?"
            args.append(article_id)
        rows = [Note(r[0], r[1], r[2], r[3], r[4], tuple(r[5].split()), r[6], r[7])
                for r in self._db.execute(sql + " ORDER BY article_id, offset, id", args)]
        if query:
            terms = query.casefold().split()
            rows = [n for n in rows if all(
                (t[1:] in n.tags) if t.startswith("#") else
                (t in n.note.casefold() or t in n.sentence.casefold() or t in n.tags) for t in terms)]
        return rows


def anchor(note: Note, article: Article | None, analysis: Analysis | None = None) -> Note:
    """Find the note's sentence in the article as it is now."""
    if article is None:
        return replace(note, status="article missing", current=None)
    text = article.text
    hits = _find_all(text, note.sentence)
    if hits:
        at = min(hits, key=lambda h: abs(h - note.offset))
        status = "anchored" if at == note.offset else "moved"
        return replace(note, status=status, current=(at, at + len(note.sentence)))
    flat = " ".join(note.sentence.split())
    flat_text, back = _flatten(text)
    hits = _find_all(flat_text, flat)
    if hits:
        at = min(hits, key=lambda h: abs(back[h] - note.offset))
        return replace(note, status="moved", current=(back[at], back[at + len(flat) - 1] + 1))
    if analysis is not None:
        want = words(note.sentence)
        best, score = None, 0.0
        for s in analysis.sentences:
            sc = similarity(want, words(text[s.start:s.end]))
            if sc > score:
                best, score = s, sc
        if best is not None and score >= FUZZY:
            return replace(note, status="edited", current=(best.start, best.end))
    return replace(note, status="vanished", current=None)


def anchor_all(notes: Iterable[Note], lookup: Callable[[str], tuple[Article, Analysis] | None]) -> list[Note]:
    """Anchor each note in its article as `lookup(article_id)` returns it now."""
    out, cache = [], {}
    for n in notes:
        if n.article_id not in cache:
            cache[n.article_id] = lookup(n.article_id)
        got = cache[n.article_id]
        out.append(anchor(n, got[0] if got else None, got[1] if got else None))
    return out


def _find_all(text: str, needle: str) -> list[int]:
    out, i = [], text.find(needle)
    while i != -1 and needle:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


def _flatten(text: str) -> tuple[str, list[int]]:
    """`text` with runs of whitespace made one space, and where each character came from."""
    out: list[str] = []
    back: list[int] = []
    space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not space:
                out.append(" ")
                back.append(i)
            space = True
        else:
            out.append(ch)
            back.append(i)
            space = False
    return "".join(out), back
