"""Time to the reader's first screen (list filled, first article shown), cold and warm.

Run: python benchmarks/first_screen.py [CORPUS] [--runs N] [--index DIR --json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path

from sinoread.config import load_config
from sinoread.indexing import Index
from sinoread.resources import bundled_seeds_path
from sinoread.tui.app import make_app
from sinoread.tui.widgets.reader import ArticleReader


async def first_screen(index: Index) -> float:
    start = time.perf_counter()
    app = make_app(index, update_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        while True:
            await pilot.pause(0.005)
            if app.rows and app.main_screen.query_one(ArticleReader).article is not None:
                break
        elapsed = time.perf_counter() - start
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", default=str(bundled_seeds_path()))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--index", type=Path, help="an index already built for CORPUS: warm runs only")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    cfg = load_config()
    if args.index:
        index = Index(args.index, Path(args.corpus).resolve(), cfg)
        warm = [asyncio.run(first_screen(index)) for _ in range(args.runs)]
        print(json.dumps({"warm_ms": statistics.median(warm) * 1000}))
        return
    with tempfile.TemporaryDirectory() as tmp:
        index = Index(Path(tmp), Path(args.corpus).resolve(), cfg)
        cold = asyncio.run(first_screen(index))
        warm = [asyncio.run(first_screen(index)) for _ in range(args.runs)]
    print(f"| corpus | cold first screen | warm first screen (median of {args.runs}) |")
    print("| --- | --- | --- |")
    print(f"| {Path(args.corpus).name} | {cold * 1000:.0f} ms | {statistics.median(warm) * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
