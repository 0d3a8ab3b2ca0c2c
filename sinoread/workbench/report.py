"""Reports: a view of the corpus (pair, search, timeline, article, notes) as Markdown, CSV or JSON.

One `Report` shape serves every view and format: a title, what was asked, when, the sources
cited (with author and date), and rows of quoted sentences with their article ids. The
Markdown is meant to be pasted into a brief.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import stat
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sinoread.models import Analysis, Article, PairResult, SearchResult, to_plain
from sinoread.workbench.notes import Note
from sinoread.workbench.timeline import TimelineEntry, chains, pair_label

FORMATS = ("markdown", "csv", "json")
COLUMNS = ("section", "date", "date_origin", "article_id", "source", "author", "title", "kind", "status", "parties",
           "tone", "sentence", "note", "tags")

Row = dict[str, str | None]
"""One quoted sentence: its cells by column (keys from COLUMNS), each text or empty. The
columns differ by section, and a row is written as it is to CSV and JSON."""


@dataclass(frozen=True)
class Cited:
    """An article a report quotes, for its list of sources."""

    article_id: str
    title: str | None
    source: str | None
    author: str | None
    date: str | None

    @classmethod
    def of(cls, article_id: str, article: Article | None) -> Cited:
        if article is None:
            return cls(article_id, None, None, None, None)
        return cls(article_id, article.title, article.source, article.author, article.date)


@dataclass
class Report:
    title: str
    subject: str
    """What was asked: `Pair: China – Vietnam`, `Query: hotline`."""
    rows: list[Row]
    """One per quoted sentence."""
    sources: list[Cited]
    generated: str = field(default_factory=lambda: datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    notes: list[str] = field(default_factory=list)
    """Lines said under the title (counts, distinct stories, lifecycle chains)."""


def _n(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def _sources(ids: Iterable[str], articles: Mapping[str, Article]) -> list[Cited]:
    out = [Cited.of(i, articles.get(i)) for i in dict.fromkeys(ids)]
    return sorted(out, key=lambda s: (s.date or "9999", s.article_id))


def _entry_row(e: TimelineEntry) -> Row:
    return {"date": e.date, "date_origin": e.date_origin, "article_id": e.article_id, "source": e.source,
            "author": e.author, "title": e.title, "kind": e.kind, "status": e.status,
            "parties": " – ".join(e.parties), "sentence": e.sentence}


def timeline_report(entries: Sequence[TimelineEntry], articles: Mapping[str, Article],
                    subject: str = "all agreements") -> Report:
    lines = [f"{_n(len(entries), 'agreement')} in {_n(len({e.article_id for e in entries}), 'article')}, "
             f"{_n(len({e.story for e in entries}), 'distinct story', 'distinct stories')}."]
    for c in chains(entries):
        if len(c.entries) > 1:
            steps = " → ".join(f"{status}{f' ×{n}' if n > 1 else ''} ({date or 'undated'}, {art})"
                               for status, date, art, n in c.steps())
            lines.append(f"Lifecycle {c.label}: {steps}")
    return Report("Agreement timeline", subject, [_entry_row(e) for e in entries],
                  _sources((e.article_id for e in entries), articles), notes=lines)


def pair_report(pair: PairResult, entries: Sequence[TimelineEntry], articles: Mapping[str, Article],
                stories: int | None = None) -> Report:
    """Every agreement binding the pair (dated, timeline order), then the pair's other sentences;
    `stories`: how many distinct stories its articles tell (reposts counted once)."""
    a, b = pair.pair
    rows = [_entry_row(e) | {"section": "Agreements"} for e in entries]
    agreed = {(e.article_id, e.sentence) for e in entries}
    for art in pair.articles:
        for s in art.sentences:
            if (art.id, s.text) in agreed:
                continue
            cited = Cited.of(art.id, articles.get(art.id))
            rows.append({"section": "Other sentences naming both",
                         "date": cited.date, "date_origin": "article" if cited.date else None,
                         "article_id": art.id, "source": cited.source, "author": cited.author,
                         "title": cited.title, "tone": s.tone, "parties": f"{a} – {b}", "sentence": s.text})
    stories = len(pair.articles) if stories is None else stories
    lines = [f"{_n(len(entries), 'agreement')}; {_n(len(pair.articles), 'article')}, "
             f"{_n(stories, 'distinct story', 'distinct stories')}."]
    return Report(f"{a} – {b}", f"Pair: {a} – {b}", rows,
                  _sources([x.id for x in pair.articles] + [e.article_id for e in entries], articles),
                  notes=lines)


def search_report(result: SearchResult, articles: Mapping[str, Article]) -> Report:
    rows: list[Row] = []
    for h in result.hits:
        rows.append({"date": h.date, "article_id": h.id, "source": h.source,
                     "author": Cited.of(h.id, articles.get(h.id)).author,
                     "title": h.title, "sentence": " ".join(h.snippet.text.split())})
    return Report("Search results", f"Query: {result.query}", rows, _sources([h.id for h in result.hits], articles),
                  notes=[f"{result.total} matching article(s); {len(result.hits)} shown."])


def article_report(article: Article, analysis: Analysis, notes: Sequence[Note], starred: bool) -> Report:
    rows: list[Row] = [{"date": g.date, "date_origin": g.date_origin, "article_id": article.id, "source": article.source,
             "author": article.author, "title": article.title, "kind": g.kind, "status": g.status,
             "parties": " – ".join(g.parties), "sentence": g.sentence} for g in analysis.agreements]
    for n in notes:
        rows.append({"article_id": article.id, "source": article.source, "title": article.title,
                     "sentence": n.sentence, "note": n.note, "tags": " ".join(n.tags),
                     "status": n.status if n.status != "anchored" else None})
    people = sorted({m.name for m in analysis.mentions if m.kind == "person"})
    orgs = sorted({m.name for m in analysis.mentions if m.kind == "organization"})
    lines = [("★ starred. " if starred else "") + f"Countries: {', '.join(analysis.countries()) or '—'}",
             f"People: {', '.join(people) or '—'}", f"Organisations: {', '.join(orgs) or '—'}",
             f"Pairs: {', '.join(pair_label(p.countries) for p in analysis.pairs) or '—'}"]
    return Report(article.title or article.id, f"Article: {article.id}", rows, [Cited.of(article.id, article)],
                  notes=lines)


def notes_report(notes: Sequence[Note], articles: Mapping[str, Article], query: str | None = None) -> Report:
    rows: list[Row] = []
    for n in notes:
        cited = Cited.of(n.article_id, articles.get(n.article_id))
        rows.append({"date": cited.date, "article_id": n.article_id, "source": cited.source,
                     "author": cited.author, "title": cited.title, "sentence": n.sentence,
                     "note": n.note, "tags": " ".join(n.tags), "status": n.status})
    vanished = sum(n.status == "vanished" for n in notes)
    lines = [f"{len(notes)} note(s)" + (f"; {vanished} whose sentence is no longer in its article (kept)" if vanished else "")]
    return Report("Notes", f"Notes: {query}" if query else "Notes: all", rows,
                  _sources((n.article_id for n in notes), articles), notes=lines)


# --- formats ---------------------------------------------------------------------------


def _md(text: Any) -> str:
    """One line of Markdown-safe text: article text must not become headings, links or HTML."""
    s = " ".join(str(text).split())
    for ch in "\\`*_[]<>#|":
        s = s.replace(ch, "\\" + ch)
    return s


def _code(text: str) -> str:
    return "`" + " ".join(str(text).split()).replace("`", "'") + "`"


def to_markdown(r: Report) -> str:
    out = [f"# {_md(r.title)}", "", f"**{_md(r.subject)}** · generated {r.generated} by sinoread", ""]
    out += [f"{_md(line)}  " for line in r.notes]
    section = None
    for row in r.rows:
        if row.get("section", "Quoted sentences") != section:
            section = row.get("section", "Quoted sentences")
            out += ["", f"## {_md(section)}", ""]
        out += _markdown_row(row)
    if r.sources:
        out += ["", "## Sources", ""]
        for s in r.sources:
            parts = [_md(s.title or s.article_id)]
            parts += [_md(x) for x in (s.source, s.author, s.date) if x]
            out.append(f"- {', '.join(parts)} ({_code(s.article_id)})")
    return "\n".join(out) + "\n"


def _markdown_row(row: Row) -> list[str]:
    """`- **date · kind · status · parties** — source · author, `id`` and the sentence quoted."""
    when = row.get("date") or "undated"
    if row.get("date") and row.get("date_origin") == "article":
        when += " (article date)"
    meta = [when] + [str(row[k]) for k in ("kind", "status", "tone", "parties") if row.get(k)]
    src = " · ".join(_md(x) for x in (row.get("source"), row.get("author")) if x)
    lines = [f"- **{_md(' · '.join(meta))}** — {src + ', ' if src else ''}{_code(row['article_id'])}",
             f"  > {_md(row.get('sentence') or '')}"]
    if row.get("note"):
        tags = f" ({_md(row['tags'])})" if row.get("tags") else ""
        lines.append(f"  Note: {_md(row['note'])}{tags}")
    return lines


def to_csv(r: Report) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for row in r.rows:
        w.writerow({k: _csv_cell(row.get(k)) for k in COLUMNS})
    return buf.getvalue()


def _csv_cell(value: Any) -> Any:
    """A spreadsheet must not run article text as a formula (`=HYPERLINK(...)`)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_json(r: Report) -> str:
    return json.dumps({"title": r.title, "subject": r.subject, "generated": r.generated, "notes": r.notes,
                       "sources": to_plain(r.sources), "rows": r.rows}, ensure_ascii=False, indent=2)


RENDER = {"markdown": to_markdown, "csv": to_csv, "json": to_json}


EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".csv": "csv", ".json": "json"}


class ExportExists(ValueError):
    """The target file exists: it is replaced only when asked (`--force`, or confirmed in the app)."""


def format_for(path: str, fmt: str | None = None) -> str:
    """The format asked for, else the one the file name says (`.md`, `.csv`, `.json`); printing
    (no file) is Markdown. Any other extension is an error, not a guess."""
    if fmt:
        fmt = {"md": "markdown"}.get(fmt.lower(), fmt.lower())
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; use markdown, csv or json")
        return fmt
    if not path or path == "-":
        return "markdown"
    ext = Path(path).suffix.lower()
    if ext not in EXTENSIONS:
        raise ValueError(f"{path}: {'no' if not ext else 'unknown'} extension {ext}; end the name in .md, .csv "
                         "or .json (or give --format)")
    return EXTENSIONS[ext]


_KIND = {stat.S_IFLNK: "a symbolic link", stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a device",
         stat.S_IFBLK: "a device", stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


def write_report(r: Report, path: Path, fmt: str, force: bool = False) -> Path:
    """The one writer of exports (CLI and app): atomically (a half-written brief never replaces
    a good one), only ever a regular file, an existing one only with `force`, keeping its mode.
    Returns the path; ValueError (ExportExists) says what is wrong."""
    text = RENDER[fmt](r)
    path = path.expanduser()
    existing = _regular_or_none(path)
    if existing is not None and not force:
        raise ExportExists(f"{path} exists; replace it with --force (in the reader: Enter again)")
    if not path.parent.is_dir():
        raise ValueError(f"folder {path.parent} does not exist")
    tmp = path.with_name(f".sinoread-{os.getpid()}-{threading.get_ident() % 10_000}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)  # umask applies
        with os.fdopen(fd, "w", encoding="utf-8", newline="" if fmt == "csv" else None) as fh:
            fh.write(text)
            if existing is not None:
                os.fchmod(fh.fileno(), stat.S_IMODE(existing.st_mode))
        if existing is None:
            try:
                os.link(tmp, path)  # fails if something appeared there meanwhile: nothing is replaced
            except FileExistsError:
                raise
            except OSError as exc:  # no hard links (vfat, exFAT, some network shares): create it exclusively
                if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.EXDEV):
                    raise
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
                with os.fdopen(fd, "w", encoding="utf-8", newline="" if fmt == "csv" else None) as fh:
                    fh.write(text)
            tmp.unlink()
        else:
            if _regular_or_none(path) is None or _regular_or_none(path).st_ino != existing.st_ino:  # type: ignore[union-attr]
                raise ValueError(f"{path} changed while the report was written; nothing was replaced")
            os.replace(tmp, path)
    except FileExistsError:
        tmp.unlink(missing_ok=True)
        raise ValueError(f"{path} appeared while the report was written; nothing was replaced") from None
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ValueError(_os_message(path, exc)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _regular_or_none(path: Path) -> os.stat_result | None:
    """The stat of an existing regular file at `path`, None if there is nothing; ValueError for
    anything else (a link, FIFO, device or folder is never replaced by a report)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ValueError(_os_message(path, exc)) from None
    if not stat.S_ISREG(st.st_mode):
        kind = _KIND.get(stat.S_IFMT(st.st_mode), "not a regular file")
        raise ValueError(f"{path} is {kind}; reports are written only to regular files: choose another name")
    return st


def _os_message(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return f"the file name is too long for this system ({len(path.name)} characters); choose a shorter one"
    return f"cannot write {path} ({exc.strerror or exc})"
