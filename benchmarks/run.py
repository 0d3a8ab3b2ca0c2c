"""sinoread beside raw Whoosh, SQLite FTS5 and tantivy, on the same documents, in one run.

    python benchmarks/run.py                       # BBC (../shared/corpora/bbc) and 20,000 generated
    python benchmarks/run.py --tiers bbc,20k,100k  # add the 100,000-article tier
    python benchmarks/run.py --corpus DIR          # any folder (the smoke test uses the seeds)

Each build runs in a child process so its peak memory is its own. On BBC, sinoread and raw
Whoosh are built 3 times, alternating, and the build time is the median. Queries run 3
times each; the table shows medians and p95 and, for sinoread, the ratio to raw Whoosh
measured in the same run. tantivy is optional (`pip install tantivy`); without it its rows say so.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "corpora"

# (sinoread / Whoosh syntax, FTS5 syntax, tantivy syntax)
QUERIES = [
    ("china", "china", "china"),
    ("japan", "japan", "japan"),
    ("russia", "russia", "russia"),
    ("election", "election", "election"),
    ("economy", "economy", "economy"),
    ("oil", "oil", "oil"),
    ("film", "film", "film"),
    ("cooperate", "cooperate", "cooperate"),
    ('"prime minister"', '"prime minister"', '"prime minister"'),
    ('"interest rates"', '"interest rates"', '"interest rates"'),
    ('"world cup"', '"world cup"', '"world cup"'),
    ("economy AND growth", "economy AND growth", "economy AND growth"),
    ("film OR music", "film OR music", "film OR music"),
    ("bank AND (rates OR inflation)", "bank AND (rates OR inflation)", "bank AND (rates OR inflation)"),
    ("mobile AND phone", "mobile AND phone", "mobile AND phone"),
    ("china AND japan", "china AND japan", "china AND japan"),
    ("china AND india", "china AND india", "china AND india"),
    ("russia AND (japan OR china)", "russia AND (japan OR china)", "russia AND (japan OR china)"),
    ("united AND states AND china", "united AND states AND china", "united AND states AND china"),
    ("vietnam OR philippines", "vietnam OR philippines", "vietnam OR philippines"),
]


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def du_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def read_docs(corpus: Path) -> list[tuple[str, str, str]]:
    """(id, title, body) for the baselines: first line as title, the rest as body, no cleaning."""
    from sinoread.ingest.files import scan
    from sinoread.ingest.reading import ArticleError, read_source

    files, _ = scan(corpus)
    docs = []
    for f in files:
        try:
            text = read_source(f)[0]
        except ArticleError:
            continue
        title, _, body = text.strip().partition("\n")
        docs.append((f.id, title, body))
    return docs


def timed(fn, repeat: int = 3) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


# --- one build per child process -------------------------------------------------------


def job_sinoread(corpus: Path, out: Path) -> dict:
    from sinoread.config import load_config
    from sinoread.indexing import Index
    from sinoread.search import Search

    cfg = load_config()
    index = Index(out, corpus, cfg)
    t = time.perf_counter()
    report = index.update()
    build = time.perf_counter() - t
    n = len(report.added)
    t = time.perf_counter()
    search = Search(index)
    open_s = time.perf_counter() - t
    times = [x for q, _, _ in QUERIES for x in timed(lambda q=q: search.keyword(q, limit=20))]
    pair_times = timed(lambda: search.keyword("pair:china-japan", limit=20))
    matrix = statistics.median(timed(search.matrix))
    some = sorted(r.id for r in search.articles())[:: max(1, n // 5)][:5]
    article = statistics.median([x for i in some for x in timed(lambda i=i: search.article(i))])
    return {"docs": n, "build": build, "open": open_s, "q_med": statistics.median(times), "q_p95": p95(times),
            "pair_q": statistics.median(pair_times), "matrix": matrix, "article": article, "size": du_mb(out),
            "peak": peak_mb()}


def job_sinoread_app(corpus: Path, out: Path) -> dict:
    """The reader's own first build (headless, as Textual's Pilot runs it): from start until
    the whole index answers, list and all. The CLI's `sinoread index` is job_sinoread."""
    import asyncio

    from sinoread.config import load_config
    from sinoread.indexing import Index
    from sinoread.tui.app import make_app

    async def run() -> tuple[float, int]:
        app = make_app(Index(out, corpus, load_config()))
        t = time.perf_counter()
        async with app.run_test(size=(120, 40)) as pilot:
            while not (app.searcher is not None and not app.searcher.partial and not app.building and app.rows):
                failed = [n.message for n in app._notifications if n.severity == "error"]
                if failed:
                    raise RuntimeError(failed[0])
                await pilot.pause(0.25)
            return time.perf_counter() - t, len(app.rows)

    took, n = asyncio.run(run())
    return {"docs": n, "build": took, "peak": peak_mb()}


def job_sinoread_update(corpus: Path, out: Path) -> dict:
    """10 files change in a built corpus: time the incremental update."""
    from sinoread.config import load_config
    from sinoread.indexing import Index

    index = Index(out, corpus, load_config())
    files = sorted(p for p in corpus.rglob("*.txt"))[:10]
    for p in files:
        os.utime(p, ns=(time.time_ns(), time.time_ns() + 10**9))
    t = time.perf_counter()
    report = index.update()
    return {"update": time.perf_counter() - t, "updated": len(report.updated), "peak": peak_mb()}


def job_analysis(corpus: Path, out: Path) -> dict:
    """Extraction alone, on one core: cleaned articles through `analyse` (issue 15's target is
    at least 500 BBC-size articles per second per core)."""
    from sinoread.config import load_config
    from sinoread.extract.analysis import analyse
    from sinoread.ingest.corpus import load_corpus

    cfg = load_config()
    articles, _ = load_corpus(corpus, cfg)
    analyse(articles[0].text, cfg)  # compile once, outside the timing
    times = timed(lambda: [analyse(a.text, cfg, a.date) for a in articles], repeat=3)
    return {"docs": len(articles), "rate": len(articles) / statistics.median(times)}


def job_whoosh(corpus: Path, out: Path) -> dict:
    from whoosh import index as wi
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.qparser import AndGroup, MultifieldParser

    from sinoread.engine import text_analyzer

    docs = read_docs(corpus)
    analyzer = text_analyzer()
    schema = Schema(id=ID(stored=True, unique=True), title=TEXT(analyzer=analyzer, stored=True),
                    body=TEXT(analyzer=analyzer, stored=True))
    out.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    ix = wi.create_in(str(out), schema)
    w = ix.writer(limitmb=256)
    for i, title, body in docs:
        w.add_document(id=i, title=title, body=body)
    w.commit(optimize=True)
    build = time.perf_counter() - t
    t = time.perf_counter()
    ix = wi.open_dir(str(out))
    s = ix.searcher()
    open_s = time.perf_counter() - t
    parser = MultifieldParser(["title", "body"], schema, group=AndGroup)

    def run(q: str) -> None:
        results = s.search(parser.parse(q), limit=20)
        for hit in results[:10]:
            hit.highlights("body")

    times = [x for q, _, _ in QUERIES for x in timed(lambda q=q: run(q))]
    return {"docs": len(docs), "build": build, "open": open_s, "q_med": statistics.median(times), "q_p95": p95(times),
            "size": du_mb(out), "peak": peak_mb()}


def job_fts5(corpus: Path, out: Path) -> dict:
    docs = read_docs(corpus)
    out.mkdir(parents=True, exist_ok=True)
    db = out / "fts.db"
    t = time.perf_counter()
    con = sqlite3.connect(db)
    con.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, tokenize='porter unicode61')")
    con.executemany("INSERT INTO docs VALUES (?, ?, ?)", docs)
    con.commit()
    con.execute("INSERT INTO docs(docs) VALUES('optimize')")
    con.commit()
    build = time.perf_counter() - t
    con.close()
    t = time.perf_counter()
    con = sqlite3.connect(db)
    open_s = time.perf_counter() - t
    sql = "SELECT id, title, snippet(docs, 2, '[', ']', '…', 24) FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 20"
    times = [x for _, q, _ in QUERIES for x in timed(lambda q=q: con.execute(sql, (q,)).fetchall())]
    return {"docs": len(docs), "build": build, "open": open_s, "q_med": statistics.median(times), "q_p95": p95(times),
            "size": du_mb(out), "peak": peak_mb()}


def job_tantivy(corpus: Path, out: Path) -> dict:
    import tantivy

    docs = read_docs(corpus)
    out.mkdir(parents=True, exist_ok=True)
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True)
    sb.add_text_field("title", stored=True, tokenizer_name="en_stem")
    sb.add_text_field("body", stored=True, tokenizer_name="en_stem")
    schema = sb.build()
    t = time.perf_counter()
    ix = tantivy.Index(schema, path=str(out))
    w = ix.writer()
    for i, title, body in docs:
        w.add_document(tantivy.Document(id=i, title=title, body=body))
    w.commit()
    w.wait_merging_threads()
    build = time.perf_counter() - t
    t = time.perf_counter()
    ix = tantivy.Index.open(str(out))
    ix.reload()
    s = ix.searcher()
    open_s = time.perf_counter() - t
    times = [x for _, _, q in QUERIES for x in timed(lambda q=q: s.search(ix.parse_query(q, ["title", "body"]), 20).hits)]
    return {"docs": len(docs), "build": build, "open": open_s, "q_med": statistics.median(times), "q_p95": p95(times),
            "size": du_mb(out), "peak": peak_mb()}


JOBS = {"sinoread": job_sinoread, "sinoread-app": job_sinoread_app, "sinoread-update": job_sinoread_update,
        "whoosh": job_whoosh, "analysis": job_analysis,
        "fts5": job_fts5, "tantivy": job_tantivy}


def child(job: str, corpus: Path, out: Path, extra_env: dict | None = None) -> dict:
    home = out.parent / f"{out.name}-home"  # the reader writes its log and notes under HOME
    env = {**os.environ, "XDG_CACHE_HOME": str(home / "cache"), "XDG_DATA_HOME": str(home / "data"),
           "XDG_CONFIG_HOME": str(home / "config"), **(extra_env or {})}
    r = subprocess.run([sys.executable, __file__, "--job", job, "--corpus", str(corpus), "--out", str(out)],
                       capture_output=True, text=True, env=env)
    if r.returncode != 0:
        return {"error": (r.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(r.stdout.strip().splitlines()[-1])


def cli_search_s(corpus: Path, out: Path, runs: int = 5) -> float | None:
    """Whole-process `sinoread search` on a built index: what a script pays per call."""
    exe = Path(sys.executable).parent / "sinoread"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "sinoread"]
    env = {**os.environ, "SINOREAD_INDEX": str(out), "SINOREAD_CORPUS": str(corpus)}
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        r = subprocess.run([*cmd, "search", "china AND vietnam", "--json"], capture_output=True, env=env)
        times.append(time.perf_counter() - t)
        if r.returncode != 0:
            return None
    return statistics.median(times)


def first_screen_ms(corpus: Path, out: Path) -> float | None:
    r = subprocess.run([sys.executable, str(HERE / "first_screen.py"), str(corpus), "--index", str(out), "--runs", "3",
                        "--json"], capture_output=True, text=True)
    if r.returncode != 0:
        return None
    return json.loads(r.stdout.strip().splitlines()[-1])["warm_ms"]


# --- the table -------------------------------------------------------------------------


def tier_corpus(tier: str, work: Path) -> Path | None:
    if tier == "bbc":
        if not (SHARED / "bbc").is_dir():
            return None
        # As distributed: five section folders, 001.txt in each (ids are paths: business/001).
        out = work / "bbc"
        for f in (SHARED / "bbc").glob("*/*.txt"):
            (out / f.parent.name).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, out / f.parent.name / f.name)
        return out
    n = {"20k": 20_000, "100k": 100_000}[tier]
    maker = SHARED / "make_scale_corpus.py"
    if not maker.exists():
        return None
    out = work / f"gen{tier}"
    subprocess.run([sys.executable, str(maker), str(out), str(n)], check=True, capture_output=True)
    return out


def fmt_ms(s: float | None) -> str:
    return "—" if s is None else f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def bench(label: str, corpus: Path, work: Path, repeats: int) -> list[str]:
    rows = []
    results: dict[str, dict] = {}
    builds: dict[str, list[float]] = {}
    # sinoread and raw Whoosh alternate, so a noisy spell on a shared machine hits both;
    # the build time reported is the median of the repeats.
    for _ in range(repeats):
        for engine in ("sinoread", "whoosh", "sinoread-app"):
            shutil.rmtree(work / f"{label}-{engine}", ignore_errors=True)
            results[engine] = child(engine, corpus, work / f"{label}-{engine}")
            if "build" in results[engine]:
                builds.setdefault(engine, []).append(results[engine]["build"])
    for engine, times in builds.items():
        results[engine]["build"] = statistics.median(times)
        results[engine]["builds"] = len(times)
    app = results.pop("sinoread-app")
    for engine in ("fts5", "tantivy"):
        results[engine] = child(engine, corpus, work / f"{label}-{engine}")
    update = child("sinoread-update", corpus, work / f"{label}-sinoread")
    analysis = child("analysis", corpus, work / f"{label}-analysis")
    screen = first_screen_ms(corpus, work / f"{label}-sinoread")
    cli = cli_search_s(corpus, work / f"{label}-sinoread")
    raw = results["whoosh"]
    for engine, r in results.items():
        if "error" in r:
            rows.append(f"| {label} | {engine} | {r['error'][:60]} | | | | | | | |")
            continue
        rate = r["docs"] / r["build"]
        ratio = ""
        if engine == "sinoread" and "error" not in raw:
            ratio = f" ({r['build'] / raw['build']:.2f}× raw Whoosh time"
            ratio += f", medians of {r['builds']} builds each)" if r.get("builds", 1) > 1 else ")"
        qratio = f" ({r['q_med'] / raw['q_med']:.2f}×)" if engine == "sinoread" and "error" not in raw else ""
        extra = ""
        if engine == "sinoread":
            own = (f"{fmt_ms(app['build'])} ({app['build'] / r['build']:.2f}× `sinoread index`, {app['docs']:,} listed)"
                   if "build" in app else app.get("error", "—")[:60])
            extra = (f"analysis {analysis.get('rate', 0):,.0f} articles/s on one core; "
                     f"the reader's own first build {own}; "
                     f"update 10 files {fmt_ms(update.get('update'))}; matrix {fmt_ms(r['matrix'])}; "
                     f"pair query {fmt_ms(r['pair_q'])}; open article {fmt_ms(r['article'])}; "
                     f"CLI search (whole process) {fmt_ms(cli)}; first screen (warm) "
                     f"{'—' if screen is None else f'{screen:.0f} ms'}")
        rows.append(
            f"| {label} | {engine} | {r['docs']:,} | {rate:,.0f} docs/s{ratio} | {fmt_ms(r['open'])} | "
            f"{fmt_ms(r['q_med'])}{qratio} | {fmt_ms(r['q_p95'])} | {r['size']:.1f} MB | {r['peak']:.0f} MB | {extra} |"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tiers", default="bbc,20k")
    parser.add_argument("--corpus", type=Path, help="benchmark this folder instead of the tiers")
    parser.add_argument("--repeats", type=int, default=0,
                        help="builds per engine (default: 3 for BBC and --corpus, 1 for the generated tiers)")
    parser.add_argument("--job")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.job:
        print(json.dumps(JOBS[args.job](args.corpus.resolve(), args.out)))
        return
    with tempfile.TemporaryDirectory(prefix="sinoread-bench-") as tmp:
        work = Path(tmp)
        print("| corpus | engine | docs | build | open | query median (20 top, snippets) | query p95 | index size | peak memory | sinoread only |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        tiers = [("custom", args.corpus)] if args.corpus else [(t, None) for t in args.tiers.split(",")]
        for label, corpus in tiers:
            corpus = corpus or tier_corpus(label, work)
            if corpus is None:
                print(f"| {label} | (corpus not found under {SHARED}) | | | | | | | | |")
                continue
            repeats = args.repeats if args.repeats else (3 if label in ("bbc", "custom") else 1)
            for row in bench(label, corpus.resolve(), work, repeats):
                print(row, flush=True)
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(exist_ok=True)


if __name__ == "__main__":
    main()
