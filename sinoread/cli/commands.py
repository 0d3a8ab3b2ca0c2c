"""The subcommands: each reads the library and prints lines, or JSON with --json."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sinoread.cli.output import marked, merge_notice, print_json, progress_printer, to_stderr
from sinoread.cli.parser import EXIT_OK, UsageError
from sinoread.config import Config
from sinoread.library import Library
from sinoread.models import ArticleDetail, IndexReport, to_plain


def opened(library: Library, quiet: bool = False) -> Library:
    """The library over a current index, building it first if it is missing or stale."""
    if not library.index.is_current():
        if not quiet:
            to_stderr(f"sinoread: building the index for {library.index.corpus} ...")
        report = library.index.update(progress=progress_printer(), on_merge=merge_notice)
        for problem in report.skipped:
            to_stderr(f"skipped {problem}")
    if not library.ready:
        library.reopen(fresh=True)
    return library


# --- commands ---------------------------------------------------------------------------


def cmd_index(args: argparse.Namespace, library: Library) -> int:
    index = library.index
    report: IndexReport = index.update(
        rebuild=args.rebuild, progress=None if args.json else progress_printer(), wait=args.wait,
        on_merge=None if args.json else merge_notice,
    )
    if args.json:
        print_json({"index": str(index.root), **to_plain(report)})
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
            to_stderr(f"skipped {p}")
    return EXIT_OK


def cmd_articles(args: argparse.Namespace, library: Library) -> int:
    rows = opened(library, quiet=args.json).articles()
    if args.json:
        print_json(to_plain(rows))
        return EXIT_OK
    for r in rows:
        countries = ", ".join(r.countries[:4])
        print(f"{r.id}  {r.date or '----------'}  {r.title or '(untitled)'}"
              f"{'  — ' + r.source if r.source else ''}  [{countries}]")
    return EXIT_OK


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
        from sinoread.ingest.reading import ArticleError, read_original
        from sinoread.ingest.sanitize import sanitize

        for art, _ in found:
            try:
                print(read_original(art.path, library.index.corpus)[0])
            except ArticleError as exc:
                raise UsageError(f"{sanitize(art.path)}: {exc}") from None
        return EXIT_OK
    details = [ArticleDetail.of(a, an) for a, an in found]
    if args.json:
        print_json(to_plain(details[0] if len(details) == 1 and not args.all else details))
        return EXIT_OK
    for d in details:
        print(f"# {d.title or d.id}")
        print(f"id: {d.id}   author: {d.author or '-'}   source: {d.source or '-'}   date: {d.date or '-'}")
        print("countries: " + ", ".join(f"{c.name} ({c.mentions})" for c in d.countries))
        print("actors: " + "; ".join(
            a.name + (f" ({', '.join(x for x in (a.role, a.country) if x)})" if a.role or a.country else "")
            for a in d.actors))
        print("agreements:")
        for g in d.agreements:
            print(f"  [{g.status}/{g.kind}] {' – '.join(g.parties)} {g.date or ''}: {g.sentence}")
        print("pairs: " + "; ".join(f"{'–'.join(p.countries)} {p.sentences}× {p.tone}" for p in d.pairs))
        print()
        print(d.text)
        print()
    return EXIT_OK


def cmd_search(args: argparse.Namespace, library: Library) -> int:
    from sinoread.search import QueryError

    search = opened(library, quiet=args.json)
    query = " ".join(args.query)
    try:
        result = search.keyword(query, limit=max(1, args.limit))
    except QueryError as exc:
        raise UsageError(f"bad query: {exc}") from None
    if args.json:
        print_json(to_plain(result))
        return EXIT_OK
    print(f"{result.total} article(s) match {query!r}")
    for h in result.hits:
        print(f"\n{h.id}  {h.title or '(untitled)'}  ({h.score:.2f})")
        print(f"  {marked(h.snippet.text, h.snippet.marks)}")
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
            print_json(to_plain(result))
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
        print_json({"pairs": to_plain(rows)})
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
    from sinoread.workbench.timeline import chains

    wb = opened(library, args.json).workbench()
    entries, subject = _timeline_entries(args, library.cfg, wb)
    if args.json:
        print_json({"agreements": to_plain(entries), "chains": to_plain(chains(entries))})
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
    wb = opened(library, args.json).workbench()
    name = " ".join(args.name)
    found = wb.actors.find(name) if name else wb.actors.actors
    if name and not found:
        raise UsageError(f"no person or organisation called {name!r}; `sinoread actors` lists them all")
    if args.json:
        out: dict[str, object] = {"actors": to_plain(found)}
        if name:
            out["detail"] = to_plain(wb.actors.detail(found[0]))
        print_json(out)
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
            print("appears with: " + ", ".join(f"{w.name} ({w.sentences})" for w in d.appears_with))
    return EXIT_OK


def cmd_sources(args: argparse.Namespace, library: Library) -> int:
    wb = opened(library, args.json).workbench()
    groups = [s for s in wb.stories if len(s.articles) > 1]
    repeats = list(wb.self_repeats.values())
    if args.json:
        print_json({"sources": to_plain(wb.sources()), "duplicate_groups": to_plain(groups),
                    "self_repeats": to_plain(repeats)})
        return EXIT_OK
    print(f"{'source':30} {'author':28} {'articles':>8} {'stories':>7}")
    for c in wb.sources():
        print(f"{(c.source or '(unknown)'):30} {(c.author or '(unknown)'):28} {c.articles:>8} {c.stories:>7}")
    for g in groups:
        print(f"same story: {', '.join(g.articles)} (overlap ≥ {g.similarity})")
    for r in repeats:
        print(f"repeats its own text: {r.article_id} ({len(r.repeated)} sentences restated)")
    return EXIT_OK


def cmd_notes(args: argparse.Namespace, library: Library) -> int:
    from sinoread.workbench.notes import NotesError

    try:
        notes = opened(library, quiet=args.json).anchored_notes(query=" ".join(args.query) or None)
    except NotesError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print_json({"notes": to_plain(notes)})
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
    to_stderr(f"wrote {path} ({fmt}, {len(r.rows)} row(s))")
    return EXIT_OK


COMMANDS = {
    "index": cmd_index, "articles": cmd_articles, "show": cmd_show, "search": cmd_search, "pairs": cmd_pairs,
    "timeline": cmd_timeline, "actors": cmd_actors, "sources": cmd_sources, "notes": cmd_notes, "export": cmd_export,
}
