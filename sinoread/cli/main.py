"""Command line: arguments, subcommands, `--json` output and exit codes.

Commands that do not open the reader never import Textual, so scripts stay fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

from sinoread.config import Config, ConfigError, load_config
from sinoread.indexing import Index, IndexUnusable
from sinoread.indexing.generations import default_index_dir
from sinoread.library import Library
from sinoread.models import IndexReport, to_plain
from sinoread.resources import bundled_seeds_path

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad input from the user: exit 2 with this one-line message."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"sinoread: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--corpus", metavar="DIR", default=argparse.SUPPRESS,
                        help="folder of .txt/.md articles (env SINOREAD_CORPUS; default: bundled seeds)")
    common.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS,
                        help="config.yaml to use (env SINOREAD_CONFIG; default: the user config folder's, else the bundled one)")
    common.add_argument("--index", metavar="DIR", default=argparse.SUPPRESS,
                        help="index folder (env SINOREAD_INDEX; default: user cache dir)")
    p = _Parser(prog="sinoread", parents=[common],
                description="Read, search and compare articles on security cooperation between states.")
    from sinoread import __version__
    p.add_argument("--version", action="version", version=f"sinoread {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    s = sub.add_parser("index", parents=[common], help="build or update the index")
    s.add_argument("--rebuild", action="store_true", help="start over instead of updating")
    s.add_argument("--wait", type=float, default=30.0, metavar="SECONDS",
                   help="how long to wait for another indexer (default 30)")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("articles", parents=[common], help="list articles")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("show", parents=[common], help="an article with its actors, agreements and pairs")
    s.add_argument("ids", nargs="*", metavar="ID")
    s.add_argument("--all", action="store_true", help="every article")
    s.add_argument("--raw", action="store_true", help="print the original file's text")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("search", parents=[common], help="keyword search (Whoosh query syntax)")
    s.add_argument("query", nargs="+")
    s.add_argument("--limit", type=int, default=20)
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("pairs", parents=[common], help="two countries: where they meet; none: the matrix")
    s.add_argument("countries", nargs="*", metavar="COUNTRY")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("timeline", parents=[common], help="every agreement on one time axis")
    s.add_argument("countries", nargs="*", metavar="COUNTRY", help="two countries: only agreements binding both")
    s.add_argument("--kind", metavar="K", help="hotline, arms, patrol, ...")
    s.add_argument("--source", metavar="S", help="only what this outlet reported")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("actors", parents=[common], help="people and organisations across the corpus")
    s.add_argument("name", nargs="*", metavar="NAME", help="one actor: its articles, sentences and company")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("sources", parents=[common], help="articles per source and author; repeated stories")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("notes", parents=[common], help="your notes (search: words or #tag)")
    s.add_argument("query", nargs="*", metavar="WORD")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("export", parents=[common], help="a report as Markdown, CSV or JSON",
                       description="sinoread export pair A B | search QUERY | timeline [A B] | article ID | notes [QUERY]")
    s.add_argument("what", choices=["pair", "search", "timeline", "article", "notes"])
    s.add_argument("args", nargs="*", metavar="ARG")
    s.add_argument("--kind", metavar="K", help="timeline: only this kind")
    s.add_argument("--format", choices=["markdown", "md", "csv", "json"], help="default: from the file name, else markdown")
    s.add_argument("--output", "-o", metavar="FILE", help="file to write (default: print)")
    s.add_argument("--force", action="store_true", help="replace FILE if it exists")
    return p


# --- plumbing ---------------------------------------------------------------------------


def _setting(args: argparse.Namespace, name: str, env: str) -> str | None:
    return getattr(args, name, None) or os.environ.get(env) or None


def load_settings(args: argparse.Namespace) -> tuple[Config, Path, Path]:
    """Config, corpus folder and index folder from flags, environment and config."""
    cfg_path = _setting(args, "config", "SINOREAD_CONFIG")
    if cfg_path is None:  # what the reader taught goes to the user's copy; it wins over the bundled file
        from sinoread.workbench.teach import user_config_path

        user = user_config_path()
        cfg_path = str(user) if user.is_file() else None
    cfg = load_config(cfg_path)
    corpus = _setting(args, "corpus", "SINOREAD_CORPUS")
    if corpus is None and cfg.corpus:
        corpus = str((Path(cfg.path).parent / Path(cfg.corpus).expanduser()).resolve())
    corpus_path = Path(corpus).expanduser() if corpus else bundled_seeds_path()
    if not corpus_path.is_dir():
        raise UsageError(f"corpus folder {corpus_path} not found; pass --corpus DIR")
    index = _setting(args, "index", "SINOREAD_INDEX")
    index_path = Path(index).expanduser() if index else default_index_dir(corpus_path)
    return cfg, corpus_path.resolve(), index_path


def _stderr(msg: str) -> None:
    """A message on stderr; paths and ids in it come from the folder, so they are made inert."""
    from sinoread.ingest.sanitize import sanitize

    print(sanitize(msg), file=sys.stderr)


def _forgiving_streams() -> None:
    """In a locale that cannot spell Vietnamese or Chinese (ISO-8859-1, ASCII), print `?`
    rather than stop on the first title with a UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding not in ("utf8", "utf8sig") and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


NO_TERMINAL = (
    "sinoread: the reader needs a terminal on stdin and stdout; for scripts use `sinoread index`, "
    "`articles`, `show`, `search`, `pairs`, `timeline`, `actors`, `sources`, `notes` or `export` (each with --json)"
)


def _print_json(obj: Any) -> None:
    # UTF-8 whatever the locale; a file name's undecodable bytes (lone surrogates) as \\udcxx.
    sys.stdout.reconfigure(encoding="utf-8", errors="backslashreplace")  # type: ignore[union-attr]
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def _progress_printer() -> Any:
    """A one-line bar on a terminal's stderr, with the rate and time left, redrawn at most
    ten times a second (a 100,000-article build calls it 100,000 times)."""
    if not sys.stderr.isatty():
        return None
    started = time.monotonic()
    last = 0.0
    base: int | None = None  # articles a resumed build already had: not part of this run's rate

    def show(done: int, total: int, art_id: str) -> None:
        nonlocal last, base
        if base is None:
            base = done - 1
        now = time.monotonic()
        if done != total and now - last < 0.1:
            return
        last = now
        width = 30
        filled = int(width * done / max(total, 1))
        rate = (done - base) / max(now - started, 1e-9)
        left = (total - done) / rate if rate > 0 else 0.0
        eta = f"{int(left // 60)}:{int(left % 60):02d} left" if done < total else "done"
        print(f"\rindexing [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} · {rate:,.0f}/s · {eta}  ",
              end="", file=sys.stderr)
        if done == total:
            print(file=sys.stderr)

    return show


def _merge_notice() -> None:
    if sys.stderr.isatty():
        print("merging the batches into one segment (minutes for a large corpus) ...", file=sys.stderr)


def opened(library: Library, quiet: bool = False) -> Library:
    """The library over a current index, building it first if it is missing or stale."""
    if not library.index.is_current():
        if not quiet:
            _stderr(f"sinoread: building the index for {library.index.corpus} ...")
        report = library.index.update(progress=_progress_printer(), on_merge=_merge_notice)
        for problem in report.skipped:
            _stderr(f"skipped {problem}")
    if not library.ready:
        library.reopen(fresh=True)
    return library


# --- commands ---------------------------------------------------------------------------


def cmd_index(args: argparse.Namespace, library: Library) -> int:
    index = library.index
    report: IndexReport = index.update(
        rebuild=args.rebuild, progress=None if args.json else _progress_printer(), wait=args.wait,
        on_merge=None if args.json else _merge_notice,
    )
    if args.json:
        _print_json({
            "index": str(index.root), "rebuilt": report.rebuilt, "resumed": report.resumed, "added": list(report.added),
            "updated": list(report.updated), "removed": list(report.removed), "unchanged": report.unchanged,
            "skipped": [{"path": p.path, "reason": p.reason} for p in report.skipped],
        })
    else:
        what = "built" if report.rebuilt else "updated"
        if report.resumed:
            print(f"resumed an interrupted build: {report.resumed:,} articles were already indexed")
        print(f"index {what}: {len(report.added)} added, {len(report.updated)} updated, "
              f"{len(report.removed)} removed, {report.unchanged} unchanged, {len(report.skipped)} skipped")
        for p in report.skipped:
            print(f"  skipped {p}")
    if args.json:  # scripts read stdout; a person watching stderr still sees what was skipped
        for p in report.skipped:
            _stderr(f"skipped {p}")
    return EXIT_OK


def cmd_articles(args: argparse.Namespace, library: Library) -> int:
    rows = opened(library, quiet=args.json).articles()
    if args.json:
        _print_json(rows)
        return EXIT_OK
    for r in rows:
        countries = ", ".join(r["countries"][:4])
        print(f"{r['id']}  {r['date'] or '----------'}  {r['title'] or '(untitled)'}"
              f"{'  — ' + r['source'] if r['source'] else ''}  [{countries}]")
    return EXIT_OK


def article_json(art: Any, analysis: Any) -> dict[str, Any]:
    actors: dict[tuple[str, str], dict[str, Any]] = {}
    for m in analysis.mentions:
        if m.kind in ("person", "organization"):
            a = actors.setdefault((m.kind, m.name), {
                "name": m.name, "kind": m.kind, "role": m.role, "country": m.country, "mentions": 0,
            })
            a["mentions"] += 1
    return {
        "id": art.id, "path": art.path, "title": art.title, "author": art.author, "source": art.source,
        "date": art.date, "url": art.url, "text": art.text,
        "countries": [{"name": n, "mentions": c} for n, c in analysis.countries().items()],
        "actors": sorted(actors.values(), key=lambda a: (-a["mentions"], a["name"])),
        "agreements": [
            {"sentence": g.sentence, "kind": g.kind, "status": g.status, "parties": list(g.parties),
             "date": g.date, "date_origin": g.date_origin, "why": g.why, "start": g.start, "end": g.end}
            for g in analysis.agreements
        ],
        "pairs": [
            {"countries": list(p.countries), "sentences": len(p.sentences), "tone": p.tone,
             "cooperation": p.cooperation, "tension": p.tension, "agreements": p.agreements}
            for p in analysis.pairs
        ],
        "mentions": [to_plain(m) for m in analysis.mentions],
    }


def cmd_show(args: argparse.Namespace, library: Library) -> int:
    if not args.ids and not args.all:
        raise UsageError("show needs an article ID (see `sinoread articles`) or --all")
    search = opened(library, quiet=args.json)
    ids = search.ids() if args.all else args.ids
    found = []
    for wanted in ids:
        try:
            art_id = search.resolve(wanted)
        except LookupError as exc:
            raise UsageError(str(exc)) from None
        got = search.article(art_id)
        if got is None:
            raise UsageError(f"no article {art_id!r}; see `sinoread articles`")
        found.append(got)
    if args.raw:
        from sinoread.ingest.corpus import ArticleError, read_original
        from sinoread.ingest.sanitize import sanitize

        for art, _ in found:
            try:
                print(read_original(art.path, library.index.corpus)[0])
            except ArticleError as exc:
                raise UsageError(f"{sanitize(art.path)}: {exc}") from None
        return EXIT_OK
    if args.json:
        out = [article_json(a, an) for a, an in found]
        _print_json(out[0] if len(out) == 1 and not args.all else out)
        return EXIT_OK
    for art, analysis in found:
        print(f"# {art.title or art.id}")
        print(f"id: {art.id}   author: {art.author or '-'}   source: {art.source or '-'}   date: {art.date or '-'}")
        data = article_json(art, analysis)
        print("countries: " + ", ".join(f"{c['name']} ({c['mentions']})" for c in data["countries"]))
        print("actors: " + "; ".join(
            f"{a['name']}" + (f" ({', '.join(x for x in (a['role'], a['country']) if x)})" if a["role"] or a["country"] else "")
            for a in data["actors"]))
        print("agreements:")
        for g in data["agreements"]:
            print(f"  [{g['status']}/{g['kind']}] {' – '.join(g['parties'])} {g['date'] or ''}: {g['sentence']}")
        print("pairs: " + "; ".join(f"{'–'.join(p['countries'])} {p['sentences']}× {p['tone']}" for p in data["pairs"]))
        print()
        print(art.text)
        print()
    return EXIT_OK


def _marked(text: str, marks: Any) -> str:
    bold = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    out, last = [], 0
    for s, e in marks:
        out.append(text[last:s])
        out.append(f"\x1b[1m{text[s:e]}\x1b[0m" if bold else f"«{text[s:e]}»")
        last = e
    out.append(text[last:])
    return "".join(out)


def cmd_search(args: argparse.Namespace, library: Library) -> int:
    from sinoread.search import QueryError

    search = opened(library, quiet=args.json)
    query = " ".join(args.query)
    try:
        result = search.keyword(query, limit=max(1, args.limit))
    except QueryError as exc:
        raise UsageError(f"bad query: {exc}") from None
    if args.json:
        _print_json({
            "query": result.query, "total": result.total,
            "hits": [{"id": h.id, "title": h.title, "score": h.score, "snippet": h.snippet.text,
                      "marks": [list(m) for m in h.snippet.marks], "source": h.source, "date": h.date}
                     for h in result.hits],
        })
        return EXIT_OK
    print(f"{result.total} article(s) match {query!r}")
    for h in result.hits:
        print(f"\n{h.id}  {h.title or '(untitled)'}  ({h.score:.2f})")
        print(f"  {_marked(h.snippet.text, h.snippet.marks)}")
    return EXIT_OK


def cmd_pairs(args: argparse.Namespace, library: Library) -> int:
    from sinoread.search import UnknownCountry

    if len(args.countries) not in (0, 2):
        raise UsageError("pairs takes two countries (sinoread pairs China Vietnam) or none for the matrix")
    search = opened(library, quiet=args.json)
    if args.countries:
        try:
            result = search.pair(*args.countries)
        except UnknownCountry as exc:
            raise UsageError(str(exc)) from None
        if args.json:
            _print_json(to_plain(result))
            return EXIT_OK
        a, b = result.pair
        print(f"{a} – {b}: {len(result.articles)} article(s)")
        for art in result.articles:
            print(f"\n{art.id}  {art.date or '----------'}  {art.title or ''}  [{art.tone}]")
            for s in art.sentences:
                print(f"  ({s.tone}) {s.text}")
            for g in art.agreements:
                print(f"  AGREEMENT [{g.status}/{g.kind}] {g.sentence}")
        return EXIT_OK
    rows = search.matrix()
    if args.json:
        _print_json({"pairs": to_plain(rows)})
        return EXIT_OK
    print(f"{'pair':40} {'articles':>8} {'sentences':>9} {'agreements':>10} {'coop':>5} {'tension':>7}")
    for r in rows:
        print(f"{' – '.join(r.countries):40} {r.articles:>8} {r.sentences:>9} {r.agreements:>10} "
              f"{r.cooperation:>5} {r.tension:>7}")
    return EXIT_OK


# --- workbench: timeline, actors, sources, notes, export ----------------------------------


def _pair_args(cfg: Config, names: list[str]) -> tuple[str, str] | None:
    from sinoread.workbench.bench import ReportRequestError, resolve_pair

    try:
        return resolve_pair(cfg, names)
    except ReportRequestError as exc:
        raise UsageError(str(exc)) from None


def _kind_arg(cfg: Config, kind: str | None) -> str | None:
    from sinoread.workbench.bench import ReportRequestError, check_kind

    try:
        return check_kind(cfg, kind)
    except ReportRequestError as exc:
        raise UsageError(str(exc)) from None


def _timeline_entries(args: argparse.Namespace, cfg: Config, wb: Any) -> tuple[list[Any], str]:
    from sinoread.workbench.timeline import filter_timeline, pair_label

    pair = _pair_args(cfg, args.countries)
    kind = _kind_arg(cfg, args.kind)
    entries = filter_timeline(wb.timeline, pair=pair, kind=kind, source=args.source)
    subject = " · ".join(x for x in (pair_label(pair) if pair else "all pairs", kind, args.source) if x)
    return entries, subject


def cmd_timeline(args: argparse.Namespace, library: Library) -> int:
    from sinoread.workbench.timeline import chains, entry_plain

    wb = opened(library, args.json).workbench()
    entries, subject = _timeline_entries(args, library.cfg, wb)
    if args.json:
        _print_json({"agreements": [entry_plain(e) for e in entries],
                     "chains": [{"label": c.label, "stages": c.stages, "advances": c.advances,
                                 "articles": [e.article_id for e in c.entries]} for c in chains(entries)]})
        return EXIT_OK
    print(f"{len(entries)} agreement(s) · {subject}")
    for e in entries:
        origin = "" if e.date_origin == "sentence" else " (article)" if e.date else ""
        again = f" [+{len(e.restated)} restated]" if e.restated else ""
        print(f"{(e.date or 'undated') + origin:22} {e.status:9} {e.kind:19} {' – '.join(e.parties):28} "
              f"{e.article_id}  {e.source or ''}{again}")
        print(f"{'':22} {' '.join(e.sentence.split())}")
    for c in chains(entries):
        print(f"lifecycle {c.label}: {' → '.join(c.stages)}")
    return EXIT_OK


def cmd_actors(args: argparse.Namespace, library: Library) -> int:
    from sinoread.workbench.actors import actor_plain

    wb = opened(library, args.json).workbench()
    name = " ".join(args.name)
    found = wb.actors.find(name) if name else wb.actors.actors
    if name and not found:
        raise UsageError(f"no person or organisation called {name!r}; `sinoread actors` lists them all")
    if args.json:
        out: dict[str, Any] = {"actors": [actor_plain(a) for a in found]}
        if name:
            d = wb.actors.detail(found[0])
            out["detail"] = {"name": d.actor.name, "articles": list(d.article_ids),
                             "sentences": [{"article_id": s.article_id, "offset": s.start, "text": s.text} for s in d.sentences],
                             "appears_with": [{"name": n, "sentences": c} for n, c in d.appears_with]}
        _print_json(out)
        return EXIT_OK
    for a in found:
        extra = ", ".join(x for x in (a.role, a.country) if x)
        print(f"{a.name:34} {a.kind:12} {a.articles:>3} art {a.mentions:>4} mentions  {extra}"
              f"{'  aka ' + '; '.join(a.aliases) if a.aliases else ''}")
    if name:
        d = wb.actors.detail(found[0])
        print(f"\n{d.actor.name} in {len(d.article_ids)} article(s):")
        for s in d.sentences:
            print(f"  {s.article_id}: {s.text}")
        if d.appears_with:
            print("appears with: " + ", ".join(f"{n} ({c})" for n, c in d.appears_with))
    return EXIT_OK


def cmd_sources(args: argparse.Namespace, library: Library) -> int:
    from sinoread.workbench.bench import source_plain

    wb = opened(library, args.json).workbench()
    groups = [{"story": s.id, "articles": list(s.articles), "similarity": s.similarity} for s in wb.stories if len(s.articles) > 1]
    repeats = [{"article_id": r.article_id, "repeated_sentences": len(r.repeated), "share": r.share}
               for r in wb.self_repeats.values()]
    if args.json:
        _print_json({"sources": [source_plain(c) for c in wb.sources()], "duplicate_groups": groups,
                     "self_repeats": repeats})
        return EXIT_OK
    print(f"{'source':30} {'author':28} {'articles':>8} {'stories':>7}")
    for c in wb.sources():
        print(f"{(c.source or '(unknown)'):30} {(c.author or '(unknown)'):28} {c.articles:>8} {c.stories:>7}")
    for g in groups:
        print(f"same story: {', '.join(g['articles'])} (overlap ≥ {g['similarity']})")
    for r in repeats:
        print(f"repeats its own text: {r['article_id']} ({r['repeated_sentences']} sentences restated)")
    return EXIT_OK


def cmd_notes(args: argparse.Namespace, library: Library) -> int:
    from sinoread.workbench.notes import NotesError, note_plain

    try:
        notes = opened(library, quiet=args.json).anchored_notes(query=" ".join(args.query) or None)
    except NotesError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        _print_json({"notes": [note_plain(n) for n in notes]})
        return EXIT_OK
    for n in notes:
        flag = "" if n.status in ("anchored", "moved") else f" [{n.status}]"
        print(f"{n.article_id}{flag}  {' '.join('#' + t for t in n.tags)}\n  > {n.sentence}\n  {n.note}")
    if not notes:
        print("no notes yet: in the reader, press a on a sentence")
    return EXIT_OK


def cmd_export(args: argparse.Namespace, library: Library) -> int:
    from sinoread.workbench import report as rp
    from sinoread.workbench.bench import ReportRequestError
    from sinoread.workbench.notes import NotesError

    try:
        r = opened(library, quiet=True).report(args.what, args.args, kind=args.kind)
    except (ReportRequestError, NotesError) as exc:
        raise UsageError(str(exc)) from None
    try:
        fmt = rp.format_for(args.output or "", args.format)
        if not args.output or args.output == "-":
            sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
            sys.stdout.write(rp.RENDER[fmt](r))
            return EXIT_OK
        path = rp.write_report(r, Path(args.output), fmt, force=args.force)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    _stderr(f"wrote {path} ({fmt}, {len(r.rows)} row(s))")
    return EXIT_OK


COMMANDS = {
    "index": cmd_index, "articles": cmd_articles, "show": cmd_show, "search": cmd_search, "pairs": cmd_pairs,
    "timeline": cmd_timeline, "actors": cmd_actors, "sources": cmd_sources, "notes": cmd_notes, "export": cmd_export,
}


def main(argv: list[str] | None = None) -> int:
    _forgiving_streams()
    args = build_parser().parse_args(argv)
    try:
        cfg, corpus, index_dir = load_settings(args)
        index = Index(index_dir, corpus, cfg)
        library = Library(index)
        if args.command is None:
            if not (sys.stdin.isatty() and sys.stdout.isatty()):  # cron, `ssh host sinoread`, </dev/null
                _stderr(NO_TERMINAL)
                return EXIT_USAGE
            from sinoread.tui.app import run_app

            return run_app(library)
        try:
            return COMMANDS[args.command](args, library)
        finally:
            library.close()
    except (ConfigError, UsageError) as exc:
        _stderr(f"sinoread: {exc}")
        return EXIT_USAGE
    except IndexUnusable as exc:  # also IndexBusy
        _stderr(f"sinoread: {exc}")
        return EXIT_FAIL
    except KeyboardInterrupt:
        _stderr("sinoread: interrupted; the previous index is intact, and `sinoread index` resumes "
                "an unfinished build from its last batch")
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
